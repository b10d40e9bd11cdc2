"""Feedback for students and grade exports for instructors, read from the gradebook.

Points, hand grades and comments come from nbgrader's gradebook (``--db``): what formgrader shows and
changes. The judge's teaching messages and statuses come from its verdicts (``autograded/.judge``),
which never hold a score that the gradebook does not.
"""

import csv
import html
import json
from collections import Counter

from . import gradebook as gbk
from .paths import CoursePaths, db_url
from .roster import read_roster

STYLE = ("body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.4}"
         "td,th{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
         ".ok{color:#176717}.no{color:#a11}")


def verdicts(course_dir, assignment):
    """The judge's cached verdicts (messages, statuses): ``{student: verdict}``."""
    out = {}
    for p in sorted(CoursePaths(course_dir).judge_cache(assignment).glob("*.json")):
        out[p.stem] = json.loads(p.read_text())["verdict"]
    return out


def status_of(record, verdict):
    """The submission's status: the judge's, unless every flagged cell has been looked at by hand."""
    if verdict is None:
        return "graded"
    if verdict["status"] != "graded" and not any(c["needs_manual"] for c in record["cells"].values()
                                                 if c["kind"] == "code"):
        return f"{verdict['status']} (reviewed)"
    return verdict["status"]


def feedback(course_dir, assignment, db=None):
    """Write ``feedback/<student>/<id>/<id>.html``: each part's points and its message, written
    answers' hand grades and comments, the total out of the assignment's full points.

    Only the test's one-line description and the check's teaching message are shown: never the
    hidden test's source, never a traceback into it."""
    paths = CoursePaths(course_dir)
    paths.require(assignment)
    full, records = gbk.read(db_url(paths, db), assignment)
    judged = verdicts(course_dir, assignment)
    written = []
    for student, rec in records.items():
        v = judged.get(student) or {"cells": {}, "status": "graded", "flags": []}
        rows = []
        for gid, c in rec["cells"].items():
            jc = v["cells"].get(gid, {})
            if c["kind"] == "code":
                passed = c["score"] >= c["max"] and c["max"] > 0
                cls, mark = ("ok", "passed") if passed else ("no", "not yet")
                msg = "" if passed else html.escape(jc.get("message", ""))
                if c["manual"] is not None:
                    mark += " (points set by hand)"
                part = jc.get("description") or gid
            else:
                cls = "ok" if c["manual"] is not None else "no"
                mark = "graded by hand" if c["manual"] is not None else "not graded yet"
                msg = html.escape(rec["comments"].get(gid, ""))
                part = f"written answer {gid}"
            rows.append(f"<tr><td>{html.escape(part)}</td><td class='{cls}'>{mark}</td>"
                        f"<td>{c['score']:g} / {c['max']:g}</td><td>{msg}</td></tr>")
        for gid, comment in rec["comments"].items():
            if gid not in rec["cells"]:
                rows.append(f"<tr><td>{html.escape(gid)}</td><td></td><td></td>"
                            f"<td>{html.escape(comment)}</td></tr>")
        score = sum(c["score"] for c in rec["cells"].values())
        note = "".join(f"<p>{html.escape(f)}</p>" for f in v.get("notes", []))
        page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{assignment}: "
                f"feedback</title><style>{STYLE}</style></head><body><h1>{assignment}: feedback for "
                f"{html.escape(student)}</h1><p>Points: <b>{score:g} / {full:g}</b></p>{note}"
                "<table><tr><th>part</th><th>result</th><th>points</th><th>what the grader saw</th></tr>"
                f"{''.join(rows)}</table></body></html>")
        dest = paths.feedback_page(student, assignment)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(page)
        written.append(dest)
    return written


def collect_grades(paths, assignments, url):
    """``(full {id: points}, {student: {id: record}}, {id: {student: verdict}})`` from the gradebook."""
    full, by_student, judged = {}, {}, {}
    for a in assignments:
        full[a], records = gbk.read(url, a)
        judged[a] = verdicts(paths.root, a)
        for student, rec in records.items():
            by_student.setdefault(student, {})[a] = rec
    return full, dict(sorted(by_student.items())), judged


