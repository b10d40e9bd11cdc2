"""Feedback for students and grade exports for instructors, from the judge's verdicts."""

import csv
import html
import json
from collections import Counter
from pathlib import Path

from .grade import cache_dir

STYLE = ("body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.4}"
         "td,th{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
         ".ok{color:#176717}.no{color:#a11}")


def verdicts(course_dir, assignment):
    out = {}
    for p in sorted(cache_dir(course_dir, assignment).glob("*.json")):
        out[p.stem] = json.loads(p.read_text())["verdict"]
    return out


def feedback(course_dir, assignment):
    """Write ``feedback/<student>/<id>/<id>.html``: each part's points and its message.

    Only the test's one-line description and the check's teaching message are shown: never the
    hidden test's source, never a traceback into it."""
    written = []
    for student, v in verdicts(course_dir, assignment).items():
        rows = []
        for gid, c in v["cells"].items():
            cls, mark = ("ok", "passed") if c["passed"] else ("no", "not yet")
            msg = "" if c["passed"] else html.escape(c["message"])
            rows.append(f"<tr><td>{html.escape(c.get('description') or gid)}</td>"
                        f"<td class='{cls}'>{mark}</td><td>{c['score']:g} / {c['max']:g}</td>"
                        f"<td>{msg}</td></tr>")
        score = sum(c["score"] for c in v["cells"].values())
        top = sum(c["max"] for c in v["cells"].values())
        page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{assignment}: "
                f"feedback</title><style>{STYLE}</style></head><body><h1>{assignment}: feedback for "
                f"{html.escape(student)}</h1><p>Autograded points: <b>{score:g} / {top:g}</b> "
                "(written answers are graded by hand).</p><table><tr><th>part</th><th>result</th>"
                f"<th>points</th><th>what the grader saw</th></tr>{''.join(rows)}</table></body></html>")
        dest = Path(course_dir) / "feedback" / student / assignment / f"{assignment}.html"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(page)
        written.append(dest)
    return written


def export(course_dir, assignments, out_dir=None):
    """``grades.csv`` (student, assignment, per-part points, total, status) and a summary report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir or Path(course_dir) / "reports")
    out_dir.mkdir(parents=True, exist_ok=True)
    rows, failing, totals = [], {}, {}
    for a in assignments:
        vs = verdicts(course_dir, a)
        failing[a] = Counter()
        totals[a] = []
        for student, v in vs.items():
            total = sum(c["score"] for c in v["cells"].values())
            totals[a].append(total)
            row = {"student": student, "assignment": a, "total": total, "status": v["status"]}
            for gid, c in v["cells"].items():
                row[gid] = c["score"]
                if not c["passed"]:
                    failing[a][c.get("description") or gid] += 1
            rows.append(row)
    fields = ["student", "assignment"] + sorted({k for r in rows for k in r} -
                                                {"student", "assignment", "total", "status"})
    fields += ["total", "status"]
    with open(out_dir / "grades.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    shown = [a for a in assignments if totals[a]]
    fig, axes = plt.subplots(1, max(len(shown), 1), figsize=(4 * max(len(shown), 1), 3), squeeze=False)
    for ax, a in zip(axes[0], shown, strict=False):
        ax.hist(totals[a], bins=10)
        ax.set_title(a)
        ax.set_xlabel("autograded points")
        ax.set_ylabel("students")
    fig.suptitle("Score distribution per assignment")
    fig.tight_layout()
    fig.savefig(out_dir / "scores.png", dpi=90)
    plt.close(fig)
    parts = []
    for a in shown:
        items = "".join(f"<li>{html.escape(name)}: {n} of {len(totals[a])}</li>"
                        for name, n in failing[a].most_common(10))
        parts.append(f"<h2>{a}</h2><p>{len(totals[a])} submissions. Checks failed most often:</p>"
                     f"<ol>{items}</ol>")
    (out_dir / "summary.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Grades summary</title>"
        f"<style>{STYLE}</style></head><body><h1>Grades summary</h1>"
        f"<img src='scores.png' alt='score distribution per assignment'>{''.join(parts)}</body></html>")
    return out_dir
