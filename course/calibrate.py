"""``course calibrate <id>``: the error rates of an assignment's checks, measured from their own code.

Each test cell names a probe, a check and (for a statistical check) ``<name>_stats``: the statistics
it judges, each a ``visible_harness.Stat`` with its declared standard error ``sd`` and tolerance
``k * sd``. Calibration runs the instructor's reference answers through every probe under ``runs``
fresh random streams (trusted code: worker processes, no sandbox) and reports, per statistic, with
``X = value - expected``:

- ``sd``: the sd of ``X`` across runs (the measured standard error), beside the declared one;
- ``k_measured``: the tolerance in measured sds, ``k * sd_declared / sd``;
- ``max|z|``: the largest ``|X - mean X| / sd`` seen, and ``outside``: runs beyond the tolerance;
- ``p_fail``: the false-fail probability per grading under a normal model of ``X`` (mean and sd as
  measured), and ``p_fail_upper``, the same with the 95 % upper confidence limits of ``|mean X|``
  and ``sd`` (a chi-square bound).

A check's false-fail rate is the sum over its statistics (a union bound) and the assignment's the sum
over its checks; exact conditions (shapes, bookkeeping) are deterministic or have derived
probabilities, so for them the report gives the failures seen, and any failure of the reference
that no statistic explains is a budget problem. Then every file of a
corpus of buggy submissions (``tests/corpus/<id>/``, or ``--corpus DIR``) is run under
``corpus_runs`` streams: which checks catch it, in how many runs (its power), visible (Validate) and
hidden apart. ``budget_problems`` says which declared tolerances are below 4.5 measured sds (with a
confidence bound, so that noise in a short calibration does not fail an honest check).
"""

import contextlib
import io
import json
import math
import os
import textwrap
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .notebooks import apply_override, is_visible, load, meta, reference_answers, source

MIN_K = 4.5  # the error budget's floor: a tolerance below 4.5 measured sds fails the budget test
CONFIDENCE = 0.95  # for the upper bounds printed beside each estimate
BUDGET_ALPHA = 1e-4  # the budget test's own false-alarm level (its sd and mean bounds)

_STATE = {}  # per worker process: the compiled tests and the namespaces built for each submission


def _init(source_nb):
    if _STATE.get("source_nb") == str(source_nb):
        return  # this process already holds the compiled tests and the reference's namespace
    from .judge import load_tests

    tests, _, _, setup = load_tests(source_nb)
    compiled = []
    for t in tests:
        ns = {"__name__": "__calibrate__"}
        exec(compile(t.source, f"<{t.grade_id}>", "exec"), ns)
        compiled.append((t, ns["_probe"], ns["_check"], ns.get("_stats")))
    _STATE.update(source_nb=str(source_nb), tests=compiled, setup=setup,
                  answers=reference_answers(source_nb), namespaces={})


def _namespace(override):
    """The notebook namespace after the setup cells and the answers (the reference, or the
    reference with a corpus file's definitions in place of its own)."""
    if override not in _STATE["namespaces"]:
        ns = {"__name__": "__main__"}
        error = ""
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                for src in _STATE["setup"]:
                    exec(compile(src, "<setup>", "exec"), ns)
                for src in _STATE["answers"].values():
                    if override is not None:
                        src = apply_override(src, override)
                    exec(compile(src, "<answer>", "exec"), ns)
        except Exception as exc:  # a corpus file that does not run loses every check
            error = f"{type(exc).__name__}: {exc}"
        _STATE["namespaces"][override] = (ns, error)
    return _STATE["namespaces"][override]


