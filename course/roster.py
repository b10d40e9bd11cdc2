"""The class list: ``roster.csv`` in the course folder, one row per student.

Columns: ``student`` (the course's id: a safe slug, the folder name under ``submitted/``), ``lms_id``
(Canvas user id or Moodle participant id), ``sis_id``, ``name`` (as the LMS or the instructor wrote
it, in any script), ``section``, ``email``. ``collect`` adds the students it places; an instructor's
own roster (``collect --roster FILE``) maps LMS ids to their student ids.
"""

import csv

FIELDS = ["student", "lms_id", "sis_id", "name", "section", "email"]


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
