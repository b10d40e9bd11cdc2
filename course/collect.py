"""Collect notebooks as an LMS exports them into nbgrader's ``submitted/<student>/<id>/<id>.ipynb``.

Accepted layouts, in a folder: ``<student>/<id>.ipynb`` (one folder per student), or one file per
student with the student id as the file name's first part: ``<student>_<anything>.ipynb`` (Canvas,
Moodle style), ``<student>-<id>.ipynb`` or ``<student>.ipynb``. A submission different from one already
collected is not overwritten unless ``replace`` (the old one is then kept as ``.previous-N``).
"""

import json
import re
import shutil
from pathlib import Path

SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def student_of(path, folder, assignment):
    rel = path.relative_to(folder)
    if len(rel.parts) == 2:
        return SAFE.sub("", rel.parts[0])
    stem = path.stem
    stem = stem.replace(assignment, "").strip("_- ") if stem != assignment else ""
    first = re.split(r"[_\s]+", stem)[0] if stem else ""
    return SAFE.sub("", first.strip("-"))


def collect(assignment, folder, course_dir, replace=False):
    """Place every notebook; return ``(placed, unchanged, problems)`` lists of messages."""
    folder, course_dir = Path(folder).resolve(), Path(course_dir).resolve()
    placed, unchanged, problems = [], [], []
    seen = {}
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        student = student_of(path, folder, assignment)
        if not student:
            problems.append(f"{path.name}: no student id in the name")
            continue
        try:
            nb = json.loads(path.read_text())
            assert isinstance(nb, dict) and "cells" in nb
        except (ValueError, UnicodeDecodeError, AssertionError):
            problems.append(f"{path.name}: not a notebook")
            continue
        if student in seen:
            problems.append(f"{path.name}: second file for {student} (first: {seen[student]}); skipped")
            continue
        seen[student] = path.name
        dest = course_dir / "submitted" / student / assignment / f"{assignment}.ipynb"
        if dest.exists():
            if dest.read_bytes() == path.read_bytes():
                unchanged.append(student)
                continue
            if not replace:
                problems.append(f"{path.name}: {student} already has a different submission; "
                                "kept the earlier one (use --replace to take the new one)")
                continue
            n = 1
            while dest.with_suffix(f".previous-{n}").exists():
                n += 1
            shutil.move(dest, dest.with_suffix(f".previous-{n}"))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        placed.append(f"{path.name} -> submitted/{student}/{assignment}/")
    return placed, unchanged, problems
