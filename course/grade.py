"""Grade a class: every collected submission judged in parallel, every verdict into the gradebook.

Workers (processes) each judge one submission at a time (``course.judge``: sandboxed probes, checks
in the worker). Only the main process writes the gradebook, so SQLite never sees concurrent writers
from one grader. Verdicts are cached beside the submissions (``autograded/.judge``), keyed on a
fingerprint of the submission, the test sources, the judge's and the sandbox's code: the cache only
spares re-running student code; every run writes every verdict into the gradebook it is given and
the autograded notebook formgrader opens.
"""

import functools
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path

from . import autograded, sandbox
from . import gradebook as gbk
from . import judge as _judge
from .paths import CoursePaths, db_url
from .roster import gradebook_fields, read_roster


def _work(args):
    source_nb, path, student, unsafe, cell_seconds, template_db, hide = args
    # The sandbox hides the repository, $HOME and /tmp by itself; the course folder (solutions, other
    # submissions, the gradebook) may be anywhere, so it is hidden too. This worker process judges
    # only this course: bind its hide list into every sandbox it starts.
    if not getattr(sandbox.command, "course_hide", None) == hide:
        base = getattr(sandbox.command, "func", sandbox.command)
        sandbox.command = functools.partial(base, hide=hide)
        sandbox.command.course_hide = hide
    v = _judge.judge(source_nb, path, student, unsafe=unsafe, cell_seconds=cell_seconds)
    if template_db:
        assignment = Path(source_nb).stem
        _judge.compare(v, _judge.in_kernel_scores(assignment, path, student, template_db, unsafe,
                                                  cell_seconds))
    return asdict(v)


def submissions(course_dir, assignment):
    """``{student: path}`` of ``submitted/<student>/<id>/<id>.ipynb``."""
    return CoursePaths(course_dir).submissions(assignment)


def cache_dir(course_dir, assignment):
    return CoursePaths(course_dir).judge_cache(assignment)


def submitted_time(path):
    """The submission time collect recorded (``timestamp.txt`` beside it, nbgrader's format), or None."""
    from nbgrader.utils import parse_utc

    stamp = Path(path).parent / "timestamp.txt"
    try:
        return parse_utc(stamp.read_text().strip()) if stamp.exists() else None
    except (ValueError, OverflowError):
        return None


def crashed(source_nb, student, reason):
    """The verdict when the grader itself failed: every test 0, status *crashed*, the reason flagged."""
    tests = _judge.load_tests(source_nb)[0]
    cells = {t.grade_id: {"score": 0.0, "max": t.points, "passed": False, "description": t.description,
                          "message": "the grader failed on this submission; a person will look"}
             for t in tests}
    return {"student": student, "cells": cells, "status": "crashed", "flags": [reason[:300]]}


def why(old, new):
    """Why a cached verdict cannot be reused: which fingerprint parts changed."""
    if not old:
        return "new"
    names = {"submission": "submission changed", "tests": "tests changed", "grader": "grader changed"}
    changed = [names[k] for k in names if old.get(k) != new.get(k)]
    return ", ".join(changed) or "forced"


def _say(message):
    print(message, file=sys.stderr, flush=True)


