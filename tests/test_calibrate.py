"""The error budget, from `course calibrate` run as an instructor runs it: in a course folder made by
`course init` outside the repository, on the cells' own probes and declared statistics.

- Every declared tolerance is at least 4.5 sds of its statistic as measured (a short calibration in
  CI; the bound is taken at 1e-4 confidence, so that an honest tolerance fails this test less than
  once in 10,000 runs). `make calibrate` runs the long study.
- The negative control: the same assignment with its tolerances halved fails the budget.
- The numbers the README's error budget and benchmarks/README.md's table quote are the cells'
  declarations (a drift between them fails).
"""

import json
import re
import runpy
import subprocess
import sys

import pytest
from coursefolders import add_assignment, fresh_folder

from course import calibrate as cal
from course import nbgrader_run as nbr
from course import notebooks as nbk
from course.paths import REPO

Stat = runpy.run_path(str(REPO / "solutions" / nbk.HARNESS))["Stat"]

# Runs per assignment in CI: the cheap assignments get more. A run of every probe costs about 1 s
# for 01, 03 and 05 and milliseconds for 02 and 04.
CI_RUNS = {"01_bootstrap": 60, "03_metropolis": 60, "05_hmc": 60}
DEFAULT_RUNS = 300


def course_cli(*args, timeout=1200):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True,
                          timeout=timeout, env=nbr._env())


@pytest.fixture(scope="module")
def folder():
    with fresh_folder("calibrate-") as base:
        proc = course_cli("init", str(base / "course"))
        assert proc.returncode == 0, proc.stderr
        yield base / "course"


@pytest.mark.parametrize("assignment", nbk.ASSIGNMENTS)
def test_error_budget(folder, assignment):
    runs = CI_RUNS.get(assignment, DEFAULT_RUNS)
    proc = course_cli("--course-dir", str(folder), "calibrate", assignment, "--runs", str(runs),
                      "--corpus-runs", "0", "--workers", "1")
    assert "BUDGET:" not in proc.stdout and proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    report = json.loads((folder / "reports" / "calibration" / f"{assignment}.json").read_text())
    assert (folder / "reports" / "calibration" / f"{assignment}.md").exists()
    for c in report["checks"]:
        assert c["unexplained_fails"] == 0, c
        for s in c["stats"]:
            assert s["runs"] == runs and s["non_finite"] == 0, (c["grade_id"], s)


def test_budget_fails_when_tolerances_are_halved(folder):
    """Negative control: an assignment whose every statistic's tolerance is half its declaration."""
    from course.paths import CoursePaths

    paths = CoursePaths(folder)
    add_assignment(paths, "tight_hw", "01_bootstrap")
    harness = paths.solutions / "tight_hw" / nbk.HARNESS
    harness.write_text(harness.read_text() + (
        "\n\n_Declared = Stat\n\n\ndef Stat(name, value, expected, sd, k, hint=''):  # noqa: N802\n"
        "    return _Declared(name, value, expected, sd, k / 2, hint)\n"))
    proc = course_cli("--course-dir", str(folder), "calibrate", "tight_hw", "--runs", "30",
                      "--corpus-runs", "0", "--workers", "1")
    assert proc.returncode == 1 and "BUDGET:" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_corpus_power_names_the_catching_checks(folder):
    """The corpus run: every bug of 02 loses points in every run, each correct file in none, and the
    report names the checks that catch each."""
    a = "02_bayes_regression"
    proc = course_cli("--course-dir", str(folder), "calibrate", a, "--runs", "5", "--corpus-runs", "3",
                      "--workers", "1", "--out", str(folder / "cal-corpus"))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    corpus = json.loads((folder / "cal-corpus" / f"{a}.json").read_text())["corpus"]
    assert {b["file"] for b in corpus} == {p.name for p in (REPO / "tests" / "corpus" / a).glob("*.py")}
    for b in corpus:
        if b["correct"]:
            assert b["loses_points"] == 0, b
        else:
            assert b["loses_points"] == b["runs"] and b["caught_by"], b
    assert re.search(r"caught \d+ of \d+ bugs", proc.stdout)


def test_bad_options_are_one_line(folder):
    a = "02_bayes_regression"
    for args, needle in [(["calibrate", "nope"], "unknown assignment"),
                         (["calibrate", a, "--runs", "1"], "--runs must be"),
                         (["calibrate", a, "--corpus", str(folder / "none")], "no such folder")]:
        proc = course_cli("--course-dir", str(folder), *args)
        assert proc.returncode == 2 and needle in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_stat_summary_measures_the_tolerance_in_sds(rng):
    """On normal draws with a known sd, the summary finds the tolerance's width in sds and the normal
    tail; a tolerance of 3 sds fails the budget, one of 6 sds passes."""
    xs = 0.02 * rng.standard_normal(4000)
    wide = cal.stat_summary(Stat("x", 0.0, 0.0, 0.02, 6.0), xs)
    assert abs(wide["k_measured"] - 6.0) < 0.5 and wide["k_measured_upper"] > cal.MIN_K
    assert wide["p_fail"] < 1e-7 and wide["p_fail"] <= wide["p_fail_upper"] < 1e-6
    narrow = cal.stat_summary(Stat("x", 0.0, 0.0, 0.02, 3.0), xs)
    assert narrow["k_measured_upper"] < cal.MIN_K and 1e-3 < narrow["p_fail"] < 1e-2
    report = {"checks": [{"grade_id": "t", "unexplained_fails": 0, "stats": [narrow], "runs": 4000,
                          "fail_messages": []}]}
    assert cal.budget_problems(report)


def declared():
    """``{(assignment, grade_id, statistic): (sd, k)}`` from the cells' own declarations."""
    out = {}
    for a in nbk.ASSIGNMENTS:
        for gid, stats in cal.declared_stats(nbk.solution_path(a)).items():
            for s in stats:
                out[(a, gid, s.name)] = (s.sd, s.k)
    return out


def test_benchmark_table_matches_the_declarations():
    """benchmarks/README.md's calibration tables (written by `course calibrate`) quote the declared sd
    and k of every statistic the cells judge, and nothing else."""
    text = (REPO / "benchmarks" / "README.md").read_text()
    quoted, assignment = {}, None
    for line in text.splitlines():
        m = re.match(r"### (\d\d_\w+): [\d,]+ runs of the reference", line)
        if m:
            assignment = m.group(1)
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        statistical = len(cells) == 10 and cells[0].startswith("test_") and cells[1] != "exact conditions"
        if assignment and statistical:
            quoted[(assignment, cells[0], cells[1])] = (float(cells[2]), float(cells[3]))
    want = declared()
    assert quoted.keys() == want.keys(), (sorted(set(want) - set(quoted))[:5],
                                          sorted(set(quoted) - set(want))[:5])
    for key, (sd, k) in want.items():
        assert quoted[key][1] == k and abs(quoted[key][0] - sd) <= 5e-4 * sd, (key, quoted[key], (sd, k))
