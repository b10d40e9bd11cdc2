"""Run nbgrader 0.9.6 as the course uses it: generate a student version, autograde, read scores.

Every call names its course folder and gradebook explicitly and puts the venv's ``bin`` on PATH
(nbgrader runs ``alembic`` from PATH when it creates a gradebook).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .notebooks import HIDDEN_MODULE, ROOT, load, meta

BIN = Path(sys.executable).parent
# nbgrader's Gradebook runs `alembic` from PATH, in this process too.
if str(BIN) not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"


def _env():
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def nbgrader(*args, course_dir, db, timeout=1800):
    """Run ``nbgrader <args>`` in ``course_dir`` with gradebook ``db``; return the completed process."""
    cmd = [str(BIN / "nbgrader"), *args, f"--CourseDirectory.root={course_dir}", f"--db=sqlite:///{db}"]
    return subprocess.run(cmd, cwd=course_dir, env=_env(), capture_output=True, text=True,
                          timeout=timeout)


def scratch_course(folder, assignments, source_root=ROOT):
    """A course folder holding the config and ``solutions/<id>`` of each assignment, copied from the
    course folder ``source_root`` (default: this repository; its config if it has none)."""
    folder, source_root = Path(folder), Path(source_root)
    folder.mkdir(parents=True, exist_ok=True)
    config = source_root / "nbgrader_config.py"
    shutil.copy(config if config.exists() else ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    for a in assignments:
        dest = folder / "solutions" / a
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(source_root / "solutions" / a, dest)
    return folder


def generate(assignment, course_dir, db):
    """``nbgrader generate_assignment``: writes ``course_dir/exercises/<id>/``; raises on failure."""
    proc = nbgrader("generate_assignment", assignment, "--force", course_dir=course_dir, db=db)
    out = Path(course_dir) / "exercises" / assignment / f"{assignment}.ipynb"
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"generate_assignment {assignment} failed:\n{proc.stdout}\n{proc.stderr}")
    # nbgrader releases every file beside the notebook; the hidden tests' module is the instructor's
    # (autograde still finds it: it copies the source folder's files into each autograded folder).
    (out.parent / HIDDEN_MODULE).unlink(missing_ok=True)
    return out


def normalised(path):
    """A notebook's JSON with what varies between runs of nbgrader removed (for comparisons)."""
    nb = load(path)
    nb.get("metadata", {}).pop("widgets", None)
    return json.dumps(nb, sort_keys=True, indent=1)


def submit(course_dir, assignment, student, notebook):
    """Place one notebook (a dict) as ``submitted/<student>/<id>/<id>.ipynb``."""
    dest = Path(course_dir) / "submitted" / student / assignment
    dest.mkdir(parents=True, exist_ok=True)
    (dest / f"{assignment}.ipynb").write_text(json.dumps(notebook, indent=1))


def autograde(assignment, course_dir, db, force=True):
    args = ["autograde", assignment] + (["--force"] if force else [])
    return nbgrader(*args, course_dir=course_dir, db=db)


def scores(assignment, db):
    """``{student: {grade_id: (score, max_score)}}`` of the autograded (test) cells."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        for sub in gb.assignment_submissions(assignment):
            cells = {}
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.cell_type == "code":
                        cells[grade.name] = (float(grade.score or 0.0), float(grade.max_score))
            out[sub.student_id] = cells
    return out


def test_points(assignment):
    """``{grade_id: points}`` of the autograded test cells of the source notebook."""
    nb = load(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    return {meta(c)["grade_id"]: float(meta(c).get("points", 0)) for c in nb["cells"]
            if c["cell_type"] == "code" and meta(c).get("grade") and not meta(c).get("solution")}