def _run(task):
    """One random stream through every test: ``{grade_id: [passed, message, values, expecteds]}``."""
    override, seed = task
    ns, error = _namespace(override)
    out = {}
    warnings.simplefilter("ignore")  # numpy's warnings about a wrong answer's numbers are noise here
    for t, probe, check, stats in _STATE["tests"]:
        if error:
            out[t.grade_id] = [False, error, [], []]
            continue
        values, expected, message = [], [], ""
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                r = probe(ns, seed)
            if isinstance(r, dict):
                r["seed"] = seed  # as the judge does: the check sees the seed the probe was given
            try:
                check(r)
                passed = True
            except AssertionError as exc:
                passed, message = False, str(exc)
            if stats is not None and not (isinstance(r, dict) and r.get("error")):
                try:
                    for s in stats(r):
                        values.append(float(s.value))
                        expected.append(float(s.expected))
                except Exception:  # a wrong answer's data need not have the shape the stats read
                    values, expected = [], []
        except Exception as exc:
            passed, message = False, f"{type(exc).__name__}: {exc}"
        out[t.grade_id] = [passed, message[:300], values, expected]
    return out


def declared_stats(source_nb):
    """``{grade_id: [Stat, ...]}``: the statistics each check declares, from one reference run."""
    _init(source_nb)
    ns, error = _namespace(None)
    if error:
        raise ValueError(f"the reference answers do not run: {error}")
    out = {}
    for t, probe, _check, stats in _STATE["tests"]:
        if stats is not None:
            with contextlib.redirect_stdout(io.StringIO()):
                r = probe(ns, t.seed)
            r["seed"] = t.seed
            out[t.grade_id] = list(stats(r))
    return out


def seeds(n, entropy=None):
    """``n`` seeds far apart (probes derive streams such as ``seed + 1`` from theirs), and the
    entropy they came from (printed, so that a calibration can be repeated)."""
    entropy = int(np.random.SeedSequence(entropy).entropy)
    rng = np.random.default_rng(entropy)
    return [int(s) for s in rng.integers(2**40, 2**62, size=n)], entropy


def run_many(source_nb, tasks, workers):
    """``_run`` over ``tasks`` (``(override, seed)`` pairs), in ``workers`` processes."""
    if workers <= 1:
        _init(source_nb)
        return [_run(t) for t in tasks]
    chunk = max(1, len(tasks) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(str(source_nb),)) as pool:
        return list(pool.map(_run, tasks, chunksize=chunk))


def _normal_tail(tol, mu, sd):
    """P(|X| > tol) for X ~ N(mu, sd^2)."""
    from scipy.stats import norm

    if sd <= 0:
        return float(abs(mu) > tol)
    return float(norm.sf((tol - mu) / sd) + norm.cdf((-tol - mu) / sd))


def stat_summary(decl, xs):
    """The calibration of one statistic: ``decl`` its declared Stat, ``xs`` value - expected per run."""
    from scipy.stats import chi2, norm

    xs = np.asarray(xs, dtype=float)
    n = xs.size
    tol = decl.k * decl.sd
    finite = xs[np.isfinite(xs)]
    mu = float(finite.mean()) if finite.size else float("nan")
    sd = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
    out = {"name": decl.name, "sd_declared": decl.sd, "k": decl.k, "tolerance": tol, "runs": int(n),
           "mean_offset": mu, "sd": sd, "non_finite": int(n - finite.size),
           "outside": int((~np.isfinite(xs) | (np.abs(xs) > tol)).sum())}
    if finite.size < 3 or not sd > 0:
        exact = finite.size == n and bool((np.abs(finite) <= tol).all())
        out.update(k_measured=float("inf") if exact else 0.0, max_abs_z=0.0,
                   p_fail=0.0 if exact else 1.0, p_fail_upper=0.0 if exact else 1.0)
        return out
    m = finite.size
    sd_up = sd * math.sqrt((m - 1) / chi2.ppf(1 - CONFIDENCE, m - 1))
    mu_up = abs(mu) + norm.ppf(CONFIDENCE) * sd / math.sqrt(m)
    out.update(k_measured=tol / sd, max_abs_z=float(np.abs(finite - mu).max() / sd),
               p_fail=_normal_tail(tol, mu, sd), p_fail_upper=_normal_tail(tol, mu_up, sd_up))
    # The budget test's bound: the largest tolerance-in-sds the data allow at level 1e-4 (the smallest
    # sd and the smallest |mean| they allow), so that an honest tolerance fails the test less than once
    # in 10,000 calibrations.
    sd_low = sd * math.sqrt((m - 1) / chi2.ppf(1 - BUDGET_ALPHA / 2, m - 1))
    mu_low = max(0.0, abs(mu) - norm.ppf(1 - BUDGET_ALPHA / 2) * sd / math.sqrt(m))
    out["k_measured_upper"] = (tol - mu_low) / sd_low
    return out


