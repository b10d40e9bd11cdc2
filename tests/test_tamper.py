"""Attacks on the grading workflow (tests/tamper/), and the scan that flags them.

The scan (``course.scan``) is measured on the corpus: no honest or merely buggy submission is flagged,
every tamper is (or says in its docstring why it is harmless).
"""

from pathlib import Path

import pytest

from course import judge
from course import notebooks as nbk
from course.scan import scan, scan_sources

ROOT = nbk.ROOT
TAMPER = sorted((ROOT / "tests" / "tamper").glob("*.py"))
CORPUS = sorted((ROOT / "tests" / "corpus").glob("*/*.py"))


def corpus_flags(path):
    """The scan's reasons for a corpus file submitted as its assignment's answers."""
    a = path.parent.name
    known = judge.load_tests(nbk.solution_path(a))[2]
    answers = nbk.submission_answers(a, path.read_text())
    return scan(nbk.make_submission(a, answers), list(answers.values()), known)


def harmless_reason(path):
    """The tamper's own account of why it gains nothing even unflagged ("Harmless: ..."), or None."""
    doc = (path.read_text().split('"""') + ["", ""])[1]
    return next((ln for ln in doc.splitlines() if ln.strip().startswith("Harmless")), None)


def test_scan_flags_no_honest_or_buggy_submission():
    assert CORPUS, "no corpus"
    flagged = {f"{p.parent.name}/{p.name}": corpus_flags(p) for p in CORPUS}
    assert {k: v for k, v in flagged.items() if v} == {}


@pytest.mark.parametrize("attack", TAMPER, ids=[p.stem for p in TAMPER])
def test_scan_flags_every_tamper_or_it_says_why_it_is_harmless(attack):
    a = "01_bootstrap"
    known = judge.load_tests(nbk.solution_path(a))[2]
    answers = nbk.submission_answers(a, attack.read_text())
    if answers == nbk.answer_sources(a):  # written for another assignment: scan the file itself
        answers = {"all": attack.read_text()}
    reasons = scan(nbk.make_submission(a, answers), list(answers.values()), known)
    assert reasons or harmless_reason(attack), f"{attack.name} is neither flagged nor harmless"


@pytest.mark.parametrize("src, expected", [
    ("x = 1  # requests 8 PB over a socket\ns = 'solutions/ gradebook.db open( sys.exit()'", None),
    ("import sys as _sys\n_sys.exit()", "controls the process"),
    ("import os as o\no._exit(0)", "controls the process"),
    ("from os import _exit as q\nq(0)", "controls the process"),
    ("from pathlib import Path\nPath('solutions').glob('*')", "uses files"),
    ("import io\nio.FileIO('x')", "uses files"),
    ("f = open('x')", "uses files"),
    ("import os\nlist(os.walk('/'))", "uses files"),
    ("import importlib\nimportlib.import_module('os')", "patches the import system"),
    ("__import__('os').system('ls')", "patches the import system"),
    ("import os\ngetattr(os, '_exit')(0)", "reaches into a module with getattr/setattr"),
    ("import subprocess as sp", "starts processes"),
    ("import socket", "uses the network"),
    ("import ctypes", "reaches into the interpreter"),
    ("np.mean = lambda *a: 0.0", "patches a library (numpy, helpers, the standard library)"),
    ("helpers.mh.metropolis = None", "patches a library (numpy, helpers, the standard library)"),
    ("def f(:\n    pass", "a cell is not valid Python (line 1: invalid syntax)"),
])
def test_scan_reads_code_not_text(src, expected):
    setup = ["import numpy as np\nimport helpers"]
    reasons = scan_sources([], [src], setup)
    assert (expected in reasons) if expected else reasons == [], reasons


def test_students_own_names_and_harmless_magics_do_not_flag():
    src = "%matplotlib inline\ncode = 3\nselect = code + 1\nio = [select]\nprint(io)"
    assert scan_sources([src], [], ["import numpy as np"]) == []


def test_an_answer_that_calls_the_course_samplers_is_flagged_but_ungraded_cells_may():
    """helpers' samplers have the contract's signatures: delegating to them is flagged for a human look."""
    a = "03_metropolis"
    known = judge.load_tests(nbk.solution_path(a))[2]
    answers = list(nbk.answer_sources(a).values())
    sub = nbk.make_submission(a, nbk.answer_sources(a))
    explore = "samples, rate = helpers.metropolis(log_post_reg, np.zeros(2), 100, 0.1, rng)"
    sub["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                         "source": explore})
    assert scan(sub, answers, known) == []
    delegating = answers + ["import helpers\n\ndef metropolis(log_post, theta0, n_steps, proposal_sd, rng):\n"
                            "    return helpers.metropolis(log_post, theta0, n_steps, proposal_sd, rng)\n"]
    assert any("helpers" in why for why in scan(sub, delegating, known))
    assert any("helpers" in why for why in scan(sub, answers + ["from helpers.mh import metropolis"], known))


def test_corpus_files_exist_for_every_assignment():
    assert {p.parent.name for p in CORPUS} >= {a for a in nbk.ASSIGNMENTS
                                               if Path(nbk.solution_path(a)).exists()}
