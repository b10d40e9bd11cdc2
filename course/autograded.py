"""What formgrader opens: ``autograded/<student>/<id>/<id>.ipynb`` and ``timestamp.txt``.

The notebook is the student's, with each test cell shown as the student version has it (hidden tests
removed) and its output replaced by the judge's verdict and teaching message. The cells' nbgrader
metadata is the instructor's, so that formgrader finds every graded cell in the gradebook.
"""

import copy
import json
from pathlib import Path

from .notebooks import BEGIN_HIDDEN, END_HIDDEN, is_test, load, meta, source


def visible(src):
    """A test cell's source without its hidden part (what the released notebook shows)."""
    out, hidden = [], False
    for line in src.splitlines():
        if line.strip() == BEGIN_HIDDEN:
            hidden = True
        elif line.strip() == END_HIDDEN:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


def verdict_text(cell, status):
    mark = "passed" if cell["passed"] else "not yet"
    text = f"{cell.get('description') or ''}\n{mark}: {cell['score']:g} / {cell['max']:g} points"
    if not cell["passed"] and cell.get("message"):
        text += f"\n{cell['message']}"
    if status != "graded":
        text += f"\n(submission status: {status})"
    return text.strip() + "\n"


def autograded_notebook(source_nb, submission, verdict):
    """The notebook (dict) formgrader shows for one verdict; ``submission`` may be None (unreadable)."""
    src = load(source_nb)
    base = copy.deepcopy(submission) if submission else {"cells": [], "metadata": src.get("metadata", {}),
                                                         "nbformat": 4, "nbformat_minor": 5}
    by_id = {meta(c)["grade_id"]: c for c in src["cells"] if meta(c).get("grade_id")}
    seen = set()
    cells = []
    for cell in base.get("cells", []):
        gid = meta(cell).get("grade_id")
        if gid in by_id and gid not in seen:
            seen.add(gid)
            ref = by_id[gid]
            cell = copy.deepcopy(cell)
            cell["metadata"] = copy.deepcopy(ref.get("metadata", {}))
            cell["cell_type"] = ref["cell_type"]
            if is_test(ref):
                cell = _test_cell(ref, verdict)
        elif gid:  # a grade id the instructor does not have: keep the text, not the claim
            cell = copy.deepcopy(cell)
            cell["metadata"].pop("nbgrader", None)
        if cell["cell_type"] != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        cells.append(cell)
    for gid, ref in by_id.items():  # graded cells the submission lost: shown, so formgrader can grade
        if gid not in seen and (is_test(ref) or meta(ref).get("grade")):
            if is_test(ref):
                cells.append(_test_cell(ref, verdict))
            else:
                empty = copy.deepcopy(ref)
                empty["source"] = "(missing from the submission)"
                cells.append(empty)
    base["cells"] = cells
    base["nbformat"], base["nbformat_minor"] = 4, max(int(base.get("nbformat_minor", 5) or 5), 5)
    return base


def _test_cell(ref, verdict):
    gid = meta(ref)["grade_id"]
    c = verdict["cells"].get(gid, {"score": 0.0, "max": float(meta(ref).get("points", 0)), "passed": False,
                                   "message": "not judged", "description": ""})
    return {"cell_type": "code", "execution_count": None, "id": ref.get("id", gid),
            "metadata": copy.deepcopy(ref.get("metadata", {})), "source": visible(source(ref)),
            "outputs": [{"output_type": "stream", "name": "stdout",
                         "text": verdict_text(c, verdict["status"])}]}


def write(paths, assignment, student, verdict, submission_path, timestamp):
    """Write the autograded notebook and its ``timestamp.txt`` (the gradebook's submission time)."""
    try:
        submission = json.loads(Path(submission_path).read_text())
        if not isinstance(submission, dict) or not isinstance(submission.get("cells"), list):
            submission = None
    except (ValueError, UnicodeDecodeError, OSError):
        submission = None
    nb = autograded_notebook(paths.source(assignment), submission, verdict)
    for i, cell in enumerate(nb["cells"]):  # nbformat 4.5 wants unique cell ids
        cell["id"] = f"cell-{i}"
    dest = paths.autograded_notebook(student, assignment)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1, ensure_ascii=False))
    stamp = dest.parent / "timestamp.txt"
    if timestamp is None:
        stamp.unlink(missing_ok=True)
    else:
        stamp.write_text(timestamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z").strip())
    return dest
