"""`course` on an instructor's own folder: `init`, `--course-dir` anywhere on the line, and every
configuration mistake answered in one line (exit 2), never a traceback. Seconds, no grading."""

import os
import subprocess
import sys

import pytest
from coursefolders import fresh_folder

from course import nbgrader_run as nbr
from course.cli import parser
from course.paths import CourseError, CoursePaths, db_url


def course(*args):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True,
                          timeout=300, env=nbr._env())


@pytest.fixture(scope="module")
def folder():
    with fresh_folder() as tmp:
        proc = course("init", str(tmp / "mine"))
        assert proc.returncode == 0, proc.stderr
        yield CoursePaths(tmp / "mine")


def test_init_makes_a_course_folder_with_the_courses_assignments(folder):
    assert folder.config.exists() and "solutions/<id>/<id>.ipynb" in (folder.root / "README.md").read_text()
    assert folder.assignments() == CoursePaths(nbr.ROOT).assignments()
    again = course("init", str(folder.root))
    assert again.returncode == 2 and "already holds a course" in again.stderr


@pytest.mark.parametrize("argv", [["--course-dir", "X", "grade", "a1"], ["grade", "a1", "--course-dir", "X"]])
def test_course_dir_before_or_after_the_command(argv):
    assert parser().parse_args(argv).course_dir == "X"


@pytest.mark.parametrize("args, says", [
    (["export", "--db", "bogus://x"], "unknown database kind 'bogus'"),
    (["export", "--db", "not a url://"], "is not a database URL"),
    (["export", "--db", "/proc/no/such/gradebook.db"], "missing or not writable"),
    (["feedback", "99_nope"], "unknown assignment '99_nope'"),
    (["release", "99_nope"], "unknown assignment '99_nope'"),
    (["collect", "99_nope", "."], "unknown assignment '99_nope'"),
])
def test_configuration_mistakes_are_one_line(folder, args, says):
    proc = course(*args, "--course-dir", str(folder.root))
    assert proc.returncode == 2 and says in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_not_a_course_folder_is_one_line():
    with fresh_folder() as tmp:
        proc = course("--course-dir", str(tmp / "nothing"), "export")
        assert proc.returncode == 2 and "is not a course folder" in proc.stderr
        assert not (tmp / "nothing").exists()  # nothing made in a mistyped folder


def test_postgres_urls_use_the_pinned_driver(folder):
    assert db_url(folder, "postgresql://u@/gb?host=/run/pg").startswith("postgresql+psycopg://")
    with pytest.raises(CourseError, match="driver is not installed"):
        db_url(folder, "mysql://u@localhost/gb")


def test_collect_reads_a_latin1_file_name_on_a_strict_ascii_terminal(folder):
    """A file name in latin-1 bytes (an old zip tool) keeps its name; printing it cannot crash."""
    a = "03_metropolis"
    with fresh_folder() as tmp:
        export = tmp / "export"
        export.mkdir()
        name = os.fsdecode(f"niña_7_9_{a}.ipynb".encode("latin-1"))
        (export / name).write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        proc = subprocess.run([sys.executable, "-m", "course", "collect", a, str(export), "--course-dir",
                               str(folder.root)], capture_output=True, text=True, timeout=300,
                              env={**nbr._env(), "PYTHONIOENCODING": "ascii:strict"})
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        assert folder.submission("nina-7", a).exists() and "1 placed" in proc.stdout
        assert "niña" in (folder.root / "roster.csv").read_text(encoding="utf-8")


def test_moodle_csv_has_one_row_per_student_keyed_by_the_moodle_user_id(folder):
    """Moodle's CSV grade import maps one column to a user field (userid here) and takes one column
    per grade item; every student once, in the roster's script."""
    import csv

    from course.report import write_moodle

    rec = {"cells": {"t1": {"score": 3.0}, "w1": {"score": 1.0}}}
    roster = {"olga-petrova-1019": {"lms_id": "1019", "name": "Olga Petrova", "email": ""},
              "id-1020": {"lms_id": "1020", "name": "张伟", "email": "wei@example.org"}}
    with fresh_folder() as tmp:
        write_moodle(tmp / "moodle.csv", ["hw1", "hw2"],
                     {"id-1020": {"hw1": rec}, "olga-petrova-1019": {"hw1": rec, "hw2": rec}}, roster)
        rows = list(csv.reader((tmp / "moodle.csv").open(encoding="utf-8")))
    assert rows == [["User ID", "Email address", "Full name", "Student", "hw1", "hw2"],
                    ["1020", "wei@example.org", "张伟", "id-1020", "4", ""],
                    ["1019", "", "Olga Petrova", "olga-petrova-1019", "4", "4"]]


def test_release_refuses_a_visible_test_whose_definitions_are_missing(folder):
    """An instructor who copies only the notebook would release cells that cannot run: refused, saying
    which file is missing; with the files beside it, released with them."""
    from coursefolders import add_assignment

    src = add_assignment(folder, "hw_copy", "01_bootstrap")
    (src.parent / "visible_tests.py").unlink()
    proc = course("release", "hw_copy", "--course-dir", str(folder.root))
    assert proc.returncode == 1 and "visible_tests.py is missing" in proc.stdout, proc.stdout + proc.stderr
    assert not folder.released("hw_copy").exists()
    (src.parent / "visible_tests.py").write_bytes((nbr.ROOT / "solutions" / "01_bootstrap" /
                                                   "visible_tests.py").read_bytes())
    proc = course("release", "hw_copy", "--course-dir", str(folder.root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (folder.released("hw_copy").parent / "visible_tests.py").exists()


@pytest.mark.parametrize("row, fields", [
    ({"name": "Anna Maria Berg", "email": " a@x.example ", "lms_id": "1017"},
     {"first_name": "Anna Maria", "last_name": "Berg", "email": "a@x.example", "lms_user_id": "1017"}),
    ({"name": "Berg,  Anna Maria"}, {"first_name": "Anna Maria", "last_name": "Berg"}),
    ({"name": "张伟"}, {"first_name": "", "last_name": "张伟"}),
    ({"name": "Anna Berg", "first_name": "Anna", "last_name": "van den Berg"},
     {"first_name": "Anna", "last_name": "van den Berg"}),
    ({"name": " ", "email": ""}, {}), (None, {})])
def test_roster_rows_give_the_gradebooks_student_columns(row, fields):
    """What `grade` writes into nbgrader's student row: the roster's own first and last names, else its
    name split (a comma: "Last, First"; else the last word is the family name); nothing it lacks."""
    from course.roster import gradebook_fields

    assert gradebook_fields(row) == fields
