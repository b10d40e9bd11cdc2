"""The instructor workflow end to end: collect, grade (sandboxed judge), feedback, export.

The attacks of tests/tamper/ are graded in tests/test_tamper.py.
"""

import json
import subprocess
import sys

import pytest
from coursefolders import add_assignment, fresh_folder

from conftest import IN_CI
from course import nbgrader_run as nbr
from course import notebooks as nbk
from course import sandbox
from course.collect import collect
from course.folder import init_course

ROOT = nbk.ROOT
PREFERRED = ["02_bayes_regression", "01_bootstrap", "04_bnn_mcmc", "03_metropolis", "05_hmc"]
PRESENT = [a for a in PREFERRED if nbk.solution_path(a).exists()]

needs_sandbox = pytest.mark.skipif(
    not sandbox.available() and not IN_CI,
    reason="no bubblewrap sandbox on this machine (apt-get install bubblewrap); "
           "with CI=true this test fails instead of skipping")


def course_cli(*args, timeout=1800):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True,
                          timeout=timeout, env=nbr._env())


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    if not PRESENT:
        pytest.skip("no assignment yet")
    assert sandbox.available(), "CI=true but bubblewrap cannot start a sandbox here"
    a = PRESENT[0]
    tmp = tmp_path_factory.mktemp("class")
    course = nbr.scratch_course(tmp / "course", [a])
    release = nbr.generate(a, nbr.scratch_course(tmp / "rel", [a]), tmp / "rel.db")
    reference = nbk.make_submission(a, nbk.answer_sources(a), release)
    blank = nbk.load(release)
    nbr.submit(course, a, "honest-a", reference)
    nbr.submit(course, a, "blank", blank)
    nbr.submit(course, a, "honest-z", reference)
    # Answers that use the setup cell's imports (np, helpers) without their own, as nbgrader allows.
    leaning = {g: "\n".join(ln for ln in src.splitlines() if ln.strip() != "import numpy as np")
               for g, src in nbk.answer_sources(a).items()}
    nbr.submit(course, a, "honest-setup", nbk.make_submission(a, leaning, release))
    proc = course_cli("--course-dir", str(course), "grade", a, "--workers", "2",
                      "--cell-timeout", "20")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    verdicts = {p.stem: json.loads(p.read_text())["verdict"]
                for p in (course / "autograded" / ".judge" / a).glob("*.json")}
    return {"assignment": a, "course": course, "verdicts": verdicts, "stdout": proc.stdout}


def score(v):
    return sum(c["score"] for c in v["cells"].values())


@needs_sandbox
def test_honest_submissions_keep_full_marks_in_a_batch_with_attacks(batch):
    v = batch["verdicts"]
    full = sum(nbr.test_points(batch["assignment"]).values())
    for student in ("honest-a", "honest-z", "honest-setup"):
        assert v[student]["status"] == "graded", v[student]
        assert score(v[student]) == full, {g: c["message"] for g, c in v[student]["cells"].items()
                                           if not c["passed"]}
    assert score(v["blank"]) == 0 and v["blank"]["status"] == "graded"


@needs_sandbox
def test_regrade_only_what_changed_then_feedback_and_export(batch):
    course, a = batch["course"], batch["assignment"]
    sub = course / "submitted" / "blank" / a / f"{a}.ipynb"
    nb = json.loads(sub.read_text())
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "changed"})
    sub.write_text(json.dumps(nb))
    proc = course_cli("--course-dir", str(course), "grade", a, "--workers", "1")
    assert proc.returncode == 0 and "1/1" in proc.stderr + proc.stdout, proc.stderr[-2000:]
    assert course_cli("--course-dir", str(course), "feedback", a).returncode == 0
    page = (course / "feedback" / "honest-a" / a / f"{a}.html").read_text()
    assert "BEGIN HIDDEN" not in page and "_probe" not in page and "Traceback" not in page
    bad = (course / "feedback" / "blank" / a / f"{a}.html").read_text()
    assert "not yet" in bad
    assert course_cli("--course-dir", str(course), "export", a).returncode == 0
    csv_text = (course / "reports" / "grades.csv").read_text()
    assert "honest-a" in csv_text and (course / "reports" / "scores.png").stat().st_size > 1000


def test_collect_places_lms_exports_and_never_overwrites_silently():
    a = "03_metropolis"
    with fresh_folder() as tmp:
        course = init_course(tmp / "course", empty=True)
        add_assignment(course, a, a)
        export = tmp / "export"
        (export / "carol").mkdir(parents=True)
        nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (export / f"alice_12345_678_{a}.ipynb").write_text(json.dumps(nb))
        (export / f"bob-{a}.ipynb").write_text(json.dumps(nb))
        (export / "carol" / f"{a}.ipynb").write_text(json.dumps(nb))
        (export / f"dave_{a}.ipynb").write_text("not json")
        r = collect(a, export, course)
        # A file that is not a notebook is placed (the student gets a verdict) with a warning.
        assert len(r.placed) == 4 and not r.problems and len(r.warnings) == 1 and "dave" in r.warnings[0]
        for s in ("alice-12345", "bob", "carol", "dave"):
            assert course.submission(s, a).exists()
        # Same files again: unchanged. A different resubmission: refused unless replace.
        assert collect(a, export, course).unchanged == ["alice-12345", "bob", "carol", "dave"]
        nb["cells"] = [{"cell_type": "markdown", "metadata": {}, "source": "v2"}]
        (export / f"bob-{a}.ipynb").write_text(json.dumps(nb))
        r = collect(a, export, course)
        assert not r.placed and any("already has a different submission" in p for p in r.problems)
        assert collect(a, export, course, replace=True).placed
        assert course.submission("bob", a).with_suffix(".previous-1").exists()

