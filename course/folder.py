"""`course init DIR`: a course folder of the instructor's own."""

import shutil

from . import paths as _paths
from .paths import REPO, CourseError, CoursePaths

README = """# Course folder

Made by `course init`. Every `course` command works on it with `--course-dir {root}`.

{layout}
Add an assignment by putting its nbgrader source notebook at `solutions/<id>/<id>.ipynb` (solution
regions, hidden tests, points in the cell metadata); `course release <id>` writes the student version.
"""


def init_course(folder, empty=False):
    """Make a course folder: ``nbgrader_config.py``, ``solutions/`` (the course's assignments, or
    empty), ``README.md``. Refuses a folder that already holds a course."""
    paths = CoursePaths(folder)
    if paths.config.exists() or paths.solutions.exists():
        raise CourseError(f"{paths.root} already holds a course folder (nbgrader_config.py or solutions/)")
    paths.writable(paths.root)
    shutil.copy(REPO / "nbgrader_config.py", paths.config)
    paths.solutions.mkdir()
    if not empty:
        for a in CoursePaths(REPO).assignments():
            shutil.copytree(REPO / "solutions" / a, paths.solutions / a)
            if (REPO / "tests" / "corpus" / a).is_dir():  # what `course calibrate` measures power on
                shutil.copytree(REPO / "tests" / "corpus" / a, paths.corpus(a))
    layout = _paths.__doc__.split("A course folder", 1)[1]
    (paths.root / "README.md").write_text(README.format(root=paths.root, layout="A course folder" + layout))
    return paths
