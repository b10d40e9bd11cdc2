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