def grade(assignment, course_dir, workers=None, force=False, unsafe=False, db=None,
          cell_seconds=60, progress=True, students=None, in_kernel=False, say=None, timing=None):
    """Judge every submission of ``assignment``, write every verdict into the gradebook (``db``: URL
    or SQLite file; default the course's) and the autograded notebooks; return
    ``{student: verdict dict}`` (each with ``regraded``: why it was judged again, or None).
    ``timing``, a dict, receives ``database``: the seconds spent writing the gradebook (benchmarks)."""
    say = say or (_say if progress else (lambda m: None))
    paths = CoursePaths(course_dir)
    paths.require(assignment)
    if not unsafe and not sandbox.available():
        raise SystemExit("no sandbox: bubblewrap (bwrap) is missing or cannot start here. Install it "
                         "(Debian: apt-get install bubblewrap) or pass --unsafe to grade WITHOUT "
                         "isolation, trusting every submission.")
    source_nb = paths.source(assignment)
    url = db_url(paths, db)
    say(f"{assignment}: checking the gradebook {gbk.safe(url)} against {source_nb.relative_to(paths.root)}")
    if gbk.sync_assignment(paths, assignment, url):
        say(f"{assignment}: gradebook's assignment updated from the source notebook")
    subs = paths.submissions(assignment)
    if students:
        subs = {s: p for s, p in subs.items() if s in students}
    cdir = paths.writable(paths.judge_cache(assignment))
    results, todo = {}, []
    for student, path in subs.items():
        parts = _judge.fingerprint_parts(source_nb, path)
        key = _judge.combine(parts)
        cached = cdir / f"{student}.json"
        data = json.loads(cached.read_text()) if cached.exists() else {}
        if not force and data.get("fingerprint") == key:
            results[student] = dict(data["verdict"], regraded=None)
            continue
        reason = "forced" if force and data else why(data.get("parts"), parts)
        todo.append((student, path, key, parts, reason))
    say(f"{assignment}: {len(subs)} submissions, {len(results)} unchanged (cached verdicts), "
        f"{len(todo)} to judge with {workers or os.cpu_count() or 1} workers")
    workers = workers or os.cpu_count() or 1
    template_db = None
    if in_kernel and todo:
        # A private gradebook holding only this assignment: each in-kernel run gets a copy.
        template_dir = Path(tempfile.mkdtemp(prefix="template-"))
        template_db = template_dir / "gradebook.db"
        gbk.sync_assignment(paths, assignment, f"sqlite:///{template_db}")
    t0 = time.perf_counter()
    timing = {} if timing is None else timing
    timing["database"] = 0.0
    roster = read_roster(paths)  # names, email and LMS id of each student, for the gradebook's rows
    with gbk.opened(url) as gb:
        for student in list(results):  # cached verdicts too: the gradebook given may be a new one
            _store(gb, paths, assignment, student, results[student], subs[student], timing,
                   gradebook_fields(roster.get(student)))
        bar = None
        if progress and todo:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), desc=f"judging {assignment}", unit="submission")
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_work, (source_nb, path, student, unsafe, cell_seconds, template_db,
                                          paths.hide)):
                       (student, path, key, parts, reason) for student, path, key, parts, reason in todo}
            for fut in as_completed(futures):
                student, path, key, parts, reason = futures[fut]
                try:
                    verdict = fut.result()
                except Exception as exc:  # the grader itself failed on this one: say so, go on
                    verdict = crashed(source_nb, student, f"grader error: {type(exc).__name__}: {exc}")
                (cdir / f"{student}.json").write_text(json.dumps(
                    {"fingerprint": key, "parts": parts, "verdict": verdict}))
                results[student] = dict(verdict, regraded=reason)
                _store(gb, paths, assignment, student, results[student], path, timing,
                       gradebook_fields(roster.get(student)))
                if bar:
                    bar.update()
        if bar:
            bar.close()
    if template_db:
        shutil.rmtree(template_db.parent, ignore_errors=True)
    line = regrade_line(results, time.perf_counter() - t0)
    (cdir / "last-run.txt").write_text(line + "\n")
    return dict(sorted(results.items()))


def _store(gb, paths, assignment, student, verdict, path, timing, student_fields=None):
    when = submitted_time(path)
    t0 = time.perf_counter()
    gbk.record(gb, assignment, student, verdict, when, student_fields)
    timing["database"] += time.perf_counter() - t0
    autograded.write(paths, assignment, student, verdict, path, when)


def regrade_line(results, seconds=None):
    """``N regraded (why: counts), M unchanged``: the same numbers the summary report gives."""
    from collections import Counter

    reasons = Counter(v.get("regraded") for v in results.values() if v.get("regraded"))
    n = sum(reasons.values())
    why_text = ", ".join(f"{k}: {c}" for k, c in reasons.most_common())
    took = f" in {seconds:.0f} s" if seconds is not None and n else ""
    return (f"{n} regraded{took}" + (f" ({why_text})" if n else "") +
            f", {len(results) - n} unchanged; every verdict written to the gradebook")


def table(assignment, results):
    """An aligned table: student, status, judged points (columns as wide as their longest entry)."""
    rows = [(student, v["status"], f"{sum(c['score'] for c in v['cells'].values()):g}",
             f"{sum(c['max'] for c in v['cells'].values()):g}") for student, v in results.items()]
    heads = ("student", "status", "score", "of")
    w = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads)]
    lines = [f"{'student':<{w[0]}}  {'status':<{w[1]}}  {'score':>{w[2]}} / {'of':<{w[3]}}"]
    lines += [f"{s:<{w[0]}}  {st:<{w[1]}}  {sc:>{w[2]}} / {top:<{w[3]}}" for s, st, sc, top in rows]
    return f"{assignment}\n" + "\n".join(line.rstrip() for line in lines)
