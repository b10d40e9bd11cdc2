"""`course build` and `course notebooks`: the lectures executed into HTML or in place, and the
course's own assignments released into a scratch course folder and graded (reference, blank, a demo
class), as a check that the course builds."""

import html
import json
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import nbgrader_run as nbr
from . import sandbox, site
from .notebooks import (
    ROOT,
    answer_sources,
    is_answer,
    load,
    make_submission,
    submission_answers,
)
from .paths import CoursePaths

BUILD = ROOT / "build"


def lectures():
    return sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))


def assignments():
    """The repository's own assignments (it is a course folder too)."""
    return CoursePaths(ROOT).assignments()


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
        # Local MathJax with TeX fonts, no widget views (course/site.py): renders offline.
        proc = site.lecture_html(path, html_dir, execute, _jupyter)
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
    site.copy_site_assets(BUILD)  # MathJax 2.7.9 with TeX fonts, require.js: pinned npm packages


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
    print("\nSummary")
    for label, seconds, status in summary:
        print(f"  {label:40s} {seconds:7.1f} s  {status}")
    return 0 if all(s == "ok" for _, _, s in summary) else 1


def cmd_notebooks(args):
    paths = [p for p in lectures() if not args.only or p.stem in args.only]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for p, seconds in zip(paths, pool.map(_timed_execute, paths), strict=True):
            print(f"{p.name}: executed in {seconds:.1f} s")
    return 0


def cmd_slides(args):
    paths = [p for p in lectures() if not args.only or p.stem in args.only]
    t0 = time.perf_counter()
    decks = site.build_slides(paths, BUILD)
    for out, n in decks:
        print(f"build/slides/{out.name}: {n['slides']} slides, {n['fragments']} fragments, "
              f"{n['notes']} speaker notes, {n['skipped']} cells left out")
    print(f"{len(decks)} decks in {time.perf_counter() - t0:.1f} s (open build/slides/index.html)")
    return 0


def _timed_execute(path):
    t0 = time.perf_counter()
    execute_lecture(path)
    return time.perf_counter() - t0
