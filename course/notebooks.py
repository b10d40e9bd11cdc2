"""Read nbgrader notebooks: answer cells, test cells, and submissions made from corpus files."""

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ["01_bootstrap", "02_bayes_regression", "03_metropolis", "04_bnn_mcmc", "05_hmc"]
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CALL = re.compile(r"^_check\(_probe\(globals\(\), seed=(\d+)\)\)\s*$", re.M)
# A test cell is four lines: it imports its probe and check from a module beside the notebook and
# asserts, so the teaching message is the first thing a failure shows. Visible tests come from
# ``visible_tests.py`` (shipped to students); hidden tests, with the targets they share, from
# ``hidden_tests.py`` (never released: the whole cell sits between the hidden-test markers). Both
# modules import the harness ``visible_harness.py``. A check ``<name>_check`` may have a
# ``<name>_stats`` beside it: the statistics it judges (``visible_harness.Stat``), which
# ``course calibrate`` measures.
VISIBLE_MODULE, HIDDEN_MODULE, HARNESS = "visible_tests.py", "hidden_tests.py", "visible_harness.py"
TEST_CELL = re.compile(r"^from (visible_tests|hidden_tests) import (\w+) as _probe, (\w+) as _check\n"
                       r"problem = _check\(_probe\(globals\(\), seed=(\d+)\)\)\n"
                       r"assert not problem, problem\s*$", re.M)
VISIBLE = TEST_CELL  # the name earlier code used
HARNESS_IMPORT = re.compile(r"^from visible_harness import .*$", re.M)


def load(path):
    return json.loads(Path(path).read_text())


def source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer(cell):
    m = meta(cell)
    return cell["cell_type"] == "code" and m.get("solution") and not m.get("grade")


def is_test(cell):
    m = meta(cell)
    return cell["cell_type"] == "code" and m.get("grade") and not m.get("solution")


def strip_markers(src):
    """Source as a student who solved the cell would leave it (solution markers removed)."""
    return "\n".join(
        line for line in src.splitlines() if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION)
    )


def is_setup(cell):
    """An instructor's locked code cell that is neither an answer nor a test (imports, data)."""
    m = meta(cell)
    return cell["cell_type"] == "code" and m.get("locked") and not m.get("grade") and not m.get("solution")


def setup_sources(nb):
    """Sources of the notebook's setup cells, in order. Answers may rely on them (``np``, ``helpers``),
    as they do when nbgrader runs the whole notebook, so every runner of answers runs them first."""
    return [source(c) for c in nb["cells"] if is_setup(c)]


def solution_path(assignment):
    return ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def reference_answers(source_nb):
    """``{grade_id: source}`` of the answer cells of an instructor's notebook, markers stripped."""
    nb = load(source_nb)
    return {meta(c)["grade_id"]: strip_markers(source(c)) for c in nb["cells"] if is_answer(c)}


def answer_sources(assignment):
    """``{grade_id: source}`` of the reference answers of this repository's ``assignment``."""
    return reference_answers(solution_path(assignment))


def test_cells(assignment):
    """``[(grade_id, points, source)]`` of every autograded test cell (hidden tests included);
    ``test_program`` turns a source into the probe and check it runs."""
    nb = load(solution_path(assignment))
    return [(meta(c)["grade_id"], float(meta(c).get("points", 0)), source(c))
            for c in nb["cells"] if is_test(c)]


def visible_source(folder, module=VISIBLE_MODULE):
    """The source of ``folder``'s test module (``visible_tests.py`` or ``hidden_tests.py``), the
    harness included in place of its import (one text that defines every probe and check, runnable
    without the files on ``sys.path``)."""
    folder = Path(folder)
    for name in (module, HARNESS):
        if not (folder / name).is_file():
            raise ValueError(f"{folder / name} is missing: a test cell imports its probe and check "
                             f"from {module}, which uses {HARNESS}; keep both beside the notebook")
    harness = (folder / HARNESS).read_text()
    return HARNESS_IMPORT.sub(lambda _: harness, (folder / module).read_text(), count=1)