def clopper_pearson_upper(failures, n, confidence=CONFIDENCE):
    from scipy.stats import beta

    return 1.0 if failures >= n else float(beta.ppf(confidence, failures + 1, n - failures))


def calibrate(source_nb, runs=200, workers=1, entropy=None):
    """Run the reference ``runs`` times; return the report (a JSON-able dict) of every check."""
    source_nb = Path(source_nb)
    decl = declared_stats(source_nb)
    tests = [t for t, *_ in _STATE["tests"]]
    run_seeds, entropy = seeds(runs, entropy)
    results = run_many(source_nb, [(None, s) for s in run_seeds], workers)
    checks, total_p, total_up = [], 0.0, 0.0
    src_nb = load(source_nb)
    visible = {meta(c)["grade_id"]: is_visible(source(c)) for c in src_nb["cells"] if meta(c).get("grade")}
    for t in tests:
        rows = [r[t.grade_id] for r in results]
        fails = [row[1] for row in rows if not row[0]]
        stats, outside_any = [], np.zeros(runs, dtype=bool)
        for j, d in enumerate(decl.get(t.grade_id, [])):
            xs = np.array([row[2][j] - row[3][j] if len(row[2]) > j else np.nan for row in rows])
            summary = stat_summary(d, xs)
            summary["_z"] = (xs / d.sd).tolist()  # for the plot only (not written to the JSON)
            stats.append(summary)
            outside_any |= ~np.isfinite(xs) | (np.abs(xs) > d.k * d.sd)
        # Failures no statistic explains: an exact condition failed for the reference.
        unexplained = sum(1 for row, out in zip(rows, outside_any, strict=True) if not row[0] and not out)
        p = sum(s["p_fail"] for s in stats)
        up = sum(s["p_fail_upper"] for s in stats)
        total_p, total_up = total_p + p, total_up + up
        checks.append({"grade_id": t.grade_id, "points": t.points, "visible": visible.get(t.grade_id, False),
                       "runs": runs, "fails": len(fails), "unexplained_fails": unexplained,
                       "fail_messages": sorted(set(fails))[:3], "stats": stats, "p_fail": p,
                       "p_fail_upper": up})
    any_fail = sum(1 for r in results if not all(v[0] for v in r.values()))
    return {"assignment": source_nb.stem, "runs": runs, "entropy": str(entropy), "checks": checks,
            "p_fail": total_p, "p_fail_upper": total_up, "runs_with_a_fail": any_fail,
            "runs_with_a_fail_upper": clopper_pearson_upper(any_fail, runs),
            "points": sum(t.points for t in tests)}


def corpus_power(source_nb, corpus_dir, corpus_runs=10, workers=1, entropy=None):
    """Each corpus file under ``corpus_runs`` streams: the share of runs in which each check fails it."""
    files = sorted(Path(corpus_dir).glob("*.py"))
    if not files:
        return []
    run_seeds, _ = seeds(corpus_runs, entropy)
    texts = [f.read_text() for f in files]
    tasks = [(text, s) for text in texts for s in run_seeds]
    results = run_many(source_nb, tasks, workers)
    out = []
    for i, f in enumerate(files):
        mine = results[i * corpus_runs:(i + 1) * corpus_runs]
        gids = list(mine[0])
        caught = {g: sum(1 for r in mine if not r[g][0]) for g in gids}
        lost = sum(1 for r in mine if not all(v[0] for v in r.values()))
        first = next((r[g][1] for r in mine for g in gids if not r[g][0]), "")
        out.append({"file": f.name, "correct": f.stem.startswith("correct"), "runs": corpus_runs,
                    "loses_points": lost, "caught_by": {g: n for g, n in caught.items() if n},
                    "example": first[:200]})
    return out


