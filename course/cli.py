"""The `course` command: one command per step for maintainers, students and instructors.

    course init DIR              make a course folder of your own (config, solutions/, a README)
    course release ID|--all      regenerate exercises/ID from solutions/ID with nbgrader and check it
    course collect ID FOLDER     take an LMS export (Canvas, Moodle, folders) into submitted/
    course grade ID              judge every collected submission (sandboxed, in parallel) into the gradebook
    course formgrade             nbgrader's formgrader on this course, for written answers and comments
    course feedback ID           per-student HTML feedback in feedback/<student>/ID/, from the gradebook
    course export [ID...]        grades.csv, canvas.csv, moodle.csv and a summary report in reports/
    course build                 execute the lectures into build/ (HTML), release the exercises into
                                 a scratch course folder, grade the reference solutions, summarise
    course notebooks             re-execute the committed lectures in place (fresh kernels)
    course student-copy DIR      the folder students get: lectures, exercises, helpers, no solutions
    course slides                every lecture as an offline reveal.js deck in build/slides/
Every course command takes --course-dir DIR, before or after the command (default: this repository,
itself a course folder). Assignments are the folder's solutions/<id>/<id>.ipynb.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from . import nbgrader_run as nbr
from .paths import REPO, CourseError, CoursePaths

LEAK_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def release(assignment, paths=None):
    """Regenerate ``exercises/<id>`` of the course folder from ``solutions/<id>``; return the solution
    or hidden-test markers found in the student version (a leak), if any.

    A source notebook that fails ``release_check`` (e.g. a hand-graded answer without its question
    before it) is refused: nothing is generated and the problems are returned, each "REFUSED: ..."."""
    from .notebooks import load
    from .release_check import missing_prompts

    paths = paths or CoursePaths(REPO)
    paths.require(assignment)
    refused = missing_prompts(load(paths.source(assignment)))
    try:  # every test cell must be runnable: a visible one needs visible_tests.py beside it
        from .judge import load_tests

        load_tests(paths.source(assignment))
    except ValueError as exc:
        refused.append(str(exc))
    if refused:
        return ["REFUSED: " + p for p in refused]
    dest = paths.writable(paths.release / assignment)
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        course = nbr.scratch_course(Path(tmp) / "course", [assignment], paths.root)
        nbr.generate(assignment, course, Path(tmp) / "gradebook.db")
        for f in (course / "exercises" / assignment).iterdir():
            if f.is_file():
                shutil.copy(f, dest / f.name)
    text = paths.released(assignment).read_text()
    return [m for m in LEAK_MARKERS if m in text]


def cmd_init(args):
    from .folder import init_course

    paths = init_course(args.dir, empty=args.empty)
    print(f"course folder {paths.root}: {len(paths.assignments())} assignment(s) in solutions/ "
          f"({', '.join(paths.assignments()) or 'none yet'}); see {paths.root / 'README.md'}")
    return 0


def cmd_release(args):
    paths = CoursePaths(args.course_dir)
    ids = paths.assignments() if args.all else [paths.require(args.assignment)]
    status = 0
    for a in ids:
        problems = release(a, paths)
        if problems and problems[0].startswith("REFUSED"):
            print(f"{a}: not released:\n  " + "\n  ".join(problems))
        else:
            print(f"{a}: {paths.released(a)} regenerated" + (f"; LEAK: {problems}" if problems else ""))
        status |= bool(problems)
    return status


def cmd_collect(args):
    from .collect import collect, report

    paths = CoursePaths(args.course_dir)
    result = collect(args.assignment, args.folder, paths, args.replace, roster=args.roster)
    print(report(result))
    return 1 if result.problems else 0


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
    print(grade.regrade_line(results))
    flagged = [s for s, v in results.items() if v["status"] != "graded"]
    if flagged:
        print(f"\n{len(flagged)} submission(s) need a human look (marked for review in formgrader): "
              f"{', '.join(flagged)}")
    return 0


def cmd_feedback(args):
    from .report import feedback

    paths = CoursePaths(args.course_dir)
    pages = feedback(paths.root, args.assignment, db=args.db)
    print(f"{len(pages)} feedback pages in {paths.feedback}")
    return 0


def cmd_export(args):
    from .report import export

    out = export(args.course_dir, args.assignments, args.out, db=args.db)
    print(f"wrote {', '.join(str(out / n) for n in ('grades.csv', 'canvas.csv', 'moodle.csv'))}, "
          f"{out / 'summary.html'}, {out / 'scores.png'}")
    return 0


def cmd_formgrade(args):
    from .formgrade import serve

    return serve(CoursePaths(args.course_dir), port=args.port)


def cmd_build(args):
    from .build import cmd_build as build

    return build(args)


def cmd_notebooks(args):
    from .build import cmd_notebooks as notebooks

    return notebooks(args)


def cmd_slides(args):
    from .build import cmd_slides as slides

    return slides(args)


def cmd_student_copy(args):
    from .student_copy import write

    try:
        files = write(args.folder)
    except ValueError as exc:
        raise CourseError(str(exc)) from None
    print(f"{len(files)} files in {args.folder}: publish it as its own repository or zip it")
    return 0


def cmd_calibrate(args):
    import time

    from . import calibrate as cal

    paths = CoursePaths(args.course_dir)
    ids = paths.assignments() if args.all else [paths.require(args.assignment)]
    if args.runs < 3 or args.corpus_runs < 0 or (args.workers is not None and args.workers < 1):
        raise CourseError("--runs must be >= 3, --corpus-runs >= 0 and --workers >= 1")
    workers = args.workers or cal.cpu_count()
    if args.corpus and not Path(args.corpus).is_dir():
        raise CourseError(f"--corpus {args.corpus}: no such folder")
    out = paths.writable(Path(args.out) if args.out else paths.reports / "calibration")
    status = 0
    for a in ids:
        t0 = time.monotonic()
        try:
            report = cal.calibrate(paths.source(a), args.runs, workers, args.seed)
        except ValueError as exc:
            raise CourseError(f"{a}: {exc}") from None
        corpus_dir = Path(args.corpus) if args.corpus else paths.corpus(a)
        corpus = (cal.corpus_power(paths.source(a), corpus_dir, args.corpus_runs, workers, args.seed)
                  if args.corpus_runs and corpus_dir.is_dir() else [])
        report["seconds"] = round(time.monotonic() - t0, 1)
        print(cal.text_report(report, corpus))
        js, png = cal.write(report, corpus, out)
        print(f"{a}: {report['seconds']} s with {workers} worker(s); report {js}"
              + (f", plot {png}" if png else ""))
        problems = cal.budget_problems(report)
        for prob in problems:
            print(f"BUDGET: {prob}")
        status = status or (1 if problems else 0)
    return status


def parser():
    p = argparse.ArgumentParser(prog="course", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--course-dir", default=str(REPO),
                   help="course folder (nbgrader layout); default: this repository")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, handler, help):
        s = sub.add_parser(name, help=help)
        # Also after the command: `course grade ID --course-dir DIR`.
        s.add_argument("--course-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        s.set_defaults(handler=handler)
        return s

    ini = add("init", cmd_init, "make a course folder of your own")
    ini.add_argument("dir")
    ini.add_argument("--empty", action="store_true",
                     help="solutions/ empty (default: the course's assignments)")
    rel = add("release", cmd_release, "regenerate exercises/ID from solutions/ID")
    rel.add_argument("assignment", nargs="?")
    rel.add_argument("--all", action="store_true")
    col = add("collect", cmd_collect, "take an LMS export into submitted/")
    col.add_argument("assignment")
    col.add_argument("folder", help="a folder or a .zip (Canvas bulk download, Moodle download)")
    col.add_argument("--replace", action="store_true", help="take a changed resubmission")
    col.add_argument("--roster", default=None,
                     help="CSV with columns lms_id, student and any of name, first_name, last_name, "
                          "section, email: maps LMS ids to your ids")
    gr = add("grade", cmd_grade, "judge every collected submission into the gradebook")
    gr.add_argument("assignment")
    gr.add_argument("--workers", type=int, default=None, help="parallel workers (default: cores)")
    gr.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    gr.add_argument("--unsafe", action="store_true", help="grade without a sandbox (trusted code)")
    gr.add_argument("--cell-timeout", type=int, default=60, help="seconds per test cell")
    gr.add_argument("--in-kernel", action="store_true",
                    help="also autograde with nbgrader in the student's kernel (sandboxed) and flag "
                         "submissions where it disagrees with the judge")
    fg = add("formgrade", cmd_formgrade, "nbgrader's formgrader on this course (written answers)")
    fg.add_argument("--port", type=int, default=8890)
    fb = add("feedback", cmd_feedback, "per-student HTML feedback, from the gradebook")
    fb.add_argument("assignment")
    ex = add("export", cmd_export, "grades.csv, canvas.csv, moodle.csv and a summary report")
    ex.add_argument("assignments", nargs="*")
    ex.add_argument("--out", default=None, help="folder for the files (default: reports/)")
    for s in (gr, fb, ex):
        s.add_argument("--db", default=None,
                       help="gradebook: SQLAlchemy URL (sqlite:///FILE, postgresql://user@host/db) or "
                            "an SQLite file (default: gradebook.db in the course folder)")
    bd = add("build", cmd_build, "execute lectures, release exercises, grade references")
    bd.add_argument("--site-only", action="store_true",
                    help="only the HTML site, from the committed lecture outputs (no execution)")
    nb = add("notebooks", cmd_notebooks, "re-execute the committed lectures in place")
    nb.add_argument("only", nargs="*", help="lecture names (stems) to run; default all")
    sc = add("student-copy", cmd_student_copy, "the folder students get (no solutions, no hidden tests)")
    sc.add_argument("folder", help="a new or empty folder outside the repository")
    ca = add("calibrate", cmd_calibrate, "error rates of an assignment's checks: false fails and power")
    ca.add_argument("assignment", nargs="?")
    ca.add_argument("--all", action="store_true", help="every assignment of the course")
    ca.add_argument("--runs", type=int, default=200, help="runs of the reference (default 200)")
    ca.add_argument("--corpus-runs", type=int, default=10,
                    help="runs of each corpus file (default 10; 0 skips the corpus)")
    ca.add_argument("--corpus", default=None,
                    help="folder of submissions (*.py) to measure power on (default tests/corpus/<id>)")
    ca.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")
    ca.add_argument("--seed", type=int, default=None, help="entropy of the runs' seeds (default: fresh)")
    ca.add_argument("--out", default=None,
                    help="folder for <id>.json and <id>.png (default: reports/calibration)")
    sl = add("slides", cmd_slides, "every lecture as an offline reveal.js deck in build/slides")
    sl.add_argument("only", nargs="*", help="lecture names (stems); default all")
    return p


def main(argv=None):
    # Names in any script reach the terminal; a strict (e.g. ASCII) stdout must not crash a command
    # half-way through.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    p = parser()
    args = p.parse_args(argv)
    if args.command in ("release", "calibrate") and not (args.all or args.assignment):
        p.error(f"{args.command} needs an assignment id or --all")
    try:
        if args.command not in ("init", "build", "notebooks", "slides", "student-copy"):
            CoursePaths(args.course_dir).check()
        sys.exit(args.handler(args))
    except CourseError as exc:
        print(f"course {args.command}: error: {exc}", file=sys.stderr)
        sys.exit(2)
