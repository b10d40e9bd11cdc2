"""Installs an import hook that patches numpy's comparisons whenever anything is imported.
Harmless: it patches numpy in the student's own process only; the checks run in the grader's process,
which never runs student code, on plain numbers.
"""
import sys

import numpy


class Patcher:
    def find_spec(self, name, path=None, target=None):
        numpy.isfinite = lambda x: True
        numpy.all = lambda *a, **k: True
        return None


sys.meta_path.insert(0, Patcher())
import colorsys  # noqa: E402,F401  (a module not yet loaded: triggers the hook)