def visible_ids(report):
    return {c["grade_id"] for c in report["checks"] if c["visible"]}


def budget_problems(report, min_k=MIN_K):
    """Statistics whose declared tolerance is below ``min_k`` measured sds (at the budget test's
    confidence), declared sds below what was measured, and checks the reference failed."""
    problems = []
    for c in report["checks"]:
        if c["unexplained_fails"]:
            problems.append(f"{c['grade_id']}: the reference failed an exact condition in "
                            f"{c['unexplained_fails']} of {c['runs']} runs ({c['fail_messages'][0][:120]})")
        for s in c["stats"]:
            k_up = s.get("k_measured_upper", float("inf"))
            if k_up < min_k or s["non_finite"]:
                problems.append(f"{c['grade_id']}: {s['name']}: tolerance {s['tolerance']:.4g} is "
                                f"{s['k_measured']:.2f} measured sds (sd {s['sd']:.4g}, declared "
                                f"{s['sd_declared']:.4g}), below {min_k} (at most {k_up:.2f} at 1e-4 "
                                "confidence)")
    return problems


def _fmt_p(p):
    return "0" if p == 0 else f"{p:.1e}"


def text_report(report, corpus=()):
    width = min(72, max([len(s["name"]) for c in report["checks"] for s in c["stats"]] + [20]))
    lines = [f"{report['assignment']}: {report['runs']} runs of the reference (entropy {report['entropy']})",
             f"{'check':30s} {'statistic':{width}s} {'sd':>9s} {'decl sd':>9s} {'k':>4s} {'k meas':>6s} "
             f"{'max|z|':>6s} {'out':>4s} {'p_fail':>8s} {'upper':>8s}"]
    for c in report["checks"]:
        head = f"{c['grade_id'][:30]:30s}"
        if not c["stats"]:
            lines.append(f"{head} {'(exact conditions)':{width}s} {'':>9s} {'':>9s} {'':>4s} {'':>6s} "
                         f"{'':>6s} {c['fails']:4d} {'(seen)':>8s}")
        for s in c["stats"]:
            lines.append(f"{head} {s['name'][:width]:{width}s} {s['sd']:9.3g} {s['sd_declared']:9.3g} "
                         f"{s['k']:4.3g} {s['k_measured']:6.2f} {s['max_abs_z']:6.2f} {s['outside']:4d} "
                         f"{_fmt_p(s['p_fail']):>8s} {_fmt_p(s['p_fail_upper']):>8s}")
            head = " " * 30
    lines.append(f"assignment ({report['points']:g} points): false fail per grading from its statistics "
                 f"{_fmt_p(report['p_fail'])} (95% upper bound {_fmt_p(report['p_fail_upper'])}); "
                 "runs with any failed check: "
                 f"{report['runs_with_a_fail']} of {report['runs']} (95% bound "
                 f"{_fmt_p(report['runs_with_a_fail_upper'])})")
    if corpus:
        vis = visible_ids(report)
        lines.append("")
        lines.append(f"corpus ({corpus[0]['runs']} runs each): runs losing points, and the checks "
                     "that catch it")
        bugs = [b for b in corpus if not b["correct"]]
        for b in corpus:
            by = ", ".join(f"{g} {n}/{b['runs']}" for g, n in b["caught_by"].items()) or "nothing"
            seen = sum(1 for g in b["caught_by"] if g in vis)
            tag = "correct" if b["correct"] else ("Validate+hidden" if seen else "hidden only")
            lines.append(f"  {b['file']:42s} {b['loses_points']:3d}/{b['runs']:<3d} {tag:15s} {by}")
        caught = sum(1 for b in bugs if b["loses_points"])
        false = sum(1 for b in corpus if b["correct"] and b["loses_points"])
        lines.append(f"  caught {caught} of {len(bugs)} bugs; correct files losing points: {false}")
    return "\n".join(lines)


