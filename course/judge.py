"""The judge: the verdict on one submission, reached outside the student's process.

1. The student's answer cells are read from the submitted notebook as text (by nbgrader grade id);
   the setup cells (imports, data) are the instructor's, from the source notebook.
2. ``course.judge_runner`` runs them with each test cell's ``_probe`` in a bubblewrap sandbox; only
   plain data comes back.
3. Each test cell's ``_check`` judges that data here, in a grading process that never runs student
   code. The seed the check sees is the judge's, whatever the probe reported.
The test cells come from the instructor's source notebook (``solutions/<id>/<id>.ipynb``), and the
visible tests' probes and checks from ``visible_tests.py`` beside it, never from the submission or
the student's copy of that file, so edited or deleted tests change nothing.
"""

import hashlib
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import sandbox
from .matching import match_answers
from .notebooks import is_answer, is_test, load, meta, setup_sources, source, test_program
from .scan import scan  # noqa: F401 (judge.scan is the scan's public name too)


@dataclass
class Test:
    grade_id: str
    points: float
    description: str
    seed: int
    source: str  # definitions of _probe and _check, without the call and the hidden markers


@dataclass
class Verdict:
    student: str
    cells: dict = field(default_factory=dict)  # grade_id -> {score, max, passed, message}
    status: str = "graded"
    flags: list = field(default_factory=list)  # reasons for a human look
    notes: list = field(default_factory=list)  # how the answers were found, when not by grade id

    @property
    def score(self):
        return sum(c["score"] for c in self.cells.values())

    @property
    def max_score(self):
        return sum(c["max"] for c in self.cells.values())


def load_tests(source_nb):
    """Test cells, answer-cell ids, the sources of all code cells and the setup cells of the
    instructor's source notebook."""
    nb = load(source_nb)
    tests, answer_ids = [], []
    known = frozenset(source(c) for c in nb["cells"] if c["cell_type"] == "code")
    for cell in nb["cells"]:
        if is_answer(cell):
            answer_ids.append(meta(cell)["grade_id"])
        elif is_test(cell):
            src = source(cell)
            try:  # visible tests: from visible_tests.py beside the instructor's notebook
                body, seed = test_program(src, Path(source_nb).parent)
            except ValueError as exc:
                raise ValueError(f"test cell {meta(cell)['grade_id']}: {exc}") from None
            first = src.strip().splitlines()[0].strip().strip('"').strip("'") if src.strip() else ""
            tests.append(Test(meta(cell)["grade_id"], float(meta(cell).get("points", 0)), first,
                              seed, body))
    return tests, answer_ids, known, setup_sources(nb)


def answers_of(submission, answer_ids):
    """The submission's answer-cell sources in the order of the source notebook (missing -> '')."""
    by_id = {}
    for cell in submission.get("cells", []):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answer_ids and cell.get("cell_type") == "code" and gid not in by_id:
            by_id[gid] = source(cell)
    return [by_id.get(g, "") for g in answer_ids]


