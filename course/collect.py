"""Collect notebooks as LMSs export them into nbgrader's ``submitted/<student>/<id>/<id>.ipynb``.

Accepted, in a folder or a ``.zip`` (zips inside the folder are opened too):

- Canvas bulk download: ``<lastfirst>[_late]_<userid>_<submissionid>_<original name>``;
- Moodle download: ``<Full Name>_<participant id>_assignsubmission_file_/<original name>`` (folders,
  or the same as one file name);
- one folder per student: ``<student>/<id>.ipynb``, or ``<student>_<id>.ipynb`` / ``<student>-<id>.ipynb``.

Student ids are safe slugs that keep the LMS's id (``anna-berg-1017``), or the id an instructor's
roster CSV gives for that LMS id; the name as written (any script) goes into ``roster.csv``, with the
roster CSV's ``first_name``, ``last_name``, ``email``, ``section`` and ``sis_id`` when it has them
(``grade`` writes names, email and LMS id into the gradebook's student rows, for formgrader). Two
different LMS ids are never one student; several files of one student are a resubmission (the newest
is taken, the others reported). Every file not placed is listed with its reason. The submission time
(the file's or the zip entry's) is written to ``timestamp.txt``, which ``grade`` records in the gradebook.
"""

import csv
import io
import json
import os
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .paths import CourseError, CoursePaths
from .roster import read_roster, write_roster

CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_late)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<orig>[^/]+)$")
MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<uid>\d+)_assignsubmission_(?:file|onlinetext)_?(?:/|$)")
MOODLE_FLAT = re.compile(
    r"^(?P<name>[^/]+?)_(?P<uid>\d+)_assignsubmission_(?:file|onlinetext)_(?P<orig>[^/]+)$")
SAFE = re.compile(r"[^a-z0-9]+")


@dataclass
class Entry:
    """One file of the export: its name as shown, its path inside the export, its bytes and time."""
    shown: str
    rel: str
    data: bytes
    when: datetime


@dataclass
class Result:
    placed: list = field(default_factory=list)     # "file -> submitted/<student>/<id>/"
    unchanged: list = field(default_factory=list)  # students whose submission is the same
    problems: list = field(default_factory=list)   # "file: reason" (not placed)
    warnings: list = field(default_factory=list)   # placed, but a person should know


def readable(name):
    """A file name as text: non-UTF-8 bytes (a latin-1 ``niña`` from an old zip tool) decoded as latin-1."""
    if isinstance(name, bytes):
        raw = name
    else:
        raw = os.fsencode(name) if any(0xDC80 <= ord(c) <= 0xDCFF for c in name) else None
        if raw is None:
            return unicodedata.normalize("NFC", name)
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        return unicodedata.normalize("NFC", raw.decode("latin-1"))


def slug(name):
    """ASCII lower-case letters and digits of a name, words joined by ``-`` (``José Müller`` ->
    ``jose-muller``); empty for a name with no Latin letters (``张伟``)."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return SAFE.sub("-", ascii_).strip("-")


def student_id(name, lms_id):
    """A safe, stable id that keeps the LMS id: ``<slug>-<lms id>`` or ``id-<lms id>``."""
    return f"{slug(name) or 'id'}-{lms_id}"


def entries(folder):
    """Every file of the export (a folder or a zip), zips inside opened, with a readable name."""
    folder = Path(folder)
    if folder.is_file() and zipfile.is_zipfile(folder):
        yield from _zip_entries(folder.name, folder.read_bytes(), "")
        return
    if not folder.is_dir():
        raise CourseError(f"{folder} is neither a folder nor a zip file")
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or ".ipynb_checkpoints" in path.parts or path.name.startswith("."):
            continue
        rel = "/".join(readable(p) for p in path.relative_to(folder).parts)
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        data = path.read_bytes()
        if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            yield from _zip_entries(rel, data, rel.rsplit("/", 1)[0] + "/" if "/" in rel else "")
        else:
            yield Entry(rel, rel, data, when)


def _zip_entries(shown, data, prefix):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            name = info.filename
            if not info.flag_bits & 0x800:  # no UTF-8 flag: the bytes were decoded as cp437
                name = readable(name.encode("cp437"))
            when = datetime(*info.date_time, tzinfo=UTC)
            body = z.read(info)
            if name.lower().endswith(".zip") and zipfile.is_zipfile(io.BytesIO(body)):
                yield from _zip_entries(f"{shown}:{name}", body, prefix)
            else:
                yield Entry(f"{shown}:{name}", prefix + name, body, when)


def identify(rel, assignment):
    """``(lms, name, lms_id, order, original)`` for a file of the export, or a reason string."""
    base = rel.rsplit("/", 1)[-1]
    m = MOODLE.match(rel) or MOODLE_FLAT.match(base)
    if m:
        return "moodle", m.group("name").strip(), m.group("uid"), 0, base
    m = CANVAS.match(base)
    if m:
        return "canvas", m.group("name"), m.group("uid"), int(m.group("sub")), m.group("orig")
    parts = rel.split("/")
    if len(parts) >= 2 and Path(base).stem == assignment:
        return "folder", parts[-2], None, 0, base
    stem = Path(base).stem
    for sep in ("_", "-"):
        if stem.endswith(sep + assignment) and len(stem) > len(assignment) + 1:
            return "folder", stem[: -len(assignment) - 1], None, 0, base
    return "the name matches no known layout (Canvas, Moodle, <student>/<id>.ipynb)"


def problem_with(data):
    """Why a notebook cannot be graded as it is (placed anyway; ``grade`` says *not gradable*), or ''."""
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return f"not valid notebook JSON ({type(exc).__name__})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", nb.get("worksheets")), list):
        return "not a notebook (no cells)"
    if int(nb.get("nbformat", 0) or 0) < 4:
        return f"nbformat {nb.get('nbformat')} (needs 4)"
    return ""


def load_mapping(path):
    """An instructor's roster CSV: ``{lms_id: row}`` with ``student`` and any of ``name``,
    ``first_name``, ``last_name``, ``email``, ``section``, ``sis_id``."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if rows and not {"lms_id", "student"} <= set(rows[0]):
        raise CourseError(f"roster {path}: needs columns lms_id and student (has {', '.join(rows[0])})")
    return {r["lms_id"].strip(): r for r in rows if r.get("lms_id")}


