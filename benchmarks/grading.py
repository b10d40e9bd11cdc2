"""Grading throughput: a synthetic class graded serially and in parallel, sandbox and judge included.

    python benchmarks/grading.py [--assignment 03_metropolis] [--class-size 50] [--repeats 3]
    python benchmarks/grading.py --gradebooks [--class-size 300]
    python benchmarks/grading.py --cpu [--repeats 5]

``--gradebooks``: the class graded into SQLite and into PostgreSQL (a throwaway cluster, as in
tests/test_postgres.py), by one grader and by two graders splitting the class at the same time;
per-submission cost and the database's share of the time (its writes, over the wall time).

``--cpu``: the CPU seconds of grading one submission (the reference answers), measured where they are
spent: inside the sandbox, the runner's own (interpreter, the setup cells' imports) and its forked
cells' (answers and probes); outside, the judge's checks, the gradebook write and the autograded
notebook. CPU time hardly depends on what else runs on the machine, so it projects the class's time on
idle cores (300 x CPU per submission / cores) where wall times under load cannot.

The class is made from the reference solution (60%), the bug corpus (30%) and blank notebooks
(10%). Each configuration regrades the whole class (``force``) in a fresh course folder; the table
gives medians over the repeats, the parallel/serial speed-up and the projected time for 300.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course import grade, gradebook, sandbox  # noqa: E402
from course import nbgrader_run as nbr  # noqa: E402
from course import notebooks as nbk  # noqa: E402
from course.paths import CoursePaths, db_url  # noqa: E402


def make_class(assignment, size, folder):
    course = nbr.scratch_course(Path(folder) / "course", [assignment])
    release = nbr.generate(assignment, nbr.scratch_course(Path(folder) / "rel", [assignment]),
                           Path(folder) / "rel.db")
    reference = nbk.make_submission(assignment, nbk.answer_sources(assignment), release)
    bugs = [nbk.make_submission(assignment, nbk.submission_answers(assignment, p.read_text()), release)
            for p in sorted((nbk.ROOT / "tests" / "corpus" / assignment).glob("bug_*.py"))]
    blank = nbk.load(release)
    for i in range(size):
        r = i % 10
        nb = blank if r == 9 else (bugs[i % len(bugs)] if r >= 6 and bugs else reference)
        nbr.submit(course, assignment, f"student{i:04d}", nb)
    return course


def run(assignment, size, workers, unsafe):
    with tempfile.TemporaryDirectory() as tmp:
        course = make_class(assignment, size, tmp)
        paths = CoursePaths(course)
        gradebook.sync_assignment(paths, assignment, db_url(paths))
        t0 = time.perf_counter()
        results = grade.grade(assignment, course, workers=workers, force=True, unsafe=unsafe,
                              progress=False)
        seconds = time.perf_counter() - t0
    assert len(results) == size
    return seconds


# Runs the judge's runner as ``-m course.judge_runner`` does, then leaves its CPU seconds (its own, and
# its forked cells' that it waited for) in the scratch folder, where the benchmark reads them.
CPU_WRAP = """import json, resource, runpy
try:
    runpy.run_module("course.judge_runner", run_name="__main__", alter_sys=True)
finally:
    own, cells = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open("cpu.json", "w") as f:
        json.dump([own.ru_utime + own.ru_stime, cells.ru_utime + cells.ru_stime], f)
