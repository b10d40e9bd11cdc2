"""Visible tests of exercise 02: read them, they say what your functions must do.

Each ``*_probe(ns, seed)`` calls your functions (from the notebook's namespace ``ns``) on small
inputs and returns plain numbers; each ``*_check(r)`` returns ``None`` when all is well, else a
message that names the function and the likely cause. The checks are exact (to 1e-9): log
densities have known values at their centre and known differences one standard deviation away.
The grader runs the same probes and checks from its own copy of this file; its hidden tests are
different and stricter.
"""

import numpy as np
from visible_harness import probe, teaching

LOG_2PI = np.log(2 * np.pi)


def _close(a, b):
    return abs(a - b) <= 1e-9 * (1 + abs(b))


def log_prior_probe(ns, seed):
    def body(log_prior):
        f = lambda b0, b1: float(log_prior(np.array([b0, b1]), 2.0, 3.0))  # noqa: E731
        # (60, -90) is 30 prior sds from 0 in each coordinate: each density is ~1e-196, their product 0.0.
        return {"centre": f(0.0, 0.0), "b0_sd": f(2.0, 0.0), "b1_sd": f(0.0, 3.0), "far": f(60.0, -90.0)}
    return probe(ns, ["log_prior"], body)


@teaching
def log_prior_check(r):
    if r.get("error"):
        return r["error"]
    centre = -LOG_2PI - np.log(2.0 * 3.0)  # the density of N(0, 2^2) x N(0, 3^2) at its mean
    if not np.isfinite(r["centre"]):
        return f"`log_prior` returned {r['centre']}: expected a finite number"
    if not (_close(r["b0_sd"] - r["centre"], -0.5) and _close(r["b1_sd"] - r["centre"], -0.5)):
        return (f"`log_prior` with sigma0=2, sigma1=3: one prior sd away from 0 it drops by "
                f"{r['centre'] - r['b0_sd']:.4f} (in b0) and {r['centre'] - r['b1_sd']:.4f} (in b1), "
                "expected 0.5 each, (b / sigma)^2 / 2: sigma0 belongs to the intercept b0, sigma1 to the "
                "slope b1, and both are standard deviations (divide by sigma^2, not sigma)")
    if not _close(r["centre"], centre):
        return (f"`log_prior` at (0, 0) with sigma0=2, sigma1=3 is {r['centre']:.6f}, expected "
                f"-log(2 pi) - log(2 * 3) = {centre:.6f}: include the normalising constants "
                "-log(sigma) - log(2 pi)/2 of each normal density")
    if not _close(r["far"], centre - 900.0):
        return (f"`log_prior` at (60, -90) with sigma0=2, sigma1=3 (30 prior sds from 0 in each) is "
                f"{r['far']}, expected {centre - 900.0:.6f}: add the two log densities; the product of "
                "two densities that small is 0.0 in floating point, and its log -inf")
    return None


def log_likelihood_probe(ns, seed):
    def body(log_likelihood):
        one = lambda y: float(log_likelihood(np.array([1.0, 2.0]), np.array([1.0]), np.array([y]), 2.0))  # noqa: E731
        x = np.linspace(-3.0, 3.0, 2000)
        many = float(log_likelihood(np.array([1.0, 2.0]), x, 1.0 + 2.0 * x + 3.0, 1.0))
        # y = 83: one point 40 sds from the line, where its density alone is 0.0 in floating point.
        return {"centre": one(3.0), "one_sd": one(5.0), "many": many, "far": one(83.0)}
    return probe(ns, ["log_likelihood"], body)


@teaching
def log_likelihood_check(r):
    if r.get("error"):
        return r["error"]
    centre = -np.log(2.0) - 0.5 * LOG_2PI  # N(y | 3, 2^2) at y = 3
    if not _close(r["one_sd"] - r["centre"], -0.5):
        return (f"`log_likelihood` with sigma_d=2: a point one sd from the line lowers it by "
                f"{r['centre'] - r['one_sd']:.4f}, expected 0.5 = (residual / sigma_d)^2 / 2: residuals "
                "are y - (b0 + b1 x), and sigma_d is a standard deviation (divide by sigma_d^2)")
    if not _close(r["centre"], centre):
        return (f"`log_likelihood` of one point on the line with sigma_d=2 is {r['centre']:.6f}, expected "
                f"-log(2) - log(2 pi)/2 = {centre:.6f}: include the constants -log(sigma_d) - log(2 pi)/2 "
                "of every point")
    many = 2000 * (-4.5 - 0.5 * LOG_2PI)
    if not _close(r["many"], many):
        return (f"`log_likelihood` of 2,000 points, each 3 sds from the line, is {r['many']}, expected "
                f"{many:.3f}: add log densities (np.sum of the per-point terms); a product of 2,000 "
                "densities underflows to 0 and its log is -inf")
    if not _close(r["far"], centre - 800.0):
        return (f"`log_likelihood` of one point 40 sds from the line (sigma_d=2) is {r['far']}, expected "
                f"{centre - 800.0:.6f}: compute the log density, -(residual / sigma_d)^2 / 2 - log(sigma_d) "
                "- log(2 pi)/2, directly; the density itself is 0.0 in floating point there")
    return None


