"""Visible tests of exercise 04: read them, they say what your functions must do.

Each ``*_probe(ns, seed)`` calls your functions (from the notebook's namespace ``ns``) on small
inputs and returns plain numbers; each ``*_check(r)`` returns ``None`` when all is well, else a
message that names the function and the likely cause. The checks are exact (to 1e-9) against
numbers worked out once from the formulas in the notebook. The grader runs the same probes and
checks from its own copy of this file; its hidden tests are different and stricter.
"""

import numpy as np
from visible_harness import probe, teaching

# f(x) = sum_j v_j sin(w_j x + c_j) + d with H = 2, w = [w1, w2, c1, c2, v1, v2, d].
W2 = [1.0, -2.0, 0.3, 0.5, 1.5, -0.7, 0.2]
X3 = [-1.0, 0.0, 0.5]
F3 = [-1.185257031729306, 0.3076824329690673, 1.6116320133722262]
# One hidden unit, w = [0.5, -0.2, 1.5, 0.1], data x = (-1, 0, 1), y = (0.3, -0.1, 0.9),
# sigma_d = 0.5, sigma_w = 2: the log likelihood and the log prior, each with its constants.
W1, X_1, Y_1 = [0.5, -0.2, 1.5, 0.1], [-1.0, 0.0, 1.0], [0.3, -0.1, 0.9]
LOG_LIK, LOG_PRIOR = -3.671716652112098, -6.767092855058472
# Twelve draws of that one-unit network's weights (a fixed pattern), on the grid (-0.5, 1).
DRAWS = np.round(np.sin(1.0 + np.arange(48.0)).reshape(12, 4), 2)
GRID = [-0.5, 1.0]
PRED_MEAN = [0.25372383218152544, -0.016363536453244173]
PRED_SD = {0: [0.779786828825086, 0.8436889903224365], 1: [0.8144607798419878, 0.8812044107457551]}


def forward_probe(ns, seed):
    def body(nn_forward):
        x = np.linspace(-2, 2, 11)
        return {"zero": np.array(nn_forward(np.zeros(10), x, 3), dtype=float),
                "bias": np.array(nn_forward(np.r_[np.zeros(9), 1.5], x, 3), dtype=float),
                "f": np.array(nn_forward(np.array(W2), np.array(X3), 2), dtype=float)}
    return probe(ns, ["nn_forward"], body)


@teaching
def forward_check(r):
    if r.get("error"):
        return r["error"]
    if r["zero"].shape != (11,) or r["f"].shape != (3,):
        return f"`nn_forward` returned shape {r['zero'].shape} for 11 inputs, expected (n,) = (11,)"
    if np.abs(r["zero"]).max() != 0:
        return "`nn_forward`: all-zero weights must give f = 0 everywhere (sin(0) = 0)"
    if np.abs(r["bias"] - 1.5).max() > 1e-12:
        return ("`nn_forward`: with only the output bias d = 1.5 (the last weight) non-zero, f must be 1.5 "
                "everywhere: check the layout w = [w_1..w_H, c_1..c_H, v_1..v_H, d]")
    if np.abs(r["f"] - np.array(F3)).max() > 1e-9:
        return (f"`nn_forward` with H=2, w={W2} at x={X3} gave {np.round(r['f'], 6).tolist()}, expected "
                f"{np.round(F3, 6).tolist()}: f(x) = sum_j v_j sin(w_j x + c_j) + d with w unpacked as "
                "[w_1..w_H, c_1..c_H, v_1..v_H, d] (sin, not cos; input weights, then biases, then output weights)")
    return None


def log_posterior_probe(ns, seed):
    def body(nn_log_posterior):
        at = lambda y, sd, sw: float(nn_log_posterior(np.array(W1), np.array(X_1), np.array(y), 1, sd, sw))  # noqa: E731
        x = np.linspace(-2.0, 2.0, 1500)
        many = float(nn_log_posterior(np.zeros(4), x, np.full(1500, 0.3), 1, 0.1, 1.0))
        return {"value": at(Y_1, 0.5, 2.0), "many": many}
    return probe(ns, ["nn_log_posterior"], body)


@teaching
def log_posterior_check(r):
    if r.get("error"):
        return r["error"]
    v, want = r["value"], LOG_LIK + LOG_PRIOR
    if abs(v - want) > 1e-9 * (1 + abs(want)):
        hint = ("Gaussian log likelihood with sd sigma_d (divide squared residuals by sigma_d^2) plus the "
                "N(0, sigma_w^2) log prior of every weight, each with its constants -log(sd) - log(2 pi)/2")
        if abs(v - LOG_LIK) <= 1e-9 * (1 + abs(LOG_LIK)):
            hint = "your value is the log likelihood alone: add the log prior of every weight"
        return (f"`nn_log_posterior` with one hidden unit, w={W1}, 3 points, sigma_d=0.5, sigma_w=2 is "
                f"{v:.6f}, expected {want:.6f} (log likelihood {LOG_LIK:.6f} + log prior {LOG_PRIOR:.6f}): {hint}")
    # 1,500 points 3 sds from the (zero) network: the log likelihood is about 1500 * (-4.5 + 1.38).
    want = 1500 * (-4.5 - np.log(0.1) - 0.5 * np.log(2 * np.pi)) - 4 * 0.5 * np.log(2 * np.pi)
    if abs(r["many"] - want) > 1e-9 * abs(want):
        return (f"`nn_log_posterior` with 1,500 points is {r['many']}, expected {want:.3f}: stay in log "
                "space and sum the per-point log densities (a product of 1,500 densities underflows)")
    return None


def predictive_probe(ns, seed):
    def body(posterior_predictive):
        m, sd = posterior_predictive(DRAWS.copy(), np.array(GRID), 1)
        return {"m": np.array(m, dtype=float), "sd": np.array(sd, dtype=float)}
    return probe(ns, ["posterior_predictive"], body)


@teaching
def predictive_check(r):
    if r.get("error"):
        return r["error"]
    m, sd = r["m"], r["sd"]
    if m.shape != (2,) or sd.shape != (2,):
        return (f"`posterior_predictive` returned shapes {m.shape}, {sd.shape} for a grid of 2 points, "
                "expected (2,) each: average over the draws (axis 0), one value per grid point")
    ok_sd = any(np.abs(sd - np.array(s)).max() <= 1e-9 for s in PRED_SD.values())
    if np.abs(m - np.array(PRED_MEAN)).max() > 1e-9 or not ok_sd:
        return (f"`posterior_predictive` of 12 draws on the grid {GRID} gave mean {np.round(m, 6).tolist()} "
                f"and sd {np.round(sd, 6).tolist()}, expected {np.round(PRED_MEAN, 6).tolist()} and "
                f"{np.round(PRED_SD[0], 6).tolist()}: evaluate the network for EVERY draw, then take the "
                "mean and sd over the draws (axis 0) — the spread of f, without observation noise")
    return None
