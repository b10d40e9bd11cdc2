"""pytest plugin of the course (loaded from pyproject's addopts).

nbval turns each notebook cell into a test item that shares the notebook's kernel, so all cells
of one notebook must run on the same pytest-xdist worker: group them by notebook.
"""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.xdist_group(item.fspath.basename))