def log_posterior_probe(ns, seed):
    def body(log_posterior, log_prior, log_likelihood):
        rng = np.random.default_rng(seed)
        x = rng.uniform(-3, 3, 30)
        y = 1.0 + 2.0 * x + rng.standard_normal(30)
        b = np.array([0.4, 1.5])
        far = np.array([0.4, 40.0])  # a slope far from the data's: the likelihood's exp underflows
        return {"post": float(log_posterior(b, x, y, 1.5, 10.0, 4.0)),
                "sum": float(log_prior(b, 10.0, 4.0)) + float(log_likelihood(b, x, y, 1.5)),
                "far_post": float(log_posterior(far, x, y, 1.5, 10.0, 4.0)),
                "far_sum": float(log_prior(far, 10.0, 4.0)) + float(log_likelihood(far, x, y, 1.5))}
    return probe(ns, ["log_posterior", "log_prior", "log_likelihood"], body)


@teaching
def log_posterior_check(r):
    if r.get("error"):
        return r["error"]
    if not _close(r["post"], r["sum"]):
        return (f"`log_posterior` = {r['post']:.6f} but log_prior + log_likelihood = {r['sum']:.6f}: "
                "return exactly their sum, passing sigma0, sigma1 to log_prior and sigma_d to log_likelihood")
    # (When your own log_prior + log_likelihood is not finite there, their tests say why.)
    if np.isfinite(r["far_sum"]) and not _close(r["far_post"], r["far_sum"]):
        return (f"`log_posterior` at beta = (0.4, 40), far from the data, is {r['far_post']}, but log_prior + "
                f"log_likelihood = {r['far_sum']:.4f}: add the two logs; never exponentiate them (exp of "
                "a log density below -745 is 0.0 in floating point)")
    return None


# Data x = 0, 1, 2, 3, y = 1, 2.5, 2, 4.5 with sigma_d = 2, sigma0 = 3, sigma1 = 0.5: the conjugate
# posterior, worked out once (Sigma = (X'X / sigma_d^2 + diag(sigma0^-2, sigma1^-2))^-1,
# mu = Sigma X'y / sigma_d^2) and stored as numbers.
POST_MEAN = [1.8493150684931512, 0.29680365296803646]
POST_COV = [[1.2328767123287672, -0.24657534246575336], [-0.24657534246575344, 0.182648401826484]]


def posterior_probe(ns, seed):
    def body(posterior_mean_cov):
        m, c = posterior_mean_cov(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.5, 2.0, 4.5]), 2.0, 3.0, 0.5)
        return {"mean": np.array(m, dtype=float), "cov": np.array(c, dtype=float)}
    return probe(ns, ["posterior_mean_cov"], body)


@teaching
def posterior_check(r):
    if r.get("error"):
        return r["error"]
    m, c = r["mean"], r["cov"]
    if m.shape != (2,) or c.shape != (2, 2):
        return f"`posterior_mean_cov` returned shapes {m.shape} and {c.shape}, expected (2,) and (2, 2)"
    if np.abs(c - np.array(POST_COV)).max() > 1e-9 or np.abs(m - np.array(POST_MEAN)).max() > 1e-9:
        return (f"`posterior_mean_cov` on x = 0..3, y = (1, 2.5, 2, 4.5), sigma_d=2, sigma0=3, sigma1=0.5 "
                f"gave mean {np.round(m, 6).tolist()} and cov {np.round(c, 6).tolist()}, expected "
                f"{np.round(POST_MEAN, 6).tolist()} and {np.round(POST_COV, 6).tolist()}: the precision is "
                "X'X / sigma_d^2 + diag(1/sigma0^2, 1/sigma1^2) (data divided by the noise VARIANCE, "
                "prior precisions 1/sigma^2, sigma0 for the intercept), and the mean Sigma X'y / sigma_d^2")
    return None
