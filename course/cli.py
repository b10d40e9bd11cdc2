"""The `course` command: one command per step for maintainers, students and instructors.

    course build                 execute the lectures into build/ (HTML), release the exercises into
                                 a scratch course folder, grade the reference solutions, summarise
    course notebooks             re-execute the committed lectures in place (fresh kernels)
    course release ID|--all      regenerate exercises/ID from solutions/ID with nbgrader and check it
    course collect ID FOLDER     take an LMS export into submitted/<student>/ID/ID.ipynb
    course grade ID              judge every collected submission (sandboxed, in parallel)
    course feedback ID           per-student HTML feedback in feedback/<student>/ID/
    course export                grades.csv and a summary report (PNG + HTML) in reports/
    course student-copy DIR      the folder students get: lectures, exercises, helpers, no solutions
Every command takes --course-dir DIR (default: this repository).
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
from . import sandbox
from .notebooks import (
    ASSIGNMENTS,
    ROOT,
    answer_sources,
    is_answer,
    load,
    make_submission,
    submission_answers,
)

BUILD = ROOT / "build"


def lectures():
    return sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))


def assignments():
    return [a for a in ASSIGNMENTS if (ROOT / "solutions" / a / f"{a}.ipynb").exists()]


def _jupyter(*args, timeout=900):
    env = nbr._env()
    env.pop("MPLBACKEND", None)  # lectures need the inline backend, or their figures are lost
    return subprocess.run([str(nbr.BIN / "jupyter"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def execute_lecture(path, html_dir=None, execute=True):
    """Execute one lecture from a fresh kernel: into HTML (``html_dir``) or in place.

    With ``execute=False`` the HTML shows the committed outputs (fast; for the site alone)."""
    common = ["--execute", "--ExecutePreprocessor.timeout=600",
              "--ExecutePreprocessor.kernel_name=python3"] if execute else []
    if html_dir is None:
        proc = _jupyter("nbconvert", "--to", "notebook", "--inplace", *common, str(path))
        if proc.returncode == 0:
            strip_timing(path)
    else:
        # MathJax from the installed jupyter_server_mathjax: the pages render math offline.
        mathjax = "../mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe,local/html"
        proc = _jupyter("nbconvert", "--to", "html", *common, f"--HTMLExporter.mathjax_url={mathjax}",
                        "--output-dir", str(html_dir), str(path))
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


def copy_mathjax():
    import jupyter_server_mathjax

    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    dest = BUILD / "mathjax"
    if not dest.exists():
        shutil.copytree(static, dest)
    # MathJax 2 picks native MathML output on today's Chromium and fails on some formulas there:
    # render with HTML-CSS (its fonts are in the local copy).
    local = dest / "config" / "local"
    local.mkdir(parents=True, exist_ok=True)
    (local / "html.js").write_text(
        'MathJax.Hub.Config({menuSettings: {renderer: "HTML-CSS"}});\n'
        'MathJax.Ajax.loadComplete("[MathJax]/config/local/html.js");\n')


def build_lectures(execute=True):
    html_dir = BUILD / "lectures"
    html_dir.mkdir(parents=True, exist_ok=True)
    copy_mathjax()
    paths = lectures()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda p: execute_lecture(p, html_dir, execute), paths))
    write_index(paths, html_dir)
    return f"{len(paths)} lectures -> build/index.html"


def demo_submissions(assignment, release):
    """The demo class: perfect, partial (last answer left blank), buggy (first corpus bug) and
    tampering (reads the instructor's solutions), made from files shipped in tests/."""
    answers = answer_sources(assignment)
    demo = {"demo-perfect": make_submission(assignment, answers, release)}
    partial = dict(answers)
    partial.pop(list(answers)[-1])
    demo["demo-partial"] = make_submission(assignment, partial, release)
    bugs = sorted((ROOT / "tests" / "corpus" / assignment).glob("bug_*.py"))
    if bugs:
        demo["demo-buggy"] = make_submission(
            assignment, submission_answers(assignment, bugs[0].read_text()), release)
    attack = (ROOT / "tests" / "tamper" / "read_solutions.py").read_text()
    blank = load(release)
    first = next(c for c in blank["cells"] if is_answer(c))
    first["source"] = attack + "\n" + "".join(first["source"])
    demo["demo-tampering"] = blank
    return demo


def build_exercises_and_grade():
    from . import grade as grading

    ids = assignments()
    course = BUILD / "course"
    if course.exists():
        shutil.rmtree(course)
    nbr.scratch_course(course, ids)
    db = course / "gradebook.db"
    rows, tables = [], []
    for a in ids:
        release = nbr.generate(a, course, db)
        nbr.submit(course, a, "reference", make_submission(a, answer_sources(a), release))
        nbr.submit(course, a, "blank", load(release))
        nbr.autograde(a, course, db)
        for student, cells in sorted(nbr.scores(a, db).items()):
            got, top = sum(s for s, _ in cells.values()), sum(m for _, m in cells.values())
            rows.append((a, student, got, top))
        for student, nb in demo_submissions(a, release).items():
            nbr.submit(course, a, student, nb)
        demo = grading.grade(a, course, progress=False, unsafe=not sandbox.available(),
                             students={s for s in grading.submissions(course, a) if s.startswith("demo-")})
        tables.append(grading.table(a, demo))
    print("\nnbgrader autograde, in-kernel (reference solution and untouched student version):")
    for a, student, got, top in rows:
        print(f"  {a:22s} {student:10s} {got:5.1f} / {top:.1f}")
    print("\nThe instructor workflow (`course grade`) on the demo class:")
    if not sandbox.available():
        print("  (no bubblewrap here: the demo was graded WITHOUT a sandbox)")
    for t in tables:
        print("  " + t.replace("\n", "\n  "))
    return f"{len(ids)} assignments released into build/course and graded"


def cmd_build(args):
    summary = []
    if args.site_only:
        timed("lectures -> HTML (committed outputs)", summary, build_lectures, False)
    else:
        timed("lectures -> HTML", summary, build_lectures)
    if assignments() and not args.site_only:
        timed("release + grade reference solutions", summary, build_exercises_and_grade)
    missing = [a for a in ASSIGNMENTS if a not in assignments()]
    print("\nSummary")
    for label, seconds, status in summary:
        print(f"  {label:40s} {seconds:7.1f} s  {status}")
    if missing:
        print(f"  not yet in the course: assignments {', '.join(missing)}")
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
    """Regenerate ``exercises/<id>`` from ``solutions/<id>``; return a list of problems found.

    A source notebook that fails ``release_check`` (e.g. a hand-graded answer without its question
    before it) is refused: nothing is generated and the problems are returned."""
    from .release_check import missing_prompts

    refused = missing_prompts(load(ROOT / "solutions" / assignment / f"{assignment}.ipynb"))
    if refused:
        return ["REFUSED: " + p for p in refused]
    with tempfile.TemporaryDirectory() as tmp:
        course = nbr.scratch_course(Path(tmp) / "course", [assignment])
        out = nbr.generate(assignment, course, Path(tmp) / "gradebook.db")
        dest = ROOT / "exercises" / assignment
        dest.mkdir(parents=True, exist_ok=True)
        for f in out.parent.iterdir():  # the notebook and its support files (the visible tests)
            if f.is_file():
                shutil.copy(f, dest / f.name)
    text = (dest / f"{assignment}.ipynb").read_text()
    return [m for m in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
            if m in text]


def cmd_release(args):
    ids = assignments() if args.all else [args.assignment]
    status = 0
    for a in ids:
        problems = release(a)
        if problems and problems[0].startswith("REFUSED"):
            print(f"{a}: not released:\n  " + "\n  ".join(problems))
        else:
            print(f"{a}: exercises/{a}/{a}.ipynb regenerated" + (f"; LEAK: {problems}" if problems else ""))
        status |= bool(problems)
    return status


def cmd_collect(args):
    from .collect import collect

    placed, unchanged, problems = collect(args.assignment, args.folder, args.course_dir, args.replace)
    for line in placed:
        print(f"placed  {line}")
    if unchanged:
        more = "..." if len(unchanged) > 10 else ""
        print(f"unchanged: {len(unchanged)} ({', '.join(unchanged[:10])}{more})")
    for line in problems:
        print(f"NOT PLACED  {line}")
    print(f"{len(placed)} placed, {len(unchanged)} unchanged, {len(problems)} not placed")
    return 1 if problems else 0


def cmd_grade(args):
    from . import grade

    if args.unsafe:
        print("!" * 78 + "\n!! --unsafe: grading WITHOUT a sandbox. Student code runs with your rights: it "
              "can read\n!! solutions/, other submissions and the gradebook. Only for trusted code.\n"
              + "!" * 78)
    results = grade.grade(args.assignment, args.course_dir, workers=args.workers, force=args.force,
                          unsafe=args.unsafe, db=args.db, cell_seconds=args.cell_timeout,
                          in_kernel=args.in_kernel)
    print(grade.table(args.assignment, results))
    flagged = [s for s, v in results.items() if v["status"] != "graded"]
    if flagged:
        print(f"\n{len(flagged)} submission(s) need a human look: {', '.join(flagged)}")
    return 0


def cmd_feedback(args):
    from .report import feedback

    paths = feedback(args.course_dir, args.assignment)
    print(f"{len(paths)} feedback pages in {Path(args.course_dir) / 'feedback'}")
    return 0


def cmd_export(args):
    from .report import export

    out = export(args.course_dir, args.assignments or ASSIGNMENTS, args.out)
    print(f"wrote {out / 'grades.csv'}, {out / 'summary.html'}, {out / 'scores.png'}")
    return 0


def cmd_student_copy(args):
    from .student_copy import write

    try:
        files = write(args.folder)
    except ValueError as exc:
        print(f"student-copy: {exc}")
        return 2
    print(f"{len(files)} files in {args.folder}: publish it as its own repository or zip it")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course-dir", default=str(ROOT),
                        help="course folder (nbgrader layout); default: the repository")
    sub = parser.add_subparsers(dest="command", required=True)
    col = sub.add_parser("collect", help="take an LMS export into submitted/")
    col.add_argument("assignment")
    col.add_argument("folder")
    col.add_argument("--replace", action="store_true", help="take a changed resubmission")
    gr = sub.add_parser("grade", help="judge every collected submission")
    gr.add_argument("assignment")
    gr.add_argument("--workers", type=int, default=None, help="parallel workers (default: cores)")
    gr.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    gr.add_argument("--unsafe", action="store_true", help="grade without a sandbox (trusted code)")
    gr.add_argument("--db", default=None, help="gradebook URL or SQLite file (default: gradebook.db)")
    gr.add_argument("--cell-timeout", type=int, default=60, help="seconds per test cell")
    gr.add_argument("--in-kernel", action="store_true",
                    help="also autograde with nbgrader in the student's kernel (sandboxed) and flag "
                         "submissions where it disagrees with the judge")
    fb = sub.add_parser("feedback", help="per-student HTML feedback")
    fb.add_argument("assignment")
    ex = sub.add_parser("export", help="grades.csv and a summary report")
    ex.add_argument("assignments", nargs="*")
    ex.add_argument("--out", default=None, help="folder for the files (default: reports/)")
    bd = sub.add_parser("build", help="execute lectures, release exercises, grade references")
    bd.add_argument("--site-only", action="store_true",
                    help="only the HTML site, from the committed lecture outputs (no execution)")
    nb = sub.add_parser("notebooks", help="re-execute the committed lectures in place")
    nb.add_argument("only", nargs="*", help="lecture names (stems) to run; default all")
    rel = sub.add_parser("release", help="regenerate exercises/ID from solutions/ID")
    rel.add_argument("assignment", nargs="?", choices=ASSIGNMENTS)
    rel.add_argument("--all", action="store_true")
    sc = sub.add_parser("student-copy", help="write the folder students get (no solutions, no hidden tests)")
    sc.add_argument("folder", help="a new or empty folder outside the repository")
    args = parser.parse_args(argv)
    if args.command == "release" and not (args.all or args.assignment):
        parser.error("release needs an assignment id or --all")
    handler = {"build": cmd_build, "notebooks": cmd_notebooks, "release": cmd_release,
               "collect": cmd_collect, "grade": cmd_grade, "feedback": cmd_feedback,
               "export": cmd_export, "student-copy": cmd_student_copy}[args.command]
    sys.exit(handler(args))