def collect(assignment, folder, paths, replace=False, roster=None):
    """Place every notebook of the export; return a :class:`Result`."""
    paths = paths if isinstance(paths, CoursePaths) else CoursePaths(paths)
    paths.require(assignment)
    mapping = load_mapping(roster) if roster else {}
    known = read_roster(paths)
    result = Result()
    chosen = {}  # student -> (order, when, entry, info)
    for e in entries(folder):
        if not e.rel.lower().endswith(".ipynb"):
            result.problems.append(f"{e.shown}: not a notebook ({Path(e.rel).suffix or 'no extension'})")
            continue
        info = identify(e.rel, assignment)
        if isinstance(info, str):
            result.problems.append(f"{e.shown}: {info}")
            continue
        lms, name, lms_id, order, _ = info
        if lms_id and lms_id in mapping:
            student = slug(mapping[lms_id]["student"]) or student_id(name, lms_id)
            name = mapping[lms_id].get("name") or name
        elif lms_id:
            student = student_id(name, lms_id)
        else:
            student = slug(name)
            if not student:
                result.problems.append(f"{e.shown}: no usable student id in {name!r}")
                continue
        row = {"lms_id": lms_id or "", "name": name,
               **{k: mapping.get(lms_id or "", {}).get(k, "")
                  for k in ("section", "sis_id", "email", "first_name", "last_name")}}
        key = (order, e.when, e.shown)
        if student in chosen:
            old_key, old = chosen[student][0], chosen[student][1]
            newer, older = (e, old) if key > old_key else (old, e)
            result.problems.append(f"{older.shown}: an earlier submission of {student}; "
                                   f"taken instead: {newer.shown}")
            if newer is old:
                continue
        chosen[student] = (key, e, row)
    for student, (_, e, row) in sorted(chosen.items()):
        dest = paths.submission(student, assignment)
        why = problem_with(e.data)
        if dest.exists():
            if dest.read_bytes() == e.data:
                result.unchanged.append(student)
                known[student] = {**known.get(student, {}), **{k: v for k, v in row.items() if v}}
                continue
            if not replace:
                result.problems.append(f"{e.shown}: {student} already has a different submission; kept "
                                       "the earlier one (use --replace to take the new one)")
                continue
            n = 1
            while dest.with_suffix(f".previous-{n}").exists():
                n += 1
            shutil.move(dest, dest.with_suffix(f".previous-{n}"))
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(e.data)
        (dest.parent / "timestamp.txt").write_text(e.when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
        known[student] = {**known.get(student, {}), **{k: v for k, v in row.items() if v}}
        result.placed.append(f"{e.shown} -> submitted/{student}/{assignment}/")
        if why:
            result.warnings.append(f"{e.shown} ({student}): {why}; it will be graded *not gradable*")
    if chosen:
        write_roster(paths, known)
    return result


def report(result):
    """What collect did, as lines an instructor reads (printable on any terminal encoding)."""
    lines = [f"placed      {p}" for p in result.placed]
    if result.unchanged:
        more = "..." if len(result.unchanged) > 10 else ""
        lines.append(f"unchanged   {len(result.unchanged)} ({', '.join(result.unchanged[:10])}{more})")
    lines += [f"WARNING     {w}" for w in result.warnings]
    lines += [f"NOT PLACED  {p}" for p in result.problems]
    lines.append(f"{len(result.placed)} placed, {len(result.unchanged)} unchanged, "
                 f"{len(result.problems)} not placed")
    return "\n".join(lines)
