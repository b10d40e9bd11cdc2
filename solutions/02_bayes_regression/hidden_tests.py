"""Hidden tests of exercise 02 (the instructor's: never released; autograde copies it beside the notebook).

Each test cell imports one ``<name>_probe(ns, seed)`` (calls the student's functions on the grader's
data, returns plain numbers) and one ``<name>_check(r)`` (None, or the teaching message). Every
function of this exercise is deterministic, so every check is exact: no statistic, no ``_stats``.
Each log density is tried where its shortcut fails: on data where a product of densities underflows
(thousands of points, or points tens of sds away, where even one density is 0.0), and at scales
other than 1 (so a variance passed for an sd shows).
"""

import math

import numpy as np
from visible_harness import probe, teaching

# The declared table: empty, as no check here is statistical (SD would hold each statistic's sd
# across runs of the reference solution). The reference values are exact formulas, so a correct
# answer differs from them only by rounding, relative ~ n * 1e-16 for a sum of n terms (n <= 2,000
# here); REL_TOL leaves room for any exact method (loops, scipy, matrix inverses).
SD = {}
REL_TOL = 1e-9

# Scales (sd) other than 1, and points where the shortcuts fail.
PRIOR_SCALES = [(2.5, 0.4), (0.3, 7.0)]
# The last two betas: 30 prior sds from 0 in each coordinate (each density ~1e-196, their product
# 0.0), then 45 sds (each density 0.0 itself: log of a pdf is -inf).
PRIOR_Z = [(0.2, -2.5), (-0.8, 0.75), (0.0, 0.0), (30.0, -30.0), (45.0, 45.0)]
SIGMA_D = 1.7
# n = 2,000 points: the product of their densities underflows; beta (60, -1.3) puts every point
# ~35 sds from the line (product 0.0), and (100, -1.3) ~59 sds (each density 0.0).
LIKELIHOOD_NS = (50, 2000)
LIKELIHOOD_BETAS = [(0.7, -1.3), (0.0, 0.5), (60.0, -1.3), (100.0, -1.3)]
# log_posterior: (n, beta); the last two where exp(log_likelihood) and exp(log_prior) underflow.
POSTERIOR_CASES = [(50, (0.5, -1.0)), (1500, (0.5, -1.0)), (50, (20.0, 9.0))]
POSTERIOR_SCALES = (SIGMA_D, 2.5, 0.4)  # sigma_d, sigma0, sigma1
# posterior_mean_cov: (n, sigma_d, sigma0, sigma1), all other than 1 and unequal.
CONJUGATE_CASES = [(50, 1.7, 2.5, 0.4), (300, 0.6, 0.2, 5.0)]
LOG_2PI = math.log(2 * math.pi)


