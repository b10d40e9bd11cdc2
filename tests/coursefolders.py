"""Course folders for tests, as an instructor has them: under a fresh folder that is not the
repository, $HOME or /tmp (the sandbox hides those three, which would make a test pass for the wrong
reason), removed afterwards."""

import contextlib
import shutil
import tempfile
from pathlib import Path

BASE = Path("/var/tmp")


@contextlib.contextmanager
def fresh_folder(prefix="course-test-"):
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=BASE if BASE.is_dir() else None))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def add_assignment(paths, new_id, from_id):
    """Write ``solutions/<new_id>/`` of the course folder ``paths`` as an instructor would: the
    course's ``solutions/<from_id>/`` notebook renamed, with the files beside it that it needs (its
    visible tests and their harness, links followed)."""
    from course import notebooks as nbk

    src = nbk.solution_path(from_id).parent
    dest = paths.solutions / new_id
    dest.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file():
            name = f"{new_id}.ipynb" if f.name == f"{from_id}.ipynb" else f.name
            (dest / name).write_bytes(f.read_bytes())
    return paths.source(new_id)