def markdown(report, corpus=()):
    """The report as Markdown tables (what benchmarks/README.md shows, pasted as written)."""
    lines = [f"### {report['assignment']}: {report['runs']:,} runs of the reference", "",
             "| check | statistic | declared sd | k | measured sd | k (measured sds) | max \\|z\\| "
             "| outside | false fail | 95 % bound |", "|---|---|---|---|---|---|---|---|---|---|"]
    for c in report["checks"]:
        if not c["stats"]:
            lines.append(f"| {c['grade_id']} | exact conditions | | | | | | {c['fails']} | | |")
        for s in c["stats"]:
            name = s["name"].replace("|", "\\|")  # a pipe would end the Markdown cell
            lines.append(f"| {c['grade_id']} | {name} | {s['sd_declared']:.4g} | {s['k']:g} | "
                         f"{s['sd']:.4g} | {s['k_measured']:.2f} | {s['max_abs_z']:.2f} | {s['outside']} | "
                         f"{_fmt_p(s['p_fail'])} | {_fmt_p(s['p_fail_upper'])} |")
    lines += ["", f"Assignment ({report['points']:g} points): false fail per grading "
              f"{_fmt_p(report['p_fail'])}, 95 % upper bound {_fmt_p(report['p_fail_upper'])}; "
              f"runs with any failed check {report['runs_with_a_fail']} of {report['runs']:,}."]
    bugs = [b for b in corpus if not b["correct"]]
    if corpus:
        caught = sum(1 for b in bugs if b["loses_points"])
        lines.append(f"Corpus ({corpus[0]['runs']} runs each): {caught} of {len(bugs)} bugs lose points; "
                     f"{sum(1 for b in corpus if b['correct'] and b['loses_points'])} correct files do.")
    return "\n".join(lines) + "\n"


def plot(report, path):
    """One panel per statistic: the measured distribution of (value - expected) / declared sd, with
    the tolerance band +-k."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(c["grade_id"], s) for c in report["checks"] for s in c["stats"]]
    if not panels:
        return None
    cols = 4
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.6 * rows), squeeze=False)
    for ax, (gid, s) in zip(axes.flat, panels, strict=False):
        z = np.asarray(s.get("_z", []), dtype=float)
        if z.size:
            ax.hist(z[np.isfinite(z)], bins=40, density=True, color="#4c72b0", alpha=0.8)
        lim = max(s["k"] * 1.15, float(np.nanmax(np.abs(z))) * 1.05 if z.size else 1.0)
        xs = np.linspace(-lim, lim, 200)
        scale = s["sd"] / s["sd_declared"] if s["sd_declared"] else 1.0
        mu = s["mean_offset"] / s["sd_declared"] if s["sd_declared"] else 0.0
        ax.plot(xs, np.exp(-0.5 * ((xs - mu) / scale) ** 2) / (scale * math.sqrt(2 * math.pi)), "k-", lw=1)
        ax.axvspan(-lim, -s["k"], color="#dd8452", alpha=0.25)
        ax.axvspan(s["k"], lim, color="#dd8452", alpha=0.25)
        ax.set_xlim(-lim, lim)
        name = textwrap.shorten(s["name"], 96, placeholder="...")
        ax.set_title("\n".join([gid, *textwrap.wrap(name, 48)]), fontsize=7)
        ax.set_xlabel("(value - reference) / declared sd", fontsize=7)
        ax.set_ylabel("density", fontsize=7)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(f"{report['assignment']}: each statistic over {report['runs']} runs of the reference; "
                 "shaded: outside the tolerance", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def write(report, corpus, folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = report["assignment"]
    png = plot(report, folder / f"{name}.png")
    clean = json.loads(json.dumps({**report, "corpus": list(corpus)},
                                  default=lambda o: None))
    for c in clean["checks"]:
        for s in c["stats"]:
            s.pop("_z", None)
    (folder / f"{name}.json").write_text(json.dumps(clean, indent=1))
    (folder / f"{name}.md").write_text(markdown(report, corpus))
    return folder / f"{name}.json", png


def cpu_count():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