def grader_data(seed, n=50, sigma_d=SIGMA_D):
    """The grader's data set: x ~ U(-2, 4), y = 0.7 - 1.3 x + N(0, sigma_d^2); two arrays (n,)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 4.0, n)
    return x, 0.7 - 1.3 * x + sigma_d * rng.standard_normal(n)


def normal_logpdf(z, mean, sd):
    """Exact log N(z | mean, sd^2), summed over z: -(z - mean)^2 / (2 sd^2) - log sd - log(2 pi) / 2."""
    z = np.asarray(z, dtype=float)
    return float(np.sum(-0.5 * ((z - mean) / sd) ** 2 - math.log(sd) - 0.5 * LOG_2PI))


def ref_log_prior(beta, sigma0, sigma1):
    return normal_logpdf(beta[0], 0.0, sigma0) + normal_logpdf(beta[1], 0.0, sigma1)


def ref_log_likelihood(beta, x, y, sigma_d):
    return normal_logpdf(y, beta[0] + beta[1] * x, sigma_d)


def conjugate_posterior(x, y, sigma_d, sigma0, sigma1):
    """Mean (2,) and covariance (2, 2): Sigma = (X'X / sd^2 + diag(1/s0^2, 1/s1^2))^-1, mu = Sigma X'y / sd^2."""
    X = np.column_stack([np.ones_like(x), x])
    cov = np.linalg.inv(X.T @ X / sigma_d**2 + np.diag([sigma0**-2.0, sigma1**-2.0]))
    return cov @ X.T @ y / sigma_d**2, cov


def close(got, want):
    return math.isfinite(got) and abs(got - want) <= REL_TOL * (1 + abs(want))


def underflow_hint(got):
    """What a non-finite log density usually means."""
    return ("it is not finite: a density of a point tens of sds away, or a product of many densities, "
            "is 0.0 in floating point and its log -inf; add the log densities, "
            "-(z - mu)^2 / (2 sigma^2) - log(sigma) - log(2 pi)/2, and never exponentiate")


# --- log_prior ---

def log_prior_probe(ns, seed):
    def body(f):
        return {"seed": seed, "values": np.array(
            [[float(f(np.array([z0 * s0, z1 * s1]), s0, s1)) for z0, z1 in PRIOR_Z] for s0, s1 in PRIOR_SCALES])}
    return probe(ns, ["log_prior"], body)


@teaching
def log_prior_check(r):
    if r.get("error"):
        return r["error"]
    for (s0, s1), row in zip(PRIOR_SCALES, r["values"]):
        for (z0, z1), got in zip(PRIOR_Z, row):
            beta = (z0 * s0, z1 * s1)
            want = ref_log_prior(beta, s0, s1)
            if not close(float(got), want):
                why = (underflow_hint(got) if not math.isfinite(got) else
                       "use sigma0 for b0 and sigma1 for b1, as standard deviations (divide by sigma^2, "
                       "not sigma), and keep the constants -log(sigma) - log(2 pi)/2 of each density")
                return (f"`log_prior`(({beta[0]:g}, {beta[1]:g}), sigma0={s0}, sigma1={s1}) = {got:.6f}, "
                        f"expected {want:.6f}: {why}")
    return None


# --- log_likelihood ---

def log_likelihood_probe(ns, seed):
    def body(f):
        out = {"seed": seed}
        for n in LIKELIHOOD_NS:
            x, y = grader_data(seed, n)
            out[str(n)] = np.array([float(f(np.array(b), x, y, SIGMA_D)) for b in LIKELIHOOD_BETAS])
        return out
    return probe(ns, ["log_likelihood"], body)


@teaching
def log_likelihood_check(r):
    if r.get("error"):
        return r["error"]
    for n in LIKELIHOOD_NS:
        x, y = grader_data(r["seed"], n)
        for b, got in zip(LIKELIHOOD_BETAS, r[str(n)]):
            want = ref_log_likelihood(b, x, y, SIGMA_D)
            if not close(float(got), want):
                why = (underflow_hint(got) if not math.isfinite(got) else
                       "is sigma_d used as a standard deviation (divide squared residuals by sigma_d^2), "
                       "with the constants -n log(sigma_d) - n log(2 pi)/2?")
                return (f"`log_likelihood` of {n} points with sigma_d={SIGMA_D} at beta={b} is {got:.4f}, "
                        f"expected {want:.4f}: {why}")
    return None


# --- log_posterior ---

def log_posterior_probe(ns, seed):
    def body(f):
        values = []
        for n, b in POSTERIOR_CASES:
            x, y = grader_data(seed, n)
            values.append(float(f(np.array(b), x, y, *POSTERIOR_SCALES)))
        return {"seed": seed, "values": np.array(values)}
    return probe(ns, ["log_posterior"], body)


@teaching
def log_posterior_check(r):
    if r.get("error"):
        return r["error"]
    sigma_d, s0, s1 = POSTERIOR_SCALES
    for (n, b), got in zip(POSTERIOR_CASES, r["values"]):
        x, y = grader_data(r["seed"], n)
        want = ref_log_prior(b, s0, s1) + ref_log_likelihood(b, x, y, sigma_d)
        if not close(float(got), want):
            why = (underflow_hint(got) if not math.isfinite(got) else
                   "return log_prior(beta, sigma0, sigma1) + log_likelihood(beta, x, y, sigma_d): check the "
                   "order of the arguments (beta, x, y, sigma_d, sigma0, sigma1)")
            return (f"`log_posterior` of {n} points at beta={b} (sigma_d={sigma_d}, sigma0={s0}, sigma1={s1}) "
                    f"= {got:.4f}, expected {want:.4f}: {why}")
    return None


# --- posterior_mean_cov ---

def posterior_probe(ns, seed):
    def body(f):
        out = {"seed": seed}
        for i, (n, sd, s0, s1) in enumerate(CONJUGATE_CASES):
            x, y = grader_data(seed, n, sd)
            m, c = f(x, y, sd, s0, s1)
            out[f"mean{i}"], out[f"cov{i}"] = np.array(m, dtype=float), np.array(c, dtype=float)
        return out
    return probe(ns, ["posterior_mean_cov"], body)


@teaching
def posterior_check(r):
    if r.get("error"):
        return r["error"]
    for i, (n, sd, s0, s1) in enumerate(CONJUGATE_CASES):
        x, y = grader_data(r["seed"], n, sd)
        mean, cov = conjugate_posterior(x, y, sd, s0, s1)
        m, c = r[f"mean{i}"].reshape(-1), r[f"cov{i}"].reshape(-1)
        # Exact linear algebra: relative error of a 2x2 solve ~ 1e-14; 1e-8 leaves room for any method.
        if m.shape != (2,) or abs(m - mean).max() > 1e-8 * abs(mean).max():
            return (f"`posterior_mean_cov`: posterior mean {np.round(m, 6).tolist()} (n={n}, sigma_d={sd}, "
                    f"sigma0={s0}, sigma1={s1}), expected {mean.round(6).tolist()}: divide X^T X and X^T y by "
                    "sigma_d^2 (the noise variance) and add the prior precision 1/sigma^2 (not 1/sigma) on "
                    "the diagonal, sigma0 for the intercept")
        if c.shape != (4,) or abs(c - cov.ravel()).max() > 1e-8 * abs(cov).max():
            return (f"`posterior_mean_cov`: posterior covariance {np.round(c, 8).tolist()} (n={n}, "
                    f"sigma_d={sd}, sigma0={s0}, sigma1={s1}), expected {cov.ravel().round(8).tolist()}: it "
                    "is the inverse of the posterior precision X^T X / sigma_d^2 + diag(1/sigma0^2, 1/sigma1^2)")
    return None
