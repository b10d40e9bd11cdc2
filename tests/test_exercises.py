"""The five nbgrader assignments: in sync, leak-free, and graded right through nbgrader itself.

- ``exercises/`` is exactly what nbgrader generates from ``solutions/`` today;
- no solution code and no hidden-test text reaches ``exercises/``;
- autograding (real nbgrader 0.9.6) gives the reference solution full marks, the untouched
  student version zero, every submission of ``tests/corpus/<id>/bug_*.py`` less than full marks
  and every ``correct_*.py`` full marks;
- the reference keeps full marks under fresh random streams (the hidden tests' seeds replaced).
"""

import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import TEST_SEED
from course import nbgrader_run as nbr
from course import notebooks as nbk
from course import release_check
from course import student_copy as student_copy_module

ROOT = nbk.ROOT
PRESENT = [a for a in nbk.ASSIGNMENTS if nbk.solution_path(a).exists()]
# Streams per assignment for the robustness test; `STREAMS=500 make test` for a long run.
STREAMS = int(os.environ.get("STREAMS", "8"))


def per_assignment(test):
    """Parametrise over the assignments, one xdist group each (so a batch is graded once)."""
    params = [pytest.param(a, marks=pytest.mark.xdist_group(a)) for a in PRESENT]
    return pytest.mark.parametrize("assignment", params)(test)


def corpus(assignment):
    return sorted((ROOT / "tests" / "corpus" / assignment).glob("*.py"))


@functools.cache
def graded(assignment):
    """Generate, submit (reference, blank, corpus) and autograde once; return scores per student."""
    tmp = Path(tempfile.mkdtemp(prefix=f"grade-{assignment}-"))
    course = nbr.scratch_course(tmp / "course", [assignment])
    db = tmp / "gradebook.db"
    release = nbr.generate(assignment, course, db)
    nbr.submit(course, assignment, "reference",
               nbk.make_submission(assignment, nbk.answer_sources(assignment), release))
    nbr.submit(course, assignment, "blank", nbk.load(release))
    for path in corpus(assignment):
        answers = nbk.submission_answers(assignment, path.read_text())
        nbr.submit(course, assignment, path.stem.replace("_", "-"),
                   nbk.make_submission(assignment, answers, release))
    proc = nbr.autograde(assignment, course, db)
    return nbr.scores(assignment, db), proc, release


def total(cells):
    return sum(s for s, _ in cells.values()), sum(m for _, m in cells.values())


@per_assignment
def test_release_is_in_sync_with_solutions(assignment):
    _, _, generated = graded(assignment)
    committed = ROOT / "exercises" / assignment / f"{assignment}.ipynb"
    assert committed.exists(), f"run `course release {assignment}` and commit exercises/{assignment}"
    assert nbr.normalised(committed) == nbr.normalised(generated), (
        f"exercises/{assignment} is stale: run `course release {assignment}` and commit it")


def _secret_and_public_lines(assignment):
    secret, public = set(), set()
    for cell in nbk.load(nbk.solution_path(assignment))["cells"]:
        region = None
        for line in nbk.source(cell).splitlines():
            s = line.strip()
            if s in (nbk.BEGIN_SOLUTION, nbk.BEGIN_HIDDEN):
                region = s
            elif s in (nbk.END_SOLUTION, nbk.END_HIDDEN):
                region = None
            elif len(s) >= 12:
                (secret if region else public).add(s)
        if nbk.meta(cell).get("solution") and cell["cell_type"] == "markdown":
            secret.update(s.strip() for s in nbk.source(cell).splitlines() if len(s.strip()) >= 12)
    # The hidden tests' module is secret as a whole; the visible tests and their harness are public.
    folder = nbk.solution_path(assignment).parent
    for name, lines in ((nbk.HIDDEN_MODULE, secret), (nbk.VISIBLE_MODULE, public), (nbk.HARNESS, public)):
        if (folder / name).exists():
            lines.update(s.strip() for s in (folder / name).read_text().splitlines() if len(s.strip()) >= 12)
    return secret - public


