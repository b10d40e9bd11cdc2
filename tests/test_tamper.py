"""Attacks on the grading workflow (tests/tamper/), graded through `course grade`, and the scan.

Each attack is appended to the last answer cell of a plausible buggy submission that honestly loses
points (``BASE``), so a working attack shows as a gain. One sandboxed class holds honest submissions
(graded before and after), the plain buggy one and every attack: none gains, the gradebook, the
solutions, helpers and the home folder are unchanged. Positive controls, with ``--unsafe`` in
throwaway copies of the course: every attack that "Needs the sandbox" gains points or changes state
(a payload that does nothing fails the test); the "Harmless" ones gain nothing there either.

The scan (``course.scan``) is measured on the corpus: no honest or merely buggy submission is flagged,
every tamper is (or says in its docstring why it is harmless).
"""

import hashlib
import shutil
import socket
import sqlite3
import threading
from pathlib import Path

import pytest
from test_sandbox import course_cli, fresh_dir, needs_sandbox, release, verdicts

from course import judge, sandbox
from course import nbgrader_run as nbr
from course import notebooks as nbk
from course.scan import scan, scan_sources

# One worker builds the graded class: the positive controls write into the repository's helpers/,
# which a second copy of the fixture (on another worker) deleted under the first.
pytestmark = pytest.mark.xdist_group("tamper")

ROOT = nbk.ROOT
TAMPER = sorted((ROOT / "tests" / "tamper").glob("*.py"))
CORPUS = sorted((ROOT / "tests" / "corpus").glob("*/*.py"))
A = "01_bootstrap"  # the cheapest class to grade
BASE = ROOT / "tests" / "corpus" / A / "bug_polyfit_order.py"  # loses the fit_line and bootstrap points
NEEDS = [p for p in TAMPER if "Needs the sandbox" in p.read_text()]
HARMLESS = [p for p in TAMPER if p not in NEEDS]
MARKER = ROOT / "helpers" / "zz_tampered.py"  # what append_to_helpers writes


def digest(folder):
    h = hashlib.sha256()
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def score(v):
    return sum(c["score"] for c in v["cells"].values())


def student(attack):
    return f"m-{attack.stem.replace('_', '-')}"


class Listener:
    """A loopback TCP server that records what it receives (the network attack's target)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.port, self.received, self.stop = self.sock.getsockname()[1], [], False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(1024))
                except OSError:
                    pass

    def close(self):
        self.stop = True
        self.thread.join(5)
        self.sock.close()


def attacked_answers(attack, port=0):
    """BASE's answers with ``attack`` appended to the last one (the network attack aimed at ``port``)."""
    answers = nbk.submission_answers(A, BASE.read_text())
    last = list(answers)[-1]
    src = attack.read_text().replace('("127.0.0.1", 0)', f'("127.0.0.1", {port})')
    answers[last] = answers[last] + "\n\n" + src
    return answers


def attacked(release_nb, attack, port):
    return nbk.make_submission(A, attacked_answers(attack, port), release_nb)


def gradebook(course):
    """``({student: total auto score}, [trigger names])`` of a course's gradebook."""
    con = sqlite3.connect(course / "gradebook.db")
    rows = dict(con.execute(
        "SELECT student.id, SUM(grade.auto_score) FROM grade JOIN submitted_notebook ON "
        "grade.notebook_id = submitted_notebook.id JOIN submitted_assignment ON "
        "submitted_notebook.assignment_id = submitted_assignment.id JOIN student ON "
        "submitted_assignment.student_id = student.id GROUP BY student.id").fetchall())
    triggers = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    con.close()
    return rows, triggers


def grade_env(home):
    env = nbr._env()
    env["HOME"] = str(home)
    env.pop("IPYTHONDIR", None)
    return env


@pytest.fixture(scope="module")
def tamper_class():
    """One class graded sandboxed; copies graded with --unsafe (positive controls)."""
    if not nbk.solution_path(A).exists():
        pytest.skip(f"no {A}")
    assert sandbox.available(), "CI=true but bubblewrap cannot start a sandbox here"
    base, listener = fresh_dir(), Listener()
    try:
        course = nbr.scratch_course(base / "course", [A])
        rel = release(A, base)
        reference = nbk.make_submission(A, nbk.answer_sources(A), rel)
        nbr.submit(course, A, "a-honest", reference)
        buggy = nbk.make_submission(A, nbk.submission_answers(A, BASE.read_text()), rel)
        nbr.submit(course, A, "b-buggy", buggy)
        for attack in TAMPER:
            nbr.submit(course, A, student(attack), attacked(rel, attack, listener.port))
        nbr.submit(course, A, "z-honest", reference)
        # Throwaway copies for the positive controls: all but kill_process, and kill_process alone.
        unsafe, kill = base / "unsafe", base / "unsafe-kill"
        shutil.copytree(course, unsafe)
        for d in (unsafe / "submitted").iterdir():
            if d.name in ("a-honest", "z-honest", "m-kill-process"):
                shutil.rmtree(d)
        kill.mkdir()
        shutil.copytree(course, kill / "c")
        kill = kill / "c"
        for d in (kill / "submitted").iterdir():
            if d.name not in ("m-kill-process", "z-honest"):  # graded in this order, one worker
                shutil.rmtree(d)
        before = {"helpers": digest(ROOT / "helpers"), "solutions": digest(course / "solutions"),
                  "repo solutions": digest(ROOT / "solutions"),
                  "home startup": sorted(str(p) for p in Path.home().glob(".ipython/*/startup/*"))}
        home = base / "home"
        home.mkdir()
        proc = course_cli("--course-dir", str(course), "grade", A, "--workers", "2", "--cell-timeout", "20",
                          cwd=course, env=grade_env(home))
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        after = {"helpers": digest(ROOT / "helpers"), "solutions": digest(course / "solutions"),
                 "repo solutions": digest(ROOT / "solutions"),
                 "home startup": sorted(str(p) for p in Path.home().glob(".ipython/*/startup/*"))}
        sandboxed = {"verdicts": verdicts(course, A), "gradebook": gradebook(course), "before": before,
                     "after": after, "home": sorted(str(p) for p in home.rglob("*")),
                     "received": list(listener.received)}
        # Positive controls, without the sandbox.
        uhome = base / "unsafe-home"
        uhome.mkdir()
        proc = course_cli("--course-dir", str(unsafe), "grade", A, "--workers", "2", "--cell-timeout", "20",
                          "--unsafe", cwd=unsafe, env=grade_env(uhome))
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        controls = {"verdicts": verdicts(unsafe, A), "gradebook": gradebook(unsafe),
                    "helpers marker": MARKER.exists(),
                    "home startup": sorted(str(p) for p in uhome.glob(".ipython/*/startup/*")),
                    "received": list(listener.received[len(sandboxed["received"]):])}
        MARKER.unlink(missing_ok=True)
        proc = course_cli("--course-dir", str(kill), "grade", A, "--workers", "1", "--cell-timeout", "20",
                          "--unsafe", cwd=kill, env=grade_env(uhome))
        controls["kill returncode"] = proc.returncode
        controls["kill graded"] = sorted(verdicts(kill, A))
        yield {"sandboxed": sandboxed, "unsafe": controls}
    finally:
        MARKER.unlink(missing_ok=True)
        listener.close()
        shutil.rmtree(base, ignore_errors=True)