def test_program(cell_src, folder):
    """``(source, seed)`` of a test cell: ``source`` defines ``_probe(ns, seed)``, ``_check(r)``
    (which raises ``AssertionError`` with the teaching message) and ``_stats`` (the check's
    ``<name>_stats``, or None), without the call and the hidden markers. The definitions are read
    from ``folder`` (the instructor's ``solutions/<id>/``), never from a student's copy."""
    m = TEST_CELL.search(cell_src)
    if m:
        module, probe, check, seed = m.groups()
        stats = check[:-len("_check")] + "_stats" if check.endswith("_check") else ""
        wrapper = (f"\n_probe = {probe}\n\n\ndef _check(r):\n    problem = {check}(r)\n"
                   f"    assert not problem, problem\n\n\n_stats = globals().get({stats!r})\n")
        return visible_source(folder, module + ".py") + wrapper, int(seed)
    m = CALL.search(cell_src)
    if not m:
        raise ValueError("a test cell must import its probe and check from visible_tests or "
                         "hidden_tests (four lines), or end with the probe/check call")
    body = "\n".join(ln for ln in CALL.sub("", cell_src).splitlines()
                     if ln.strip() not in (BEGIN_HIDDEN, END_HIDDEN))
    if HARNESS_IMPORT.search(body):  # hidden probes run quietly too (visible_harness.quiet)
        harness = (Path(folder) / HARNESS).read_text()
        body = HARNESS_IMPORT.sub(lambda _: harness, body, count=1)
    return body, int(m.group(1))


def apply_override(cell_src, override_src):
    """Replace every top-level def/class in ``cell_src`` that ``override_src`` redefines.

    The override's other top-level statements (imports, helper functions) are put first.
    """
    over = ast.parse(override_src)
    over_lines = override_src.splitlines()
    defs = {n.name: n for n in over.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    tree = ast.parse(cell_src)
    lines = cell_src.splitlines()
    hit = False
    for node in sorted(tree.body, key=lambda n: n.lineno, reverse=True):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in defs:
            new = defs[node.name]
            start = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1
            nstart = min([d.lineno for d in new.decorator_list] + [new.lineno]) - 1
            lines[start:node.end_lineno] = over_lines[nstart:new.end_lineno]
            hit = True
    if not hit:
        return cell_src
    prelude = [
        "\n".join(over_lines[n.lineno - 1:n.end_lineno]) for n in over.body
        if not isinstance(n, (ast.FunctionDef, ast.ClassDef))
        and not (isinstance(n, ast.Expr) and isinstance(getattr(n, "value", None), ast.Constant))
    ]
    return "\n".join(prelude + lines)


def submission_answers(assignment, override_src=None):
    """Answer-cell sources of a submission: the reference, with ``override_src`` applied."""
    answers = answer_sources(assignment)
    if override_src is None:
        return answers
    return {gid: apply_override(src, override_src) for gid, src in answers.items()}


def make_submission(assignment, answers, release_nb=None):
    """The student notebook (release version) with its answer cells filled in from ``answers``."""
    path = release_nb or ROOT / "exercises" / assignment / f"{assignment}.ipynb"
    nb = load(path)
    for cell in nb["cells"]:
        if is_answer(cell) and meta(cell)["grade_id"] in answers:
            cell["source"] = answers[meta(cell)["grade_id"]]
    return nb


def is_visible(test_source):
    """A test cell a student sees (and Validate runs): not a hidden test."""
    return BEGIN_HIDDEN not in test_source


def run_in_process(assignment, answers, seed=None, visible_only=False):
    """Run the setup cells, the answers and every test cell in this process (fast checks, not grading).

    Returns ``{grade_id: None or the exception message}``. ``seed`` replaces the test cells'
    own seed, so that many random streams can be tried; ``visible_only`` runs only what Validate runs.
    """
    ns = {"__name__": "__main__"}
    for src in setup_sources(load(solution_path(assignment))):
        exec(compile(src, "<setup>", "exec"), ns)
    for src in answers.values():
        exec(compile(src, "<answer>", "exec"), ns)
    results = {}
    for gid, _, src in test_cells(assignment):
        if visible_only and not is_visible(src):
            continue
        try:
            program, own_seed = test_program(src, solution_path(assignment).parent)
            tns = {"__name__": "__test__"}
            exec(compile(program, f"<{gid}>", "exec"), tns)
            tns["_check"](tns["_probe"](ns, own_seed if seed is None else seed))
            results[gid] = None
        except Exception as exc:  # a failing check is data here
            results[gid] = f"{type(exc).__name__}: {exc}"
    return results
