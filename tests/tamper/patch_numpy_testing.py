"""Patches numpy's testing and comparison functions so that assertions pass.
Harmless: the patches live in the student's process; the checks run in the grader's process on plain
numbers, with its own numpy.
"""
import numpy as np

np.testing.assert_allclose = lambda *a, **k: None
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
