"""The `course` command: one command per step for maintainers, students and instructors.

    course build                 execute the lectures into build/ (HTML), release the exercises into
                                 a scratch course folder, grade the reference solutions, summarise
    course notebooks             re-execute the committed lectures in place (fresh kernels)
    course release ID|--all      regenerate exercises/ID from solutions/ID with nbgrader and check it
"""

import argparse
import html
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import nbgrader_run as nbr
from .notebooks import ASSIGNMENTS, ROOT, answer_sources, load, make_submission

BUILD = ROOT / "build"


def lectures():
    return sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))


def assignments():
    return [a for a in ASSIGNMENTS if (ROOT / "solutions" / a / f"{a}.ipynb").exists()]


def _jupyter(*args, timeout=900):
    return subprocess.run([str(nbr.BIN / "jupyter"), *args], cwd=ROOT, env=nbr._env(),
                          capture_output=True, text=True, timeout=timeout)


def execute_lecture(path, html_dir=None):
    """Execute one lecture from a fresh kernel: into HTML (``html_dir``) or in place."""
    common = ["--execute", "--ExecutePreprocessor.timeout=600",
              "--ExecutePreprocessor.kernel_name=python3"]
    if html_dir is None:
        proc = _jupyter("nbconvert", "--to", "notebook", "--inplace", *common, str(path))
        if proc.returncode == 0:
            strip_timing(path)
    else:
        proc = _jupyter("nbconvert", "--to", "html", *common, "--output-dir", str(html_dir), str(path))
    if proc.returncode != 0:
        raise RuntimeError(f"{path.name} failed:\n{proc.stderr[-3000:]}")


def strip_timing(path):
    """Drop per-cell execution timestamps so that re-running changes only what really changed."""
    nb = load(path)
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    Path(path).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def _title(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for line in src.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def write_index(paths, html_dir):
    items = "\n".join(
        f'<li><a href="lectures/{p.stem}.html">{html.escape(_title(p))}</a></li>' for p in paths)
    (BUILD / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Bayesian inference by sampling</title></head><body>"
        "<h1>Bayesian inference by sampling</h1><p>The lectures, in order:</p>"
        f"<ol>{items}</ol><p>Exercises: <code>exercises/&lt;id&gt;/&lt;id&gt;.ipynb</code> "
        "(open them in JupyterLab with <code>make lab</code>).</p></body></html>\n")


def timed(label, summary, fn, *args):
    t0 = time.perf_counter()
    try:
        result = fn(*args)
        summary.append((label, time.perf_counter() - t0, "ok"))
        return result
    except Exception as exc:  # keep building; report at the end
        summary.append((label, time.perf_counter() - t0, f"FAILED: {exc}"))
        return None


def build_lectures():
    html_dir = BUILD / "lectures"
    html_dir.mkdir(parents=True, exist_ok=True)
    paths = lectures()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda p: execute_lecture(p, html_dir), paths))
    write_index(paths, html_dir)
    return f"{len(paths)} lectures -> build/index.html"


def build_exercises_and_grade():
    ids = assignments()
    course = BUILD / "course"
    if course.exists():
        shutil.rmtree(course)
    nbr.scratch_course(course, ids)
    db = course / "gradebook.db"
    rows = []
    for a in ids:
        release = nbr.generate(a, course, db)
        nbr.submit(course, a, "reference", make_submission(a, answer_sources(a), release))
        nbr.submit(course, a, "blank", load(release))
        nbr.autograde(a, course, db)
        for student, cells in sorted(nbr.scores(a, db).items()):
            got, top = sum(s for s, _ in cells.values()), sum(m for _, m in cells.values())
            rows.append((a, student, got, top))
    print("\nAutograded points (reference solution and untouched student version):")
    for a, student, got, top in rows:
        print(f"  {a:22s} {student:10s} {got:5.1f} / {top:.1f}")
    return f"{len(ids)} assignments released into build/course and graded"


def cmd_build(_args):
    summary = []
    timed("lectures -> HTML", summary, build_lectures)
    if assignments():
        timed("release + grade reference solutions", summary, build_exercises_and_grade)
    missing = [a for a in ASSIGNMENTS if a not in assignments()]
    print("\nSummary")
    for label, seconds, status in summary:
        print(f"  {label:40s} {seconds:7.1f} s  {status}")
    if missing:
        print(f"  not yet in the course: assignments {', '.join(missing)}")
    print("  not yet in the course: demo submissions graded by the instructor workflow")
    return 0 if all(s == "ok" for _, _, s in summary) else 1


def cmd_notebooks(args):
    paths = [p for p in lectures() if not args.only or p.stem in args.only]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for p, seconds in zip(paths, pool.map(_timed_execute, paths), strict=True):
            print(f"{p.name}: executed in {seconds:.1f} s")
    return 0


def _timed_execute(path):
    t0 = time.perf_counter()
    execute_lecture(path)
    return time.perf_counter() - t0


def release(assignment):
    """Regenerate ``exercises/<id>`` from ``solutions/<id>``; return a list of problems found."""
    with tempfile.TemporaryDirectory() as tmp:
        course = nbr.scratch_course(Path(tmp) / "course", [assignment])
        out = nbr.generate(assignment, course, Path(tmp) / "gradebook.db")
        dest = ROOT / "exercises" / assignment
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(out, dest / out.name)
    text = (dest / f"{assignment}.ipynb").read_text()
    return [m for m in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
            if m in text]


def cmd_release(args):
    ids = assignments() if args.all else [args.assignment]
    status = 0
    for a in ids:
        problems = release(a)
        print(f"{a}: exercises/{a}/{a}.ipynb regenerated" + (f"; LEAK: {problems}" if problems else ""))
        status |= bool(problems)
    return status


def main(argv=None):
    parser = argparse.ArgumentParser(prog="course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="execute lectures, release exercises, grade references")
    nb = sub.add_parser("notebooks", help="re-execute the committed lectures in place")
    nb.add_argument("only", nargs="*", help="lecture names (stems) to run; default all")
    rel = sub.add_parser("release", help="regenerate exercises/ID from solutions/ID")
    rel.add_argument("assignment", nargs="?", choices=ASSIGNMENTS)
    rel.add_argument("--all", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "release" and not (args.all or args.assignment):
        parser.error("release needs an assignment id or --all")
    handler = {"build": cmd_build, "notebooks": cmd_notebooks, "release": cmd_release}[args.command]
    sys.exit(handler(args))