def decode(value):
    if isinstance(value, dict):
        if "__array__" in value:
            return np.array([float(x) for x in value["__array__"]], dtype=float).reshape(value["shape"])
        if "__float__" in value:
            return float(value["__float__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def check(test, result):
    """Run the test's ``_check`` on plain data (in this process, which runs no student code)."""
    ns = {"__name__": "__check__"}
    exec(compile(test.source, f"<{test.grade_id}>", "exec"), ns)
    data = decode(result)
    if isinstance(data, dict):
        data["seed"] = test.seed
    try:
        ns["_check"](data)
        return True, ""
    except AssertionError as exc:
        return False, str(exc) or "the check failed"
    except Exception as exc:  # the data had the wrong shape or type: the student's answer is wrong
        return False, f"the grader could not use your answer ({type(exc).__name__}: {exc})"


RUNNER = ("-m", "course.judge_runner")


def run_probes(tests, answers, scratch, unsafe=False, cell_seconds=60, memory_bytes=2 * 1024**3,
               setup=(), runner=RUNNER):
    """Run the sandboxed probes (after the instructor's ``setup`` cells and the answers); return
    ``{grade_id: runner result}``. ``runner``: how the interpreter starts the runner (benchmarks
    wrap it to measure its CPU time inside)."""
    job = {"setup": list(setup), "answers": answers,
           "cells": [{"grade_id": t.grade_id, "seed": t.seed, "source": t.source} for t in tests],
           "cpu_seconds": cell_seconds, "wall_seconds": cell_seconds, "memory_bytes": memory_bytes}
    argv = [sys.executable, "-I", *runner]
    if not unsafe:
        sandbox.seed(scratch)
        argv = sandbox.command(argv, scratch)
    total = cell_seconds * len(tests) + 30
    try:
        proc = subprocess.run(argv, input=json.dumps(job), capture_output=True, text=True,
                              timeout=total, cwd=scratch)
        return json.loads(proc.stdout[-100_000_000:])
    except subprocess.TimeoutExpired:
        return {t.grade_id: {"ok": False, "status": "timed out", "error": "the submission timed out"}
                for t in tests}
    except ValueError:
        return {t.grade_id: {"ok": False, "status": "crashed",
                             "error": "the submission crashed the grader's runner"} for t in tests}


def in_kernel_scores(assignment, submission_path, student, template_db, unsafe=False,
                     cell_seconds=60):
    """Autograde the submission with nbgrader itself, in the sandbox; return ``{grade_id: score}``.

    This is what the student's own kernel makes of the tests (their notebook, nbgrader's
    preprocessors). It runs sandboxed on a private copy of the gradebook, and is used only to
    compare with the judge: it never decides a score.
    """
    import shutil

    from .nbgrader_run import BIN, ROOT, _env

    with tempfile.TemporaryDirectory(prefix="kernel-") as tmp:
        course = Path(tmp)
        shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
        dest = course / "submitted" / student / assignment
        dest.mkdir(parents=True)
        shutil.copy(submission_path, dest / f"{assignment}.ipynb")
        shutil.copy(template_db, course / "gradebook.db")
        argv = [str(BIN / "nbgrader"), "autograde", assignment, "--force", f"--student={student}",
                f"--CourseDirectory.root={course}", f"--db=sqlite:///{course / 'gradebook.db'}",
                f"--Execute.timeout={cell_seconds}"]
        if not unsafe:
            sandbox.seed(course)
            argv = sandbox.command(argv, course)
        try:
            subprocess.run(argv, cwd=course, env=_env(), capture_output=True, timeout=
                           cell_seconds * 20 + 60)
        except subprocess.TimeoutExpired:
            return None
        import sqlite3

        try:
            con = sqlite3.connect(course / "gradebook.db")
            rows = con.execute("SELECT base_cell.name, grade.auto_score FROM grade JOIN base_cell "
                               "ON grade.cell_id = base_cell.id").fetchall()
            con.close()
        except sqlite3.Error:
            return None
        return {name: float(score or 0.0) for name, score in rows}


def compare(verdict, kernel):
    """Flag disagreements between the student's kernel and the judge (the judge's score stands)."""
    if kernel is None:
        verdict.flags.append("the in-kernel nbgrader run did not finish")
        return
    higher = sorted(g for g, c in verdict.cells.items() if kernel.get(g, 0.0) > c["score"])
    lower = sorted(g for g, c in verdict.cells.items() if kernel.get(g, 0.0) < c["score"])
    if higher:
        verdict.flags.append(f"the kernel scored more than the judge in {', '.join(higher)}")
        verdict.status = "tampering suspected"
    if lower:  # e.g. an honest answer that warned on stderr: nbgrader zeroes such a cell
        verdict.flags.append(f"the kernel scored less than the judge in {', '.join(lower)}")


def unreadable(submission_path):
    """``(notebook, '')`` or ``(None, why it cannot be graded)``."""
    try:
        submission = json.loads(Path(submission_path).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"the file is not valid notebook JSON ({type(exc).__name__}: {exc})"[:300]
    cells = submission.get("cells", submission.get("worksheets")) if isinstance(submission, dict) else None
    if not isinstance(cells, list):
        return None, "the file is JSON but not a notebook (no cells)"
    if int(submission.get("nbformat", 0) or 0) < 4:
        return None, (f"the notebook is in format nbformat {submission.get('nbformat')}; it needs 4 "
                      "(open and save it in a current Jupyter)")
    return submission, ""


def not_gradable(student, tests, reason):
    """Status *not gradable*: every test 0 with the reason, flagged for a person (never *graded*)."""
    v = Verdict(student, status="not gradable", flags=[reason])
    v.cells = {t.grade_id: {"score": 0.0, "max": t.points, "passed": False, "description": t.description,
                            "message": f"not gradable: {reason}"} for t in tests}
    return v


def judge(source_nb, submission_path, student, unsafe=False, cell_seconds=60):
    tests, answer_ids, known, setup = load_tests(source_nb)
    submission, why = unreadable(submission_path)
    if submission is None:
        return not_gradable(student, tests, why)
    answers, notes, missing = match_answers(submission, load(source_nb), known)
    if missing:
        return not_gradable(student, tests, f"answer cell(s) {', '.join(missing)} not found: no cell has "
                            "their grade id, and no unique cell matches them by content or position")
    verdict = Verdict(student, flags=scan(submission, answers, known), notes=notes)
    with tempfile.TemporaryDirectory(prefix="judge-") as scratch:
        results = run_probes(tests, answers, scratch, unsafe, cell_seconds, setup=setup)
    statuses = set()
    for t in tests:
        r = results.get(t.grade_id) or {"ok": False, "status": "crashed", "error": "no result"}
        errors = list(r.get("answer_errors", [])) + [r.get("error", "")]
        if any(e.startswith(("MemoryError", "RecursionError")) for e in errors):
            statuses.add("out of memory")
        if any("[Errno 27]" in e for e in errors):  # EFBIG: the output cap was hit
            statuses.add("output too large")
        if r.get("ok"):
            passed, message = check(t, r["result"])
        else:
            passed, message = False, r.get("error", "failed")
            missing = re.fullmatch(r"KeyError: '(\w+)'", message)
            if missing:
                message = f"`{missing.group(1)}` is not defined by your answers"
            if r.get("where"):
                message += f" ({r['where'][0]})"
            if r.get("answer_errors"):
                message += f"; your answer cell raised {r['answer_errors'][0]}"
            if r.get("status"):
                statuses.add(r["status"])
        verdict.cells[t.grade_id] = {"score": t.points if passed else 0.0, "max": t.points,
                                     "passed": passed, "message": message,
                                     "description": t.description}
    if "timed out" in statuses:
        verdict.status = "timed out"
    elif statuses:
        verdict.status = "crashed"
    if verdict.flags:
        verdict.status = "tampering suspected"
    elif notes and verdict.status == "graded":
        verdict.status = "graded, cells matched"  # a person should confirm the match
    return verdict


# The code a verdict depends on besides the submission and the tests: the judge, its runner, the
# notebook readers, the sandbox and the scan (course/scan.py, when present).
GRADER_CODE = ("judge.py", "judge_runner.py", "matching.py", "notebooks.py", "sandbox.py", "scan.py")


def grader_digest():
    h = hashlib.sha256()
    for name in GRADER_CODE:
        path = Path(__file__).with_name(name)
        h.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    return h.hexdigest()


def fingerprint_parts(source_nb, submission_path):
    """Digests of what a verdict depends on: ``submission`` (its bytes), ``tests`` (the test cells,
    answer ids and setup cells read from the source notebook, so that editing its prose regrades
    nothing) and ``grader`` (the code of the judge and the sandbox)."""
    tests, answer_ids, _, setup = load_tests(source_nb)
    spec = json.dumps([[vars(t) for t in tests], answer_ids, list(setup)], sort_keys=True, default=str)
    return {"submission": hashlib.sha256(Path(submission_path).read_bytes()).hexdigest(),
            "tests": hashlib.sha256(spec.encode()).hexdigest(), "grader": grader_digest()}


def combine(parts):
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def fingerprint(source_nb, submission_path):
    """One key for a cached verdict: it is reused only when none of ``fingerprint_parts`` changed."""
    return combine(fingerprint_parts(source_nb, submission_path))
