"""Several graders on one PostgreSQL gradebook, for real.

The test starts a throwaway PostgreSQL cluster itself (Debian's `initdb` and `pg_ctl`, as an
unprivileged user, in a fresh folder, listening on a Unix socket only) and always stops it. Two
course folders, each holding half of a class, grade at the same time (`--workers 2` each) into the
one database; a hand grade is set; a third folder exports: every student exactly once, every score
and the hand grade present. Without PostgreSQL the test skips saying why; with CI=true it fails.
"""

import csv
import subprocess
import sys

import pytest
from coursefolders import add_assignment, fresh_folder

from conftest import IN_CI
from course import nbgrader_run as nbr
from course import notebooks as nbk
from course import pgcluster, sandbox
from course.paths import CoursePaths

A = "03_metropolis"
CLASS = [f"s{i:02d}" for i in range(6)]  # even: the reference answers, odd: blank


@pytest.fixture(scope="module")
def postgres():
    if not pgcluster.available():
        if IN_CI:
            pytest.fail("CI=true but PostgreSQL is missing (.ci/run installs Debian's postgresql)")
        pytest.skip(f"PostgreSQL server binaries not found ({pgcluster.INITDB}); apt-get install "
                    "postgresql. With CI=true this test fails instead")
    cluster = pgcluster.Cluster()
    try:
        yield cluster.database("gradebook")
    finally:
        cluster.stop()


def course(*args, timeout=1200):
    return subprocess.Popen([sys.executable, "-m", "course", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=nbr._env())


def finished(proc, timeout=1200):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out[-3000:] + err[-3000:]
    return out


def new_course(root):
    finished(course("init", str(root), "--empty"))
    paths = CoursePaths(root)
    add_assignment(paths, A, A)
    return paths


def test_two_graders_one_postgres_gradebook_nothing_lost(postgres):
    safety = [] if sandbox.available() else ["--unsafe"]
    if IN_CI:
        assert sandbox.available(), "CI=true but bubblewrap cannot start a sandbox here"
    with fresh_folder() as tmp:
        halves = [new_course(tmp / "grader-1"), new_course(tmp / "grader-2")]
        finished(course("--course-dir", str(halves[0].root), "release", A))
        release = halves[0].released(A)
        reference = nbk.make_submission(A, nbk.answer_sources(A), release)
        for i, student in enumerate(CLASS):
            nbr.submit(halves[i % 2].root, A, student, reference if i % 2 == 0 else nbk.load(release))
        # Half a class each, at the same time, into one database.
        procs = [course("--course-dir", str(p.root), "grade", A, "--workers", "2", "--db", postgres, *safety)
                 for p in halves]
        outs = [finished(p) for p in procs]
        assert all("3 regraded" in o for o in outs), outs
        # A hand grade on a written answer (what formgrader's PUT does).
        from nbgrader.api import Gradebook

        from course.paths import db_url

        url = db_url(halves[0], postgres)
        with Gradebook(url) as gb:
            grade = gb.find_grade("burn_in", A, A, "s00")
            grade.manual_score = 1.0
            grade.needs_manual_grade = False
            gb.db.commit()
        # Grading again (cached verdicts) must not undo it, nor duplicate anyone.
        finished(course("--course-dir", str(halves[0].root), "grade", A, "--db", postgres, *safety))
        third = new_course(tmp / "export-here")
        finished(course("--course-dir", str(third.root), "export", A, "--db", postgres))
        rows = list(csv.reader((third.reports / "canvas.csv").open(encoding="utf-8")))
    points = sum(nbr.test_points(A).values())
    assert rows[1][5] == f"{points + 2:g}"
    got = [(r[3], r[5]) for r in rows[2:]]
    assert len(got) == len(CLASS) and {s for s, _ in got} == set(CLASS)  # each exactly once
    expect = {s: (points if i % 2 == 0 else 0) for i, s in enumerate(CLASS)}
    expect["s00"] += 1
    assert dict(got) == {s: f"{v:g}" for s, v in expect.items()}
