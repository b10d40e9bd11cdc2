"""The gradebook is the source of truth, and nbgrader's formgrader works after `course grade`.

As an instructor: a course folder outside the repository, `course release`, two submissions (one
collected from a Moodle download with the instructor's roster), `course grade`; then formgrader's own
HTTP API on a real Jupyter server on loopback (started and always stopped here) lists the submissions
as autograded with the judge's scores, under the roster's names, and the written answers as needing a
hand grade; a hand grade and a comment set through that API reach `course feedback` and `course
export`. Then the cache never stands in for a write (a second gradebook gets every verdict), and a
change to the source notebook updates the gradebook's assignment.
"""

import csv
import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from coursefolders import add_assignment, fresh_folder

from conftest import IN_CI
from course import formgrade, sandbox
from course import gradebook as gbk
from course import nbgrader_run as nbr
from course import notebooks as nbk
from course.paths import CoursePaths

A = "03_metropolis"  # it has written answers (graded by hand) beside the judged tests
pytestmark = pytest.mark.skipif(
    not sandbox.available() and not IN_CI,
    reason="no bubblewrap sandbox on this machine (apt-get install bubblewrap); with CI=true this fails")


def course_cli(*args, timeout=900):
    proc = subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True,
                          timeout=timeout, env=nbr._env())
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Formgrader:
    """`jupyter server` with nbgrader's formgrader, in the course folder, on loopback."""

    def __init__(self, paths):
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.proc = subprocess.Popen(formgrade.command(paths, self.port, self.token), cwd=paths.root,
                                     env=nbr._env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while True:
            try:
                self.get("/formgrader/api/status")
                return
            except OSError as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    err = self.proc.stderr.read()[-2000:]
                    raise RuntimeError(f"formgrader did not start: {err}") from exc
                time.sleep(0.5)

    def request(self, path, method="GET", body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read().decode()
        return json.loads(text) if text.lstrip().startswith(("[", "{")) else text

    def get(self, path):
        return self.request(path)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def graded():
    with fresh_folder() as tmp:
        course_cli("init", str(tmp / "course"), "--empty")
        paths = CoursePaths(tmp / "course")
        add_assignment(paths, A, A)
        course_cli("release", A, "--course-dir", str(paths.root))
        release = paths.released(A)
        # ref comes as the LMS gives it: a Moodle download and the instructor's roster (names, email);
        # blank is placed by hand and has no roster row.
        export = tmp / "moodle" / "Anna Maria Berg_1017_assignsubmission_file_" / f"{A}.ipynb"
        export.parent.mkdir(parents=True)
        export.write_text(json.dumps(nbk.make_submission(A, nbk.answer_sources(A), release)))
        (tmp / "roster.csv").write_text("lms_id,student,name,email\n1017,ref,Anna Maria Berg,"
                                        "anna.berg@uni.example\n")
        course_cli("--course-dir", str(paths.root), "collect", A, str(tmp / "moodle"), "--roster",
                   str(tmp / "roster.csv"))
        nbr.submit(paths.root, A, "blank", nbk.load(release))
        for s, when in (("ref", "2026-03-01 09:30:00.000000 UTC"),
                        ("blank", "2026-03-02 23:59:00.000000 UTC")):
            (paths.submission(s, A).parent / "timestamp.txt").write_text(when)
        out = course_cli("--course-dir", str(paths.root), "grade", A, "--workers", "2").stdout
        yield paths, out


def test_formgrader_lists_judged_scores_and_hand_grades_reach_feedback_and_export(graded):
    paths, out = graded
    full = sum(nbr.test_points(A).values())
    assert "2 regraded" in out and "ref" in out
    server = Formgrader(paths)
    try:
        subs = {s["student"]: s for s in server.get(f"/formgrader/api/submissions/{A}")}
        assert set(subs) == {"ref", "blank"}
        assert all(s["autograded"] for s in subs.values()), subs
        assert subs["ref"]["code_score"] == full and subs["blank"]["code_score"] == 0
        assert subs["ref"]["max_written_score"] == 2 and subs["ref"]["max_score"] == full + 2
        assert all(s["needs_manual_grade"] for s in subs.values())  # the written answers
        assert subs["ref"]["timestamp"].startswith("2026-03-01T09:30")
        # The roster's names, as formgrader shows them ("Berg, Anna Maria"); none for blank.
        assert (subs["ref"]["first_name"], subs["ref"]["last_name"]) == ("Anna Maria", "Berg")
        assert (subs["blank"]["first_name"], subs["blank"]["last_name"]) == (None, None)
        students = {s["id"]: s for s in server.get("/formgrader/api/students")}
        assert students["ref"]["email"] == "anna.berg@uni.example" and students["blank"]["email"] is None
        assert students["ref"]["lms_user_id"] == "1017"
        nbs = {n["student"]: n for n in server.get(f"/formgrader/api/submitted_notebooks/{A}/{A}")}
        ref_nb = nbs["ref"]["id"]
        grades = server.get(f"/formgrader/api/grades?submission_id={ref_nb}")
        manual = [g for g in grades if g["needs_manual_grade"]]
        judged = [g for g in grades if g["auto_score"] is not None]
        assert {g["name"] for g in manual} == {"proposal_scale", "burn_in"}
        assert all(not g["needs_manual_grade"] for g in judged)
        assert sum(g["auto_score"] for g in judged) == full
        page = server.get(f"/formgrader/submissions/{ref_nb}/")
        assert "proposal" in page and "BEGIN HIDDEN" not in page and "passed: 2 / 2 points" in page
        server.request(f"/formgrader/api/grade/{manual[0]['id']}", "PUT", {"manual_score": 1})
        comments = server.get(f"/formgrader/api/comments?submission_id={ref_nb}")
        mine = next(c for c in comments if c["name"] == manual[0]["name"])
        server.request(f"/formgrader/api/comment/{mine['id']}", "PUT", {"manual_comment": "Clear and right."})
    finally:
        server.stop()
    assert server.proc.returncode is not None
    course_cli("--course-dir", str(paths.root), "feedback", A)
    page = paths.feedback_page("ref", A).read_text()
    assert f"{full + 1:g} / {full + 2:g}" in page and "Clear and right." in page
    assert "BEGIN HIDDEN" not in page
    course_cli("--course-dir", str(paths.root), "export", A)
    rows = list(csv.reader((paths.reports / "canvas.csv").open()))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and rows[0][5] == A
    assert rows[1][0].strip() == "Points Possible" and rows[1][5] == f"{full + 2:g}"
    assert {r[3]: r[5] for r in rows[2:]} == {"ref": f"{full + 1:g}", "blank": "0"}


def test_every_run_writes_every_verdict_even_cached_and_source_changes_update_the_gradebook(graded):
    paths, _ = graded
    other = paths.root / "other.db"
    out = course_cli("--course-dir", str(paths.root), "grade", A, "--db", str(other)).stdout
    assert "0 regraded" in out
    _, records = gbk.read(f"sqlite:///{other}", A)
    full = sum(nbr.test_points(A).values())
    assert {s: sum(c["score"] for c in r["cells"].values()) for s, r in records.items()} == {"ref": full,
                                                                                           "blank": 0}
    assert (records["ref"]["first_name"], records["ref"]["last_name"]) == ("Anna Maria", "Berg")
    # The instructor adds a point to a test and a new judged test: the gradebook follows, the
    # fingerprint says the tests changed, and the new test's score is there.
    nb = json.loads(paths.source(A).read_text())
    test = next(c for c in nb["cells"] if nbk.is_test(c))
    test["metadata"]["nbgrader"]["points"] += 1
    extra = json.loads(json.dumps(test))
    extra["metadata"]["nbgrader"]["grade_id"] = "test_extra"
    extra["id"] = "test-extra"
    nb["cells"].append(extra)
    paths.source(A).write_text(json.dumps(nb))
    out = course_cli("--course-dir", str(paths.root), "grade", A, "--db", str(other)).stdout
    assert "2 regraded" in out and "tests changed" in out, out
    full2, records = gbk.read(f"sqlite:///{other}", A)
    first = test["metadata"]["nbgrader"]["grade_id"]
    assert full2 == full + 2 + 1 + extra["metadata"]["nbgrader"]["points"]
    assert records["ref"]["cells"]["test_extra"]["score"] == extra["metadata"]["nbgrader"]["points"]
    assert records["ref"]["cells"][first]["max"] == test["metadata"]["nbgrader"]["points"]
