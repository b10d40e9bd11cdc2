"""Find a submission's answer cells: by nbgrader grade id, else by content or position.

A notebook whose cell metadata was stripped (some editors and LMS previews do that), or whose answer
cell's ``grade_id`` changed, still holds the student's code. Each answer cell of the source notebook
is looked for (1) by its grade id, (2) by the first line the student was given outside the solution
region (usually the ``def`` line), found in exactly one of the student's own code cells, (3) by
position, when the submission has exactly the source's code cells. Anything else is not found: the
submission is then *not gradable*, never a silent zero.
"""

from .notebooks import BEGIN_SOLUTION, END_SOLUTION, is_answer, meta, source


def given_lines(src):
    """The non-empty lines of an answer cell outside its solution region (what the release shows)."""
    out, inside = [], False
    for line in src.splitlines():
        if line.strip() == BEGIN_SOLUTION:
            inside = True
        elif line.strip() == END_SOLUTION:
            inside = False
        elif not inside and line.strip():
            out.append(line.strip())
    return out


def match_answers(submission, source_nb, known=frozenset()):
    """``(answers, notes, missing)``: the answer sources in the source notebook's order, one note per
    cell found other than by grade id, and the grade ids not found at all.

    ``known``: sources of the instructor's own code cells (never taken as an answer)."""
    src_cells = [c for c in source_nb["cells"] if c["cell_type"] == "code"]
    ids = [meta(c)["grade_id"] for c in src_cells if is_answer(c)]
    sub_cells = [c for c in submission.get("cells", []) if c.get("cell_type") == "code"]
    by_id = {}
    for cell in sub_cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in ids and gid not in by_id:
            by_id[gid] = source(cell)
    all_ids = {meta(c).get("grade_id") for c in src_cells} - {None}
    free = [c for c in sub_cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") not in all_ids
            and source(c) not in known]
    notes, missing, taken = [], [], set()
    for cell in src_cells:
        if not is_answer(cell):
            continue
        gid = meta(cell)["grade_id"]
        if gid in by_id:
            continue
        # The most telling given lines first: the def or class the student was asked to complete.
        lines = sorted(given_lines(source(cell)), key=lambda ln: not ln.startswith(("def ", "class ")))
        hit = next((h for h in ([i for i, c in enumerate(free) if ln in source(c) and i not in taken]
                                for ln in lines) if len(h) == 1), None)
        if hit:
            taken.add(hit[0])
            by_id[gid] = source(free[hit[0]])
            notes.append(f"answer cell {gid} found by its content (its grade id was missing or changed)")
            continue
        if len(sub_cells) == len(src_cells):
            pos = src_cells.index(cell)
            candidate = sub_cells[pos]
            gid_there = candidate.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid_there not in all_ids and source(candidate) not in known:
                by_id[gid] = source(candidate)
                notes.append(f"answer cell {gid} found by its position (its grade id was missing or changed)")
                continue
        missing.append(gid)
    return [by_id.get(g, "") for g in ids], notes, missing
