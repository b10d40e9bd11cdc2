"""nbgrader's gradebook as the source of truth: the assignment's cells kept in step with the source
notebook, every verdict written as auto scores, and scores, hand grades and comments read back.

Cells, as nbgrader records them: a *grade cell* per cell with points (code test cells are scored by
the judge, markdown answer cells by hand in formgrader), a *solution cell* per answer cell, a *source
cell* per locked, graded or answer cell.
"""

import contextlib
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

from . import nbgrader_run as nbr
from .notebooks import load, meta, source
from .paths import CourseError


@contextlib.contextmanager
def opened(url):
    """``nbgrader.api.Gradebook(url)``; a CourseError (one line) if the database cannot be opened."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SQLAlchemyError

    for attempt in range(5):
        try:
            gb = Gradebook(url)
            break
        except (SQLAlchemyError, OSError) as exc:
            # Two graders creating one new database race on its tables: the loser tries again.
            if attempt == 4 or "already exists" not in str(exc) and "duplicate" not in str(exc).lower():
                raise CourseError(f"cannot open the gradebook {safe(url)}: "
                                  f"{str(exc).splitlines()[0]}") from None
            time.sleep(0.5 * (attempt + 1))
    try:
        with warnings.catch_warnings():
            # nbgrader 0.9.6 with SQLAlchemy 2.1 warns "not in session" on submissions; scores are right.
            warnings.simplefilter("ignore")
            yield gb
    finally:
        gb.close()


def safe(url):
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def expected_cells(source_nb):
    """What nbgrader records for the source notebook: ``(grade, solution, source)`` where ``grade`` is
    ``{name: (max_score, cell_type)}``, ``solution`` a set of names, ``source`` ``{name: cell}``."""
    grade, solution, sources = {}, set(), {}
    for cell in load(source_nb)["cells"]:
        m = meta(cell)
        if not m.get("grade_id"):
            continue
        if m.get("grade"):
            grade[m["grade_id"]] = (float(m.get("points", 0)), cell["cell_type"])
        if m.get("solution"):
            solution.add(m["grade_id"])
        if m.get("grade") or m.get("solution") or m.get("locked"):
            sources[m["grade_id"]] = cell
    return grade, solution, sources


def _recorded(gb, assignment):
    """The gradebook's cells of the assignment's notebook, or None when it has none yet."""
    from nbgrader.api import MissingEntry

    try:
        nb = gb.find_notebook(assignment, assignment)
    except MissingEntry:
        return None
    return ({c.name: (float(c.max_score), c.cell_type) for c in nb.grade_cells},
            {c.name for c in nb.solution_cells},
            {c.name: c.source for c in nb.source_cells}, nb)


def in_step(gb, source_nb, assignment):
    rec = _recorded(gb, assignment)
    if rec is None:
        return False
    grade, solution, sources = expected_cells(source_nb)
    # Answer cells are recorded as released (solution cleared): compare only the others' sources.
    fixed = {k: source(c) for k, c in sources.items() if k not in solution}
    return (rec[0] == grade and rec[1] == solution and set(rec[2]) == set(sources)
            and {k: v for k, v in rec[2].items() if k in fixed} == fixed)


def sync_assignment(paths, assignment, url):
    """Make the gradebook's assignment match ``solutions/<id>/<id>.ipynb``; True if it changed.

    A new assignment is recorded by ``nbgrader generate_assignment`` itself. One that already has
    submissions (nbgrader refuses to add or remove its cells) is updated here: new cells get an
    empty grade or comment in every submission, removed cells lose theirs, points and sources
    follow the source notebook. Several graders may start at once on one database: whoever loses
    the race finds the assignment in step on the next try."""
    source_nb = paths.source(assignment)
    for attempt in range(5):
        with opened(url) as gb:
            if in_step(gb, source_nb, assignment):
                return attempt > 0
            rec = _recorded(gb, assignment)
            has_subs = rec is not None and len(rec[3].submissions) > 0
        try:
            if has_subs:
                _update_cells(paths, url, assignment)
            else:
                _generate_into(paths, assignment, url)
        except Exception:  # another grader changed it at the same moment: look again
            if attempt == 4:
                raise
            time.sleep(0.5 + attempt)
    return True


def _generate_into(paths, assignment, url):
    with tempfile.TemporaryDirectory(prefix="register-") as tmp:
        scratch = nbr.scratch_course(Path(tmp) / "course", [assignment], paths.root)
        cmd = [str(nbr.BIN / "nbgrader"), "generate_assignment", assignment, "--force",
               f"--CourseDirectory.root={scratch}", f"--db={url}"]
        proc = subprocess.run(cmd, cwd=scratch, env=nbr._env(), capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"could not register {assignment} in the gradebook:\n{proc.stderr[-2000:]}")


def _update_cells(paths, url, assignment):
    """Bring an assignment that has submissions in step: nbgrader records the cells into a scratch
    gradebook (its own sources and checksums), and they are copied from there."""
    from nbgrader.api import Comment, Grade

    with tempfile.TemporaryDirectory(prefix="cells-") as tmp:
        scratch_url = f"sqlite:///{Path(tmp) / 'scratch.db'}"
        _generate_into(paths, assignment, scratch_url)
        with opened(scratch_url) as sgb:
            snb = sgb.find_notebook(assignment, assignment)
            grade = {c.name: (float(c.max_score), c.cell_type) for c in snb.grade_cells}
            solution = {c.name for c in snb.solution_cells}
            sources = {c.name: {"cell_type": c.cell_type, "locked": c.locked, "source": c.source,
                                "checksum": c.checksum} for c in snb.source_cells}
    with opened(url) as gb:
        nb = gb.find_notebook(assignment, assignment)
        subs = list(nb.submissions)
        for cell in list(nb.grade_cells):
            if cell.name not in grade:
                for g in gb.db.query(Grade).filter(Grade.cell_id == cell.id):
                    gb.db.delete(g)
                gb.db.delete(cell)
        for cell in list(nb.solution_cells):
            if cell.name not in solution:
                for c in gb.db.query(Comment).filter(Comment.cell_id == cell.id):
                    gb.db.delete(c)
                gb.db.delete(cell)
        for cell in list(nb.source_cells):
            if cell.name not in sources:
                gb.db.delete(cell)
        gb.db.commit()
        old_grades = {c.name for c in nb.grade_cells}
        old_solutions = {c.name for c in nb.solution_cells}
        for name, (points, kind) in grade.items():
            cell = gb.update_or_create_grade_cell(name, assignment, assignment, max_score=points,
                                                  cell_type=kind)
            if name not in old_grades:
                for s in subs:
                    gb.db.add(Grade(cell_id=cell.id, notebook=s))
        for name in solution:
            cell = gb.update_or_create_solution_cell(name, assignment, assignment)
            if name not in old_solutions:
                for s in subs:
                    gb.db.add(Comment(cell_id=cell.id, notebook=s))
        for name, info in sources.items():
            gb.update_or_create_source_cell(name, assignment, assignment, **info)
        gb.db.commit()


def record(gb, assignment, student, verdict, timestamp=None, student_fields=None):
    """Write one verdict into the open gradebook ``gb``: judge scores as the test cells' auto scores.

    ``needs_manual_grade``: written (markdown) answers until a person grades them; test cells of a
    submission whose status is not *graded* (flagged, crashed, timed out, not gradable) until a person
    looks — the judge's score stands meanwhile. A test the verdict lacks scores 0, so a crashed grading
    never leaves earlier scores standing. ``timestamp``: the submission time (naive UTC) or None;
    ``student_fields``: columns of the student's row (``first_name``, ``last_name``, ``email``,
    ``lms_user_id``: :func:`course.roster.gradebook_fields`); columns it lacks keep what the row has."""
    from nbgrader.api import MissingEntry

    for attempt in range(5):  # another grader may create the same student or submission at once
        try:
            gb.update_or_create_student(student, **(student_fields or {}))
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                sub = gb.add_submission(assignment, student)
            break
        except Exception:
            gb.db.rollback()
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    sub.timestamp = timestamp
    flagged = verdict["status"] != "graded"
    for nb in sub.notebooks:
        for g in nb.grades:
            if g.cell.cell_type == "code":
                cell = verdict["cells"].get(g.name)
                g.auto_score = float(cell["score"]) if cell else 0.0
                g.needs_manual_grade = flagged and g.manual_score is None
            else:
                g.auto_score = None
                g.needs_manual_grade = g.manual_score is None
    gb.db.commit()


def read(url, assignment):
    """``(full_points, {student: {"cells": {name: {...}}, "comments": {...}, "timestamp": ...}})``.

    Each cell: ``score`` (the hand grade if given, else the auto score), ``max``, ``auto``, ``manual``,
    ``kind`` (code: judged; markdown: written), ``needs_manual``."""
    from nbgrader.api import MissingEntry

    out = {}
    with opened(url) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            return 0.0, {}
        full = float(a.max_score or 0.0)
        for sub in a.submissions:
            cells, comments = {}, {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    cells[g.name] = {"score": float(g.score or 0.0), "max": float(g.max_score),
                                     "auto": g.auto_score, "manual": g.manual_score,
                                     "kind": g.cell.cell_type, "needs_manual": bool(g.needs_manual_grade)}
                for c in nb.comments:
                    if c.manual_comment:
                        comments[c.name] = c.manual_comment
            out[sub.student.id] = {"cells": cells, "comments": comments, "timestamp": sub.timestamp,
                                   "first_name": sub.student.first_name,
                                   "last_name": sub.student.last_name}
    return full, dict(sorted(out.items()))

