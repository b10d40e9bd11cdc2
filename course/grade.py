"""Grade a class: every collected submission judged in parallel, scores into nbgrader's gradebook.

Workers (processes) each judge one submission at a time (``course.judge``: sandboxed probes, checks
in the worker). Only the main process writes the gradebook, one submission at a time, so SQLite
never sees concurrent writers. Verdicts are cached beside the submissions (``autograded/.judge``),
keyed on the submission, the source notebook and the judge's version: a re-run regrades only what
changed unless ``force``.
"""

import json
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path

from . import judge as _judge
from . import nbgrader_run as nbr
from . import sandbox


def source_notebook(course_dir, assignment):
    return Path(course_dir) / "solutions" / assignment / f"{assignment}.ipynb"


def submissions(course_dir, assignment):
    """``{student: path}`` of ``submitted/<student>/<id>/<id>.ipynb``."""
    base = Path(course_dir) / "submitted"
    return {p.parent.parent.name: p for p in sorted(base.glob(f"*/{assignment}/{assignment}.ipynb"))}


def cache_dir(course_dir, assignment):
    return Path(course_dir) / "autograded" / ".judge" / assignment


def db_url(course_dir, db=None):
    if db:
        return db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    return f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"


def ensure_assignment(course_dir, assignment, url):
    """Make sure the gradebook knows the assignment's cells (as ``generate_assignment`` records them)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            a = gb.find_assignment(assignment)
            if a.notebooks:
                return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "course"
        (scratch / "solutions").mkdir(parents=True)
        shutil.copytree(Path(course_dir) / "solutions" / assignment, scratch / "solutions" / assignment)
        shutil.copy(Path(course_dir) / "nbgrader_config.py"
                    if (Path(course_dir) / "nbgrader_config.py").exists()
                    else nbr.ROOT / "nbgrader_config.py", scratch / "nbgrader_config.py")
        cmd = [str(nbr.BIN / "nbgrader"), "generate_assignment", assignment, "--force",
               f"--CourseDirectory.root={scratch}", f"--db={url}"]
        import subprocess

        proc = subprocess.run(cmd, cwd=scratch, env=nbr._env(), capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"could not register {assignment} in the gradebook:\n{proc.stderr[-2000:]}")


def write_gradebook(url, assignment, verdict):
    """Record one verdict as the autograded scores of the test cells."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb, warnings.catch_warnings():
        # nbgrader 0.9.6 with SQLAlchemy 2.1 warns "not in session" here; the scores are right.
        warnings.simplefilter("ignore")
        gb.update_or_create_student(verdict.student)
        try:
            sub = gb.find_submission(assignment, verdict.student)
        except MissingEntry:
            sub = gb.add_submission(assignment, verdict.student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                if grade.name in verdict.cells:
                    grade.auto_score = verdict.cells[grade.name]["score"]
        gb.db.commit()


def _work(args):
    source_nb, path, student, unsafe, cell_seconds, template_db = args
    v = _judge.judge(source_nb, path, student, unsafe=unsafe, cell_seconds=cell_seconds)
    if template_db:
        assignment = Path(source_nb).stem
        _judge.compare(v, _judge.in_kernel_scores(assignment, path, student, template_db, unsafe,
                                                  cell_seconds))
    return asdict(v)


def grade(assignment, course_dir, workers=None, force=False, unsafe=False, db=None,
          cell_seconds=60, progress=True, students=None, in_kernel=False):
    """Judge every submission of ``assignment``; return ``{student: verdict dict}``."""
    course_dir = Path(course_dir).resolve()
    if not unsafe and not sandbox.available():
        raise SystemExit("no sandbox: bubblewrap (bwrap) is missing or cannot start here. Install it "
                         "(Debian: apt-get install bubblewrap) or pass --unsafe to grade WITHOUT "
                         "isolation, trusting every submission.")
    source_nb = source_notebook(course_dir, assignment)
    if not source_nb.exists():
        raise SystemExit(f"no source notebook {source_nb}")
    url = db_url(course_dir, db)
    ensure_assignment(course_dir, assignment, url)
    subs = submissions(course_dir, assignment)
    if students:
        subs = {s: p for s, p in subs.items() if s in students}
    cdir = cache_dir(course_dir, assignment)
    cdir.mkdir(parents=True, exist_ok=True)
    results, todo = {}, []
    for student, path in subs.items():
        key = _judge.fingerprint(source_nb, path)
        cached = cdir / f"{student}.json"
        if not force and cached.exists():
            data = json.loads(cached.read_text())
            if data.get("fingerprint") == key:
                results[student] = data["verdict"]
                continue
        todo.append((student, path, key))
    workers = workers or os.cpu_count() or 1
    template_db = None
    if in_kernel and todo:
        # A private gradebook holding only this assignment: each in-kernel run gets a copy.
        template_dir = Path(tempfile.mkdtemp(prefix="template-"))
        template_db = template_dir / "gradebook.db"
        ensure_assignment(course_dir, assignment, f"sqlite:///{template_db}")
    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="submission")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_work, (source_nb, path, student, unsafe, cell_seconds, template_db)):
                   (student, key) for student, path, key in todo}
        for fut in as_completed(futures):
            student, key = futures[fut]
            try:
                verdict = fut.result()
            except Exception as exc:  # the grader itself failed on this one: say so, go on
                verdict = {"student": student, "cells": {}, "status": "crashed",
                           "flags": [f"grader error: {type(exc).__name__}: {exc}"[:300]]}
            write_gradebook(url, assignment, _judge.Verdict(**verdict))
            (cdir / f"{student}.json").write_text(json.dumps({"fingerprint": key, "verdict": verdict}))
            results[student] = verdict
            if bar:
                bar.update()
    if bar:
        bar.close()
    if template_db:
        shutil.rmtree(template_db.parent, ignore_errors=True)
    return dict(sorted(results.items()))


def table(assignment, results):
    lines = [f"{'student':24s} {'status':20s} {'score':>12s}"]
    for student, v in results.items():
        score = sum(c["score"] for c in v["cells"].values())
        top = sum(c["max"] for c in v["cells"].values())
        lines.append(f"{student:24s} {v['status']:20s} {score:6.1f} / {top:<5.1f}")
    return f"{assignment}\n" + "\n".join(lines)