def export(course_dir, assignments=None, out_dir=None, db=None):
    """Write into ``reports/`` (or ``out_dir``):

    - ``grades.csv``: one row per student, assignment and graded part (judged or written): points,
      full points, whether set by hand, status;
    - ``canvas.csv``: Canvas's gradebook import (Student, ID, SIS User ID, SIS Login ID, Section, one
      column per assignment, a *Points Possible* row);
    - ``moodle.csv``: Moodle's grade import (User ID, e-mail, name, one column per assignment);
    - ``summary.html`` and ``scores.png``: totals and the checks failed most often."""
    paths = CoursePaths(course_dir)
    assignments = [paths.require(a) for a in assignments] if assignments else paths.assignments()
    out_dir = paths.writable(out_dir or paths.reports)
    full, grades, judged = collect_grades(paths, assignments, db_url(paths, db))
    roster = read_roster(paths)
    with open(out_dir / "grades.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "name", "assignment", "part", "kind", "points", "max_points",
                    "set_by_hand", "status"])
        for student, per in grades.items():
            for a, rec in per.items():
                status = status_of(rec, judged[a].get(student))
                for gid, c in rec["cells"].items():
                    w.writerow([student, roster.get(student, {}).get("name", ""), a, gid,
                                "judged" if c["kind"] == "code" else "written", f"{c['score']:g}",
                                f"{c['max']:g}", "yes" if c["manual"] is not None else "no", status])
    write_canvas(out_dir / "canvas.csv", assignments, full, grades, roster)
    write_moodle(out_dir / "moodle.csv", assignments, grades, roster)
    summary(paths, out_dir, assignments, full, grades, judged)
    return out_dir


def total(rec):
    return sum(c["score"] for c in rec["cells"].values())


def write_canvas(path, assignments, full, grades, roster):
    """Canvas's gradebook CSV: its five identity columns, one column per assignment, and the
    *Points Possible* row right under the header (as Canvas exports and re-imports it)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments])
        w.writerow(["    Points Possible", "", "", "", "", *(f"{full[a]:g}" for a in assignments)])
        for student, per in grades.items():
            r = roster.get(student, {})
            w.writerow([r.get("name") or student, r.get("lms_id", ""), r.get("sis_id", ""), student,
                        r.get("section", ""),
                        *(f"{total(per[a]):g}" if a in per else "" for a in assignments)])


def write_moodle(path, assignments, grades, roster):
    """Moodle's grade import CSV (Grades > Import > CSV file): one row per student, one column per
    assignment. On import map *User ID* to the user field "userid" (the number in Moodle's download
    names), or *Email address* to "useremail" when the roster has e-mails; the other columns are for
    the eye."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["User ID", "Email address", "Full name", "Student", *assignments])
        for student, per in grades.items():
            r = roster.get(student, {})
            w.writerow([r.get("lms_id", ""), r.get("email", ""), r.get("name") or student, student,
                        *(f"{total(per[a]):g}" if a in per else "" for a in assignments)])


def summary(paths, out_dir, assignments, full, grades, judged):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = {a: [total(per[a]) for per in grades.values() if a in per] for a in assignments}
    failing = {a: Counter() for a in assignments}
    for a in assignments:
        for v in judged[a].values():
            for gid, c in v["cells"].items():
                if not c["passed"]:
                    failing[a][c.get("description") or gid] += 1
    shown = [a for a in assignments if totals[a]]
    fig, axes = plt.subplots(1, max(len(shown), 1), figsize=(4 * max(len(shown), 1), 3), squeeze=False)
    for ax, a in zip(axes[0], shown, strict=False):
        ax.hist(totals[a], bins=10, range=(0, max(full[a], 1)))
        ax.set_title(a)
        ax.set_xlabel(f"points (of {full[a]:g})")
        ax.set_ylabel("students")
    fig.suptitle("Score distribution per assignment")
    fig.tight_layout()
    fig.savefig(out_dir / "scores.png", dpi=90)
    plt.close(fig)
    parts = []
    for a in shown:
        statuses = Counter(v["status"] for v in judged[a].values())
        last = paths.judge_cache(a) / "last-run.txt"
        items = "".join(f"<li>{html.escape(name)}: {n} of {len(totals[a])}</li>"
                        for name, n in failing[a].most_common(10))
        stat = ", ".join(f"{k}: {n}" for k, n in statuses.most_common())
        again = last.read_text().strip() if last.exists() else "not graded here"
        parts.append(f"<h2>{a}</h2><p>{len(totals[a])} submissions, out of {full[a]:g} points. "
                     f"Statuses: {html.escape(stat)}. Last grading run: {html.escape(again)}.</p>"
                     f"<p>Checks failed most often:</p><ol>{items}</ol>")
    (out_dir / "summary.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Grades summary</title>"
        f"<style>{STYLE}</style></head><body><h1>Grades summary</h1>"
        f"<img src='scores.png' alt='score distribution per assignment'>{''.join(parts)}</body></html>")
