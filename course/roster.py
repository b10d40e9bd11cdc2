"""The class list: ``roster.csv`` in the course folder, one row per student.

Columns: ``student`` (the course's id: a safe slug, the folder name under ``submitted/``), ``lms_id``
(Canvas user id or Moodle participant id), ``sis_id``, ``name`` (as the LMS or the instructor wrote
it, in any script), ``first_name`` and ``last_name`` (when the instructor's roster has them),
``section``, ``email``. ``collect`` adds the students it places; an instructor's own roster
(``collect --roster FILE``) maps LMS ids to their student ids and may give any of these columns.
``grade`` writes each student's names, email and LMS id into the gradebook's student row
(:func:`gradebook_fields`), where formgrader shows them.
"""

import csv

FIELDS = ["student", "lms_id", "sis_id", "name", "first_name", "last_name", "section", "email"]


def roster_path(paths):
    return paths.root / "roster.csv"


def read_roster(paths):
    """``{student: row}`` of the course's roster (empty when there is none)."""
    path = roster_path(paths)
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {r["student"]: {k: (r.get(k) or "") for k in FIELDS} for r in csv.DictReader(f)
                if r.get("student")}


def write_roster(paths, rows):
    """Write ``{student: row}`` as the course's roster, sorted by student id."""
    with open(roster_path(paths), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for student in sorted(rows):
            w.writerow({k: rows[student].get(k, "") for k in FIELDS} | {"student": student})


def split_name(name):
    """``(first, last)`` of a full name as an LMS writes it: ``"Berg, Anna"`` (a sortable name) splits
    at its comma; otherwise the last word is the family name (``"Anna Maria Berg"`` -> ``("Anna
    Maria", "Berg")``, Moodle's "First Last" order); one word is a family name alone (``("", "张伟")``).
    """
    name = " ".join(name.split())
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return first, last
    first, _, last = name.rpartition(" ")
    return first, last


def gradebook_fields(row):
    """The nbgrader Student columns a roster row gives: ``first_name``, ``last_name``, ``email``,
    ``lms_user_id``, only those it has (an empty dict for no row). The roster's own first and last
    names win over a split of ``name``."""
    row = row or {}
    first, last = row.get("first_name", "").strip(), row.get("last_name", "").strip()
    if not (first or last) and row.get("name", "").strip():
        first, last = split_name(row["name"])
    out = {"first_name": first, "last_name": last} if first or last else {}
    out |= {k: row[src].strip() for k, src in (("email", "email"), ("lms_user_id", "lms_id"))
            if row.get(src, "").strip()}
    return out