@per_assignment
def test_release_leaks_no_solution_and_no_hidden_test(assignment):
    text = (ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    release_lines = {ln.strip() for c in nbk.load(ROOT / "exercises" / assignment /
                                                    f"{assignment}.ipynb")["cells"]
                     for ln in nbk.source(c).splitlines()}
    release_lines |= {ln.strip() for p in (ROOT / "exercises" / assignment).glob("*.py")
                      for ln in p.read_text().splitlines()}
    assert not (ROOT / "exercises" / assignment / nbk.HIDDEN_MODULE).exists()
    leaked = sorted(_secret_and_public_lines(assignment) & release_lines)
    assert not leaked, f"secret lines in exercises/{assignment}: {leaked[:5]}"


@per_assignment
def test_reference_gets_full_marks_and_blank_gets_zero(assignment):
    scores, proc, _ = graded(assignment)
    points = nbr.test_points(assignment)
    assert scores.get("reference"), f"reference not graded:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
    got, top = total(scores["reference"])
    assert top == sum(points.values()) > 0
    lost = {g: s for g, s in scores["reference"].items() if s[0] < s[1]}
    assert got == top, f"reference lost points in {lost}"
    assert total(scores["blank"])[0] == 0, scores["blank"]


@per_assignment
def test_corpus_bugs_lose_points_and_correct_variants_keep_full_marks(assignment):
    files = corpus(assignment)
    if not files:
        pytest.skip(f"no corpus for {assignment}")
    scores, proc, _ = graded(assignment)
    problems = []
    for path in files:
        student = path.stem.replace("_", "-")
        if student not in scores:
            problems.append(f"{path.name}: not graded")
            continue
        got, top = total(scores[student])
        if path.stem.startswith("bug_") and not got < top:
            problems.append(f"{path.name}: full marks for a buggy submission")
        if path.stem.startswith("correct_") and not got == top:
            lost = [g for g, (s, m) in scores[student].items() if s < m]
            problems.append(f"{path.name}: correct variant lost points in {lost}")
    assert not problems, problems


@per_assignment
def test_reference_keeps_full_marks_under_fresh_random_streams(assignment):
    """The hidden tests' seeds are replaced by fresh ones; the reference must pass every time."""
    seeds = np.random.SeedSequence(TEST_SEED).generate_state(STREAMS)
    answers = nbk.answer_sources(assignment)
    fails = {}
    for seed in seeds:
        for gid, err in nbk.run_in_process(assignment, answers, seed=int(seed)).items():
            if err:
                fails.setdefault(gid, []).append((int(seed), err[:300]))
    assert not fails, fails


def test_every_test_cell_has_the_probe_check_shape():
    """The instructor workflow runs `_probe` and `_check` apart: every test cell must offer both.
    A test cell is short (its docstring, the import of its probe and check, the call, the assert), so
    that Validate shows the teaching message without scrolling; a hidden one imports from
    hidden_tests.py, where the targets its checks share are defined once."""
    for a in PRESENT:
        for gid, _, src in nbk.test_cells(a):
            if nbk.is_visible(src):
                assert nbk.VISIBLE.search(src) and len(src.strip().splitlines()) == 4, (a, gid, src)
            else:  # the same four lines from hidden_tests.py, between the hidden markers
                markers = (nbk.BEGIN_HIDDEN, nbk.END_HIDDEN)
                lines = [ln for ln in src.strip().splitlines() if ln.strip() not in markers]
                assert "from hidden_tests import" in src and nbk.TEST_CELL.search(src) and len(lines) == 4, (
                    a, gid, src)
            program, _ = nbk.test_program(src, nbk.solution_path(a).parent)
            assert "def _probe" in program or "_probe = " in program, (a, gid)
            assert not re.search(r"np\.testing|np\.allclose|assert_allclose", program), (a, gid)


@per_assignment
def test_every_written_question_is_visible_in_the_release(assignment):
    """Each hand-graded answer cell of the student version follows a read-only prompt with its
    question (nbgrader replaces a hand-graded cell whole, so a question inside it would be lost)."""
    released = nbk.load(ROOT / "exercises" / assignment / f"{assignment}.ipynb")
    cells = released["cells"]
    graded = [i for i, c in enumerate(cells) if release_check.is_manually_graded(c)]
    assert graded, f"{assignment} has no written question"
    for i in graded:
        prompt = cells[i - 1]
        assert release_check.is_prompt(prompt), (assignment, i, nbk.source(prompt)[:200])
        assert "?" in nbk.source(prompt) or len(nbk.source(prompt)) > 80, nbk.source(prompt)
        assert nbk.source(cells[i]).strip() == "YOUR ANSWER HERE", nbk.source(cells[i])[:200]
    assert release_check.missing_prompts(released) == []


def test_release_refuses_a_question_inside_its_answer_cell():
    """The negative control of the check above: merge a prompt back into its answer cell."""
    nb = nbk.load(nbk.solution_path("03_metropolis"))
    assert release_check.missing_prompts(nb) == []
    i = next(i for i, c in enumerate(nb["cells"]) if release_check.is_manually_graded(c))
    prompt = nb["cells"].pop(i - 1)
    nb["cells"][i - 1]["source"] = nbk.source(prompt) + "\n\n" + nbk.source(nb["cells"][i - 1])
    problems = release_check.missing_prompts(nb)
    assert len(problems) == 1 and "proposal_scale" in problems[0], problems


def visible_failures(assignment, path):
    """``{grade_id: message}`` of the visible tests a corpus file fails (in this process)."""
    answers = nbk.submission_answers(assignment, path.read_text())
    return {g: e for g, e in nbk.run_in_process(assignment, answers, visible_only=True).items() if e}


# Bug classes the visible tests need not catch (the hidden tests do), with the reason.
NOT_VISIBLE = {}


@per_assignment
def test_visible_tests_catch_most_corpus_bugs_and_pass_every_correct_file(assignment):
    """The visible tests (what Validate runs) on every corpus file, in this process: at least 80% of
    the bugs fail them, every correct variant (including one that prints, warns and shows tqdm
    progress) passes, and a failure's message names a function of the assignment."""
    files = corpus(assignment)
    if not files:
        pytest.skip(f"no corpus for {assignment}")
    bugs = [p for p in files if p.stem.startswith("bug_")]
    missed, wrong = [], {}
    for path in files:
        failed = visible_failures(assignment, path)
        if path.stem.startswith("correct_") and failed:
            wrong[path.name] = failed
        if path.stem.startswith("bug_") and not failed:
            missed.append(path.name)
        for message in failed.values():
            assert message.startswith("AssertionError: `"), (path.name, message[:300])
    assert not wrong, f"correct variants fail Validate: {wrong}"
    unexpected = [m for m in missed if f"{assignment}/{Path(m).stem}" not in NOT_VISIBLE]
    assert len(missed) <= 0.2 * len(bugs) and not unexpected, f"visible tests miss {missed}"


def written_answers(nb, text="My own words: see the lecture."):
    """Fill every hand-graded (written) answer of a student notebook, as a student would."""
    for cell in nb["cells"]:
        if release_check.is_manually_graded(cell) and cell["cell_type"] == "markdown":
            cell["source"] = text
    return nb


def validate(assignment, answers, folder):
    """Press Validate, as the notebook toolbar's button does (nbgrader's Validator in the notebook's
    folder, a fresh kernel): the released exercise folder, with ``answers`` in its answer cells and
    every written question answered. Returns ``(nbgrader's result dict, seconds)``."""
    from nbgrader.validator import Validator

    folder = Path(folder)
    shutil.copytree(ROOT / "exercises" / assignment, folder)
    path = folder / f"{assignment}.ipynb"
    nb = written_answers(nbk.make_submission(assignment, answers, path))
    path.write_text(json.dumps(nb, indent=1))
    t0 = time.perf_counter()
    result = Validator().validate(str(path))
    return result, time.perf_counter() - t0


# What Validate runs in CI: the reference, one bug per assignment (the first the visible tests
# catch), and for the samplers a correct variant that prints, warns and shows tqdm progress.
VALIDATE_CASES = {"03_metropolis": ["bug_stores_proposal_on_rejection", "correct_tqdm_prints"],
                  "05_hmc": ["bug_missing_final_half_step", "correct_tqdm_prints"]}


def first_caught_bug(assignment):
    return next(p.stem for p in corpus(assignment)
                if p.stem.startswith("bug_") and visible_failures(assignment, p))


@per_assignment
def test_validate_teaches_with_the_message_first(assignment, tmp_path):
    """Validate, for real, on the reference (Success), a correct variant that writes to stdout and
    stderr and warns (Success: nothing reaches the test cells' stderr), and a bug: it fails, and
    its error is short and ends with the visible check's teaching message."""
    cases = {"reference": nbk.answer_sources(assignment)}
    for stem in VALIDATE_CASES.get(assignment, [first_caught_bug(assignment)]):
        path = ROOT / "tests" / "corpus" / assignment / f"{stem}.py"
        cases[stem] = nbk.submission_answers(assignment, path.read_text())
    for case, answers in cases.items():
        result, seconds = validate(assignment, answers, tmp_path / case)
        print(f"{assignment} {case}: Validate {seconds:.1f} s")
        if not case.startswith("bug_"):
            assert result == {}, (case, str(result)[:3000])
            continue
        assert set(result) == {"failed"}, (case, str(result)[:2000])
        failed = result["failed"][0]
        expected = visible_failures(assignment, ROOT / "tests" / "corpus" / assignment / f"{case}.py")
        message = next(iter(expected.values())).split(": ", 1)[1]
        error = re.sub(r"\x1b\[[0-9;]*m", "", failed["raw_error"])  # no terminal colours
        assert len(failed["source"].splitlines()) <= 4, failed["source"]
        # The dialog shows the cell (4 lines) and then the error: the message must be in the error's
        # last line, and the traceback short (the assert is in the cell itself).
        tail = " ".join(error.split("AssertionError: ")[-1].split())
        assert " ".join(message.split()) == tail, error[-2000:]
        assert len(error.splitlines()) <= 16, error
        assert max(len(ln) for ln in message.splitlines()) <= 100, message


@pytest.fixture
def outside():
    """A fresh folder outside the repository, $HOME and /tmp (a student's disk), removed afterwards."""
    base = Path("/var/tmp") if Path("/var/tmp").is_dir() else Path(tempfile.gettempdir())
    folder = Path(tempfile.mkdtemp(prefix="student-copy-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def student_copy(dest):
    proc = subprocess.run([sys.executable, "-m", "course", "student-copy", str(dest)], cwd=dest.parent,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return dest


@pytest.mark.xdist_group("03_metropolis")
def test_student_copy_holds_what_students_need_and_no_secret(outside):
    copy = student_copy(outside / "course")
    files = {p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()}
    for a in PRESENT:
        assert {f"exercises/{a}/{a}.ipynb", f"exercises/{a}/visible_tests.py"} <= files, a
    assert {"helpers/__init__.py", "requirements.txt", "environment.yml", "Makefile", "README.md",
            "pyproject.toml", "jupyter-student/labconfig/page_config.json"} <= files
    assert all(nbk.load(copy / "lectures" / p.name)["cells"] for p in (ROOT / "lectures").glob("*.ipynb"))
    assert any(c.get("outputs") for c in nbk.load(copy / "lectures" / "03_metropolis.ipynb")["cells"])
    # Nothing secret: no instructor folder, no marker, no hidden-test or model-answer line, no corpus.
    assert not {f.split("/")[0] for f in files} & {"solutions", "tests", "course", "benchmarks"}, files
    text = {f: (copy / f).read_text(errors="replace") for f in files}
    # Solution and hidden-test lines, except those the course publishes on purpose elsewhere (helpers
    # holds the course's own samplers, lectures and visible tests share generic lines like imports).
    published = "\n".join([*(p.read_text() for p in (ROOT / "helpers").glob("*.py")),
                           *(p.read_text() for p in (ROOT / "solutions").rglob("*.py")
                             if p.name != nbk.HIDDEN_MODULE),
                           *(nbk.source(c) for p in (ROOT / "lectures").glob("*.ipynb")
                             for c in nbk.load(p)["cells"])])
    secret = {ln for a in PRESENT for ln in _secret_and_public_lines(a)
              if len(ln) >= 25 and ln not in published and not nbk.CALL.search(ln)}
    assert len(secret) > 100
    corpus_lines = {ln.strip() for p in (ROOT / "tests" / "corpus").rglob("*.py")
                    for ln in p.read_text().splitlines() if ln.strip().startswith(('"""BUG', '"""CORRECT'))}
    leaks = [(f, m) for f, t in text.items()
             for m in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "Model answer") if m in t]
    leaks += [(f, ln[:60]) for f, t in text.items() for ln in secret | corpus_lines if ln in t]
    assert not leaks, leaks[:10]
    # Negative control: the same scan finds a source notebook put into the copy.
    shutil.copy(nbk.solution_path("03_metropolis"), copy / "exercises" / "03_metropolis" / "leak.ipynb")
    leaked = (copy / "exercises" / "03_metropolis" / "leak.ipynb").read_text()
    assert "BEGIN SOLUTION" in leaked and any(ln in leaked for ln in secret)
    assert student_copy_module.secrets_in(copy)
    # Refused: a folder that is not empty.
    proc = subprocess.run([sys.executable, "-m", "course", "student-copy", str(copy)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "not empty" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.xdist_group("03_metropolis")
def test_student_copy_sets_up_from_scratch_and_validates(outside):
    copy = student_copy(outside / "course")
    # A student's first `make lab` creates the venv and installs the pins (shown, not run: slow).
    plan = subprocess.run(["make", "-n", "lab"], cwd=copy, capture_output=True, text=True, timeout=60)
    assert plan.returncode == 0, plan.stderr
    for step in ("-m venv .venv", "pip install --quiet -r requirements.txt",
                 "pip install --quiet --no-deps -e .", f"JUPYTER_CONFIG_PATH={copy}/jupyter-student",
                 "jupyter lab"):
        assert step in plan.stdout, (step, plan.stdout)
    # The student pyproject installs helpers alone.
    assert 'packages = ["helpers"]' in (copy / "pyproject.toml").read_text()
    # Validate inside the copy (this venv stands in for the student's): reference passes, a bug fails.
    a = "03_metropolis"
    ex = copy / "exercises" / a
    bug = ROOT / "tests" / "corpus" / a / "bug_stores_proposal_on_rejection.py"
    wrong = nbk.submission_answers(a, bug.read_text())
    for case, answers in (("right", nbk.answer_sources(a)), ("wrong", wrong)):
        nb = written_answers(nbk.make_submission(a, answers, ex / f"{a}.ipynb"))
        path = ex / f"{case}.ipynb"
        path.write_text(json.dumps(nb, indent=1))
        from nbgrader.validator import Validator

        result = Validator().validate(str(path))
        assert (result == {}) == (case == "right"), (case, str(result)[:2000])


def catch_rate():
    """Validate every corpus file of every assignment; print catch rates and round-trip times."""
    rows, times = [], {}
    with tempfile.TemporaryDirectory(prefix="validate-") as tmp:
        for a in PRESENT:
            for path in corpus(a):
                answers = nbk.submission_answers(a, path.read_text())
                result, seconds = validate(a, answers, Path(tmp) / a / path.stem)
                failed = bool(result)
                times.setdefault(a, []).append(seconds)
                rows.append((a, path.stem, failed))
                print(f"{a:20s} {path.stem:36s} {'FAILS' if failed else 'passes':6s} {seconds:5.1f} s",
                      flush=True)
    print()
    for a in PRESENT:
        bugs = [f for x, s, f in rows if x == a and s.startswith("bug_")]
        good = [f for x, s, f in rows if x == a and s.startswith("correct_")]
        print(f"{a:20s} bugs failing Validate {sum(bugs)}/{len(bugs)} ({sum(bugs) / len(bugs):.0%}); "
              f"correct failing {sum(good)}/{len(good)}; median Validate {statistics.median(times[a]):.1f} s")
    bugs = [f for _, s, f in rows if s.startswith("bug_")]
    print(f"overall: {sum(bugs)}/{len(bugs)} ({sum(bugs) / len(bugs):.0%})")


if __name__ == "__main__":  # the full measurement: .venv/bin/python tests/test_exercises.py
    sys.exit(catch_rate())
