"""Checks a source notebook must pass before ``course release`` turns it into a student version.

nbgrader's release replaces a manually graded markdown answer cell *whole* by ``YOUR ANSWER HERE``
(see the nbgrader notes), so a question written in the answer cell is lost to the student. Every
manually graded cell must therefore follow a read-only prompt cell holding the question.
"""

from .notebooks import meta, source


def is_manually_graded(cell):
    """An answer a human grades: nbgrader ``solution`` and ``grade`` on the same cell."""
    m = meta(cell)
    return bool(m.get("solution") and m.get("grade"))


def is_prompt(cell):
    """A locked, ungraded, non-solution markdown cell with some text besides headings."""
    m = meta(cell)
    text = [ln for ln in source(cell).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return (cell.get("cell_type") == "markdown" and bool(m.get("locked"))
            and not m.get("grade") and not m.get("solution") and bool(text))


def missing_prompts(nb):
    """One line per manually graded cell of ``nb`` (a notebook dict) without a prompt before it."""
    cells = nb.get("cells", [])
    problems = []
    for i, cell in enumerate(cells):
        if is_manually_graded(cell) and (i == 0 or not is_prompt(cells[i - 1])):
            problems.append(
                f"cell {i} ({meta(cell).get('grade_id', '?')}) is graded by hand but has no read-only "
                "prompt cell with its question before it (nbgrader's release replaces the answer cell "
                "whole, so a question written there is lost)")
    return problems