@needs_sandbox
def test_honest_submissions_keep_their_scores_around_attacks(tamper_class):
    v = tamper_class["sandboxed"]["verdicts"]
    full = sum(nbr.test_points(A).values())
    for s in ("a-honest", "z-honest"):
        assert v[s]["status"] == "graded" and score(v[s]) == full, v[s]
    assert v["b-buggy"]["status"] == "graded" and 0 < score(v["b-buggy"]) < full, v["b-buggy"]
    rows, triggers = tamper_class["sandboxed"]["gradebook"]
    assert rows["a-honest"] == rows["z-honest"] == full and rows["b-buggy"] == score(v["b-buggy"])
    assert triggers == []


@needs_sandbox
@pytest.mark.parametrize("attack", TAMPER, ids=[p.stem for p in TAMPER])
def test_sandboxed_attack_gains_nothing_and_is_flagged(tamper_class, attack):
    v = tamper_class["sandboxed"]["verdicts"]
    rows, _ = tamper_class["sandboxed"]["gradebook"]
    mine = v[student(attack)]
    assert score(mine) <= score(v["b-buggy"]), mine
    assert rows[student(attack)] <= rows["b-buggy"]
    assert mine["status"] != "graded", mine  # flagged, timed out or crashed: a human looks


@needs_sandbox
def test_sandboxed_attacks_change_nothing_outside(tamper_class):
    s = tamper_class["sandboxed"]
    assert s["after"] == s["before"]
    assert s["home"] == [], "the grader's home received files"
    assert s["received"] == [], "a submission reached the network"


@needs_sandbox
@pytest.mark.parametrize("attack", NEEDS, ids=[p.stem for p in NEEDS])
def test_positive_control_without_the_sandbox_the_attack_works(tamper_class, attack):
    """The same file graded with --unsafe in a throwaway copy gains points or changes state."""
    u = tamper_class["unsafe"]
    base = score(u["verdicts"]["b-buggy"])
    effect = {
        "read_solutions": lambda: score(u["verdicts"][student(attack)]) > base,
        "write_gradebook": lambda: "boost" in u["gradebook"][1],
        "append_to_helpers": lambda: u["helpers marker"],
        "ipython_startup": lambda: u["home startup"] != [],
        "network": lambda: b"exfiltrated" in u["received"],
        "kill_process": lambda: u["kill returncode"] != 0 and "z-honest" not in u["kill graded"],
    }
    assert attack.stem in effect, f"{attack.name} needs the sandbox but has no positive control"
    assert effect[attack.stem](), f"{attack.name} did nothing without the sandbox: a dead payload"


@needs_sandbox
@pytest.mark.parametrize("attack", [p for p in HARMLESS], ids=[p.stem for p in HARMLESS])
def test_harmless_attack_gains_nothing_even_without_the_sandbox(tamper_class, attack):
    assert harmless_reason(attack), f"{attack.name}: say why it is harmless, or that it needs the sandbox"
    v = tamper_class["unsafe"]["verdicts"]
    assert score(v[student(attack)]) <= score(v["b-buggy"]), v[student(attack)]


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
    """As graded: the attack appended to the buggy submission's last answer."""
    known = judge.load_tests(nbk.solution_path(A))[2]
    answers = attacked_answers(attack)
    reasons = scan(nbk.make_submission(A, answers), list(answers.values()), known)
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


def test_progress_on_stderr_is_honest_but_replacing_stderr_is_not():
    """tqdm and `print(..., file=sys.stderr)` read sys.stderr: honest. Rebinding it hides output."""
    assert scan_sources([], ["import sys\nprint('step', file=sys.stderr)\nsys.stdout.flush()"]) == []
    assert scan_sources([], ["import sys as s\ns.stderr = None"]) == [
        "patches a library (numpy, helpers, the standard library)"]


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
