"""The instructor's path, end to end, as the README's Instructors section walks it.

A course folder of one's own (outside the repository), an assignment of one's own (`mcmc_hw`, not one
of the course's ids), released into that folder; a Canvas bulk-download zip and a Moodle download
folder collected (two students sharing a first name, names in several scripts, a resubmission, a zip
inside, a pdf, a corrupt notebook, stripped metadata, a changed grade id, an nbformat-3 file); graded;
every student under the right id, every bad file reported, every score and status right; the
Canvas CSV exact.
"""

import csv
import io
import json
import subprocess
import sys
import zipfile

import pytest
from coursefolders import add_assignment, fresh_folder

from conftest import IN_CI
from course import nbgrader_run as nbr
from course import notebooks as nbk
from course import sandbox
from course.paths import CoursePaths

SOURCE = "03_metropolis"  # the instructor's own assignment is a copy of it under another id
A = "mcmc_hw"

pytestmark = [
    pytest.mark.skipif(
        not sandbox.available() and not IN_CI,
        reason="no bubblewrap sandbox on this machine (apt-get install bubblewrap); with CI=true this fails"),
    # One worker walks the instructor's path (a module fixture), not one per worker.
    pytest.mark.xdist_group("instructor-path"),
]


def course(*args, ok=True, timeout=900):
    proc = subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True,
                          timeout=timeout, env=nbr._env())
    if ok:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def dumps(nb):
    return json.dumps(nb).encode()


def stripped(nb):
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        cell["metadata"] = {}
    return nb


def regraded_id(nb):
    nb = json.loads(json.dumps(nb))
    first = next(c for c in nb["cells"] if nbk.is_answer(c))
    first["metadata"]["nbgrader"]["grade_id"] = "my_renamed_cell"
    return nb


NBFORMAT3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""},
             "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "outputs": []}]}]}


@pytest.fixture(scope="module")
def walked():
    with fresh_folder() as tmp:
        root = tmp / "my-course"
        course("init", str(root), "--empty")
        paths = CoursePaths(root)
        add_assignment(paths, A, SOURCE)
        course("release", A, "--course-dir", str(root))
        release = nbk.load(paths.released(A))
        full = nbk.make_submission(SOURCE, nbk.answer_sources(SOURCE), paths.released(A))
        # Canvas: <lastfirst>[_late]_<userid>_<submissionid>_<original name>, in one zip.
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as z:
            z.writestr(f"{A}.ipynb", dumps(full))
        canvas = tmp / "submissions.zip"
        with zipfile.ZipFile(canvas, "w") as z:
            z.writestr(f"bergianna_12345_900001_{A}.ipynb", dumps(release))         # first try: blank
            z.writestr(f"bergianna_late_12345_900010_{A}-1.ipynb", dumps(full))     # the resubmission
            z.writestr(f"schmidtanna_12346_900002_{A}.ipynb", dumps(release))
            z.writestr("schmidtanna_12346_900002_notes.pdf", b"%PDF-1.4 not a notebook")
            z.writestr(f"müllerjosé_12347_900003_{A}.ipynb", dumps(full))
            z.writestr(f"weiz_12348_900004_{A}.ipynb", b'{"cells": [ this is not json')
            z.writestr("leekim_12349_900005_archive.zip", inner.getvalue())
        roster = tmp / "roster.csv"
        roster.write_text("lms_id,student,name,section\n12345,aberg,Anna Berg,A\n"
                          "12346,aschmidt,Anna Schmidt,B\n", encoding="utf-8")
        # Moodle: <Full Name>_<id>_assignsubmission_file_/<original name>, a folder.
        moodle = tmp / "moodle"
        for name, files in {
            "Olga Petrova_1019": {f"{A}.ipynb": dumps(stripped(full)), "notes.pdf": b"%PDF-1.4"},
            "张伟_1020": {f"{A}.ipynb": dumps(regraded_id(full))},
            "Niña Pérez_1021": {"Untitled1.ipynb": json.dumps(NBFORMAT3).encode()},
        }.items():
            folder = moodle / f"{name}_assignsubmission_file_"
            folder.mkdir(parents=True)
            for fname, data in files.items():
                (folder / fname).write_bytes(data)
        unknown = course("--course-dir", str(root), "collect", "99_nope", str(canvas), ok=False)
        got_canvas = course("collect", A, str(canvas), "--roster", str(roster), "--course-dir", str(root),
                            ok=False)
        got_moodle = course("--course-dir", str(root), "collect", A, str(moodle), ok=False)
        graded = course("--course-dir", str(root), "grade", A, "--workers", "2")
        course("--course-dir", str(root), "export")
        yield {"paths": paths, "unknown": unknown, "canvas": got_canvas, "moodle": got_moodle,
               "grade": graded, "points": sum(nbr.test_points(SOURCE).values())}