"""


def cpu_per_submission(assignment, repeats, unsafe):
    """Median CPU seconds of one submission: ``{"runner": .., "cells": .., "grader": ..}``."""
    from dataclasses import asdict

    from course import judge
    from course.matching import match_answers

    rows = []
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        course = make_class(assignment, 1, tmp)
        paths = CoursePaths(course)
        gradebook.sync_assignment(paths, assignment, db_url(paths))
        source_nb = paths.source(assignment)
        student, path = next(iter(paths.submissions(assignment).items()))
        tests, _, known, setup = judge.load_tests(source_nb)
        answers = match_answers(nbk.load(path), nbk.load(source_nb), known)[0]
        with gradebook.opened(db_url(paths)) as gb:
            for _ in range(repeats):
                with tempfile.TemporaryDirectory(prefix="judge-", dir=tmp) as scratch:
                    results = judge.run_probes(tests, answers, scratch, unsafe, setup=setup,
                                               runner=("-c", CPU_WRAP))
                    runner, cells = json.loads((Path(scratch) / "cpu.json").read_text())
                assert all(r.get("ok") for r in results.values()), results
                original, judge.run_probes = judge.run_probes, lambda *a, r=results, **k: r
                t0 = time.process_time()
                try:  # the grader's side: what judge() does around the runner, then the writes
                    verdict = asdict(judge.judge(source_nb, path, student, unsafe=unsafe))
                finally:
                    judge.run_probes = original
                grade._store(gb, paths, assignment, student, verdict, path, {"database": 0.0})
                rows.append({"runner": runner, "cells": cells, "grader": time.process_time() - t0})
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def cpu(assignment, repeats, unsafe):
    cores = os.cpu_count()
    med = cpu_per_submission(assignment, repeats, unsafe)
    total = sum(med.values())
    print(f"{assignment}: CPU seconds per submission (reference answers), sandbox "
          f"{'OFF' if unsafe else 'on'}, median of {repeats}")
    print(f"  sandboxed runner: interpreter and setup imports {med['runner']:.2f} s, cells (answers, "
          f"probes) {med['cells']:.2f} s; grader side (checks, gradebook, autograded notebook) "
          f"{med['grader']:.2f} s; total {total:.2f} s")
    print(f"  300 submissions on {cores} idle cores: {300 * total / cores / 60:.1f} min of CPU-bound work "
          "(goal < 8 min), plus the fixed set-up of a run")


def grade_into(courses, assignment, url, workers, unsafe):
    """Grade each course folder (at the same time when several) into ``url``; return
    ``(wall seconds, database seconds summed over graders)``."""
    from concurrent.futures import ThreadPoolExecutor

    def one(course):
        timing = {}
        grade.grade(assignment, course, workers=workers, force=True, unsafe=unsafe, db=url,
                    progress=False, timing=timing)
        return timing

    t0 = time.perf_counter()
    with ThreadPoolExecutor(len(courses)) as pool:
        timings = list(pool.map(one, courses))
    return time.perf_counter() - t0, sum(t["database"] for t in timings)


def gradebooks(assignment, size, unsafe):
    from course.pgcluster import Cluster, available

    cores = os.cpu_count()
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        whole = make_class(assignment, size, Path(tmp) / "whole")
        halves = [make_class(assignment, size // 2, Path(tmp) / f"half{i}") for i in (1, 2)]
        for i, half in enumerate(halves):  # distinct students in the two halves
            for sub in sorted((half / "submitted").iterdir()):
                sub.rename(sub.with_name(f"{sub.name}-g{i + 1}"))
        setups = [("SQLite, one grader", [whole], f"sqlite:///{Path(tmp) / 'one.db'}", cores)]
        pg = Cluster() if available() else None
        try:
            if pg:
                setups += [("PostgreSQL, one grader", [whole], pg.database("one"), cores),
                           ("PostgreSQL, two graders", halves, pg.database("two"), max(cores // 2, 1))]
            print(f"{assignment}: class of {size}, sandbox {'OFF' if unsafe else 'on'}, {cores} cores"
                  + ("" if pg else "; no PostgreSQL here (apt-get install postgresql)"))
            for label, courses, url, workers in setups:
                wall, db = grade_into(courses, assignment, url, workers, unsafe)
                print(f"  {label:26s} {wall:7.1f} s  {wall / size:5.2f} s/submission  database "
                      f"{db:5.1f} s = {100 * db / wall:4.1f} % of the wall time  "
                      f"(300 projected: {300 * wall / size / 60:.1f} min; goals < 8 min, < 10 %)")
        finally:
            if pg:
                pg.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assignment", default="03_metropolis")
    ap.add_argument("--class-size", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--unsafe", action="store_true", help="no sandbox (for machines without bwrap)")
    ap.add_argument("--gradebooks", action="store_true", help="SQLite against PostgreSQL, one or two graders")
    ap.add_argument("--cpu", action="store_true", help="CPU seconds of one submission, where they are spent")
    args = ap.parse_args()
    unsafe = args.unsafe or not sandbox.available()
    if args.cpu:
        return cpu(args.assignment, args.repeats, unsafe)
    if args.gradebooks:
        return gradebooks(args.assignment, args.class_size, unsafe)
    cores = os.cpu_count()
    configs = [("serial", 1), (f"parallel ({cores} workers)", cores)]
    print(f"{args.assignment}: class of {args.class_size}, sandbox {'OFF' if unsafe else 'on'}, "
          f"{args.repeats} repeats, {cores} cores")
    medians = {}
    for label, workers in configs:
        times = [run(args.assignment, args.class_size, workers, unsafe) for _ in range(args.repeats)]
        medians[label] = statistics.median(times)
        print(f"  {label:24s} median {medians[label]:7.1f} s  ({args.class_size / medians[label]:.2f} "
              f"submissions/s; runs: {', '.join(f'{t:.1f}' for t in times)})")
    serial, parallel = medians["serial"], medians[configs[1][0]]
    print(f"  speed-up parallel/serial: {serial / parallel:.2f}x (goal >= 1.7x on 2 cores)")
    print(f"  projected for 300 submissions: {300 * parallel / args.class_size / 60:.1f} min "
          "(goal < 10 min)")


if __name__ == "__main__":
    main()