STUDENTS = {"aberg", "aschmidt", "mullerjose-12347", "weiz-12348", "olga-petrova-1019", "id-1020",
            "nina-perez-1021"}


def test_unknown_assignment_is_one_line_error(walked):
    proc = walked["unknown"]
    assert proc.returncode == 2 and "unknown assignment '99_nope'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_every_student_placed_under_the_right_id_and_every_bad_file_reported(walked):
    paths = walked["paths"]
    assert set(paths.submissions(A)) == STUDENTS
    canvas, moodle = walked["canvas"].stdout, walked["moodle"].stdout
    not_placed = [ln for ln in (canvas + moodle).splitlines() if ln.startswith("NOT PLACED")]
    assert any("notes.pdf: not a notebook" in ln and "schmidtanna" in ln for ln in not_placed)
    assert any("Olga Petrova_1019_assignsubmission_file_/notes.pdf: not a notebook" in ln
               for ln in not_placed)
    assert any("archive.zip:mcmc_hw.ipynb" in ln and "no known layout" in ln for ln in not_placed)
    assert any("bergianna_12345_900001" in ln and "earlier submission of aberg" in ln for ln in not_placed)
    assert len(not_placed) == 4, not_placed
    assert "weiz_12348_900004" in canvas and "not valid notebook JSON" in canvas
    assert "nbformat 3" in moodle
    # The resubmission is the one taken; names in any script survive in the roster.
    assert paths.submission("aberg", A).read_bytes() == json.dumps(
        nbk.make_submission(SOURCE, nbk.answer_sources(SOURCE), paths.released(A))).encode()
    roster = {r["student"]: r for r in csv.DictReader((paths.root / "roster.csv").open(encoding="utf-8"))}
    assert roster["id-1020"]["name"] == "张伟" and roster["nina-perez-1021"]["name"] == "Niña Pérez"
    assert roster["aberg"]["lms_id"] == "12345" and roster["olga-petrova-1019"]["lms_id"] == "1019"
    assert (paths.submission("aberg", A).parent / "timestamp.txt").read_text().startswith("20")


def test_every_score_and_status(walked):
    out, full = walked["grade"].stdout, walked["points"]
    rows = {ln.split()[0]: ln for ln in out.splitlines() if ln.split() and ln.split()[0] in STUDENTS}
    expect = {"aberg": ("graded", full), "aschmidt": ("graded", 0), "mullerjose-12347": ("graded", full),
              "weiz-12348": ("not gradable", 0), "olga-petrova-1019": ("graded, cells matched", full),
              "id-1020": ("graded, cells matched", full), "nina-perez-1021": ("not gradable", 0)}
    for student, (status, score) in expect.items():
        line = rows[student]
        assert f"  {status}  " in line and f" {score:g} / {full:g}" in line, line
    # The table is aligned: every row's score column ends at the same place.
    widths = {ln.index(" / ") for ln in out.splitlines()
              if " / " in ln and ln.split()[0] in STUDENTS | {"student"}}
    assert len(widths) == 1
    assert "7 regraded (new: 7)" in out


def test_canvas_csv_exact(walked):
    full = walked["points"] + 2  # the written answers' points count in the total
    text = (walked["paths"].reports / "canvas.csv").read_bytes().decode("utf-8")  # CRLF rows, as csv writes
    pts = walked["points"]
    expected = (
        f"Student,ID,SIS User ID,SIS Login ID,Section,{A}\r\n"
        f"    Points Possible,,,,,{full:g}\r\n"
        f"Anna Berg,12345,,aberg,A,{pts:g}\r\n"
        "Anna Schmidt,12346,,aschmidt,B,0\r\n"
        f"张伟,1020,,id-1020,,{pts:g}\r\n"
        f"müllerjosé,12347,,mullerjose-12347,,{pts:g}\r\n"
        "Niña Pérez,1021,,nina-perez-1021,,0\r\n"
        f"Olga Petrova,1019,,olga-petrova-1019,,{pts:g}\r\n"
        "weiz,12348,,weiz-12348,,0\r\n")
    assert text == expected
