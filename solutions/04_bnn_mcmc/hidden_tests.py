"""Hidden tests of exercise 04 (never released): every probe and check of the hidden test cells, and
the grader's network they share, defined once.

Every answer of this exercise is deterministic, so every check is exact (to ~1e-9 relative): there
are no statistics, hence no ``*_stats`` and no table of standard errors. Each function is judged
where its common shortcut fails:
- ``nn_log_posterior`` on 1,500 points far from the network (the log likelihood is below -7,000, so a
  product of densities underflows to 0 and its log is -inf) and at scales sigma_d, sigma_w both
  below and above 1 (a variance passed where a standard deviation is expected shows);
- ``posterior_predictive`` on draws whose network outputs spread with sds between about 1.5 and 5
  (never 1, where a variance and a standard deviation coincide).
"""

import numpy as np
from visible_harness import probe, teaching

FORWARD_CASES = ((1, 5), (3, 17), (7, 40))  # (n_hidden, number of inputs)
# nn_log_posterior: 1,500 points, 3 hidden units, two weight vectors, two pairs (sigma_d, sigma_w).
N_POINTS, H_POST, SCALES = 1500, 3, ((0.3, 1.7), (2.5, 0.6))
# posterior_predictive: 150 draws of a 4-unit network (13 weights, sd 1.5), on 25 grid points.
N_DRAWS, H_PRED, DRAW_SD, GRID = 150, 4, 1.5, np.linspace(-3.0, 3.0, 25)
LOG_2PI = np.log(2 * np.pi)


def network(w, x, n_hidden):
    """The grader's network f_w(x) = sum_j v_j sin(w_j x + c_j) + d, w = [w_1..w_H, c_1..c_H,
    v_1..v_H, d]; x of shape (n,), returns shape (n,)."""
    H, w = n_hidden, np.asarray(w, dtype=float)
    return np.sin(np.outer(x, w[:H]) + w[H:2 * H]) @ w[2 * H:3 * H] + w[3 * H]


def normal_logpdf_sum(z, sd):
    """sum_i log N(z_i | 0, sd^2), every constant included (log space: no product of densities)."""
    return float(-0.5 * np.sum(z**2) / sd**2 - z.size * (np.log(sd) + 0.5 * LOG_2PI))


# --- nn_forward: exact for several widths, weights and grids --------------------------------------

def forward_inputs(seed, H, n):
    rng = np.random.default_rng([seed, H])
    return 1.3 * rng.standard_normal(3 * H + 1), np.sort(rng.uniform(-3, 3, n))


def forward_probe(ns, seed):
    def body(nn_forward):
        out = {"seed": seed}
        for H, n in FORWARD_CASES:
            w, x = forward_inputs(seed, H, n)
            out[str(H)] = np.array(nn_forward(w, x, H), dtype=float)
        return out
    return probe(ns, ["nn_forward"], body)


@teaching
def forward_check(r):
    if r.get("error"):
        return r["error"]
    for H, n in FORWARD_CASES:
        w, x = forward_inputs(r["seed"], H, n)
        want, got = network(w, x, H), np.asarray(r[str(H)], dtype=float).reshape(-1)
        if got.shape != (n,) or not abs(got - want).max() <= 1e-10 * (1 + abs(want).max()):
            return (f"`nn_forward` with n_hidden={H}: f at the first points is {got[:3].round(5).tolist()}, "
                    f"expected {want[:3].round(5).tolist()}: unpack w as [w_1..w_H, c_1..c_H, v_1..v_H, d] "
                    "and use sin(w_j x + c_j) (input weight times x, plus bias)")
    return None


# --- nn_log_posterior: exact, on data where a product of densities underflows --------------------

def log_posterior_inputs(seed):
    """1,500 points of y = 0.5 sin(2x) + 0.3x + noise, and two weight vectors drawn N(0, 1): their
    networks miss the data by O(1), many sigma_d = 0.3 away."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, N_POINTS)
    y = 0.5 * np.sin(2 * x) + 0.3 * x + 0.3 * rng.standard_normal(N_POINTS)
    return x, y, rng.standard_normal((2, 3 * H_POST + 1))


def log_posterior_expected(seed):
    """[(sigma_d, sigma_w, log likelihood, log prior)] for each weight vector and pair of scales."""
    x, y, ws = log_posterior_inputs(seed)
    return [(sd, sw, normal_logpdf_sum(y - network(w, x, H_POST), sd), normal_logpdf_sum(w, sw))
            for w in ws for sd, sw in SCALES]


def log_posterior_probe(ns, seed):
    def body(nn_log_posterior):
        x, y, ws = log_posterior_inputs(seed)
        return {"seed": seed, "values": np.array(
            [float(nn_log_posterior(w.copy(), x, y, H_POST, sd, sw)) for w in ws for sd, sw in SCALES])}
    return probe(ns, ["nn_log_posterior"], body)


@teaching
def log_posterior_check(r):
    if r.get("error"):
        return r["error"]
    got = np.asarray(r["values"], dtype=float).reshape(-1)
    if got.size != len(SCALES) * 2:
        return f"`nn_log_posterior` returned {got.size} values for {len(SCALES) * 2} calls"
    for v, (sd, sw, lik, prior) in zip(got, log_posterior_expected(r["seed"]), strict=True):
        want = lik + prior
        if abs(v - want) <= 1e-9 * abs(want):
            continue
        if not np.isfinite(v):
            hint = (f"the log likelihood of these 1,500 points is {lik:.0f}, so a product of their "
                    "densities underflows to 0: stay in log space and sum the log densities")
        elif abs(v - lik) <= 1e-9 * abs(lik):
            hint = "your value is the log likelihood alone: add the log prior of every weight"
        else:
            hint = ("Gaussian log likelihood with sd sigma_d plus the N(0, sigma_w^2) log prior of every "
                    "weight, each with its constants -log(sd) - log(2 pi)/2, and sigma_d, sigma_w used "
                    "as standard deviations (squared in the exponent)")
        return (f"`nn_log_posterior` on 1,500 points with sigma_d={sd}, sigma_w={sw} is {v:.4f}, expected "
                f"{want:.4f} (± {1e-9 * abs(want):.1e}): {hint}")
    return None


# --- posterior_predictive: mean and sd over all draws, spreads far from 1 -------------------------

def predictive_inputs(seed):
    return DRAW_SD * np.random.default_rng(seed).standard_normal((N_DRAWS, 3 * H_PRED + 1)), GRID.copy()


def predictive_probe(ns, seed):
    def body(posterior_predictive):
        s, grid = predictive_inputs(seed)
        m, sd = posterior_predictive(s, grid, H_PRED)
        return {"seed": seed, "m": np.array(m, dtype=float), "sd": np.array(sd, dtype=float)}
    return probe(ns, ["posterior_predictive"], body)


@teaching
def predictive_check(r):
    if r.get("error"):
        return r["error"]
    s, grid = predictive_inputs(r["seed"])
    f = np.array([network(w, grid, H_PRED) for w in s])
    m, sds = f.mean(0), (f.std(0), f.std(0, ddof=1))  # ddof 0 or 1: both are correct
    got_m, got_sd = r["m"].reshape(-1), r["sd"].reshape(-1)
    if got_m.shape != m.shape or not abs(got_m - m).max() <= 1e-9 * (1 + abs(m).max()):
        return ("`posterior_predictive`: the predictive mean differs from the mean of f_w(x) over ALL the "
                "draws (axis 0 = draws)")
    if got_sd.shape != m.shape or not any(abs(got_sd - sd).max() <= 1e-9 * (1 + sd.max()) for sd in sds):
        return (f"`posterior_predictive`: predictive sd {got_sd[:3].round(4).tolist()}..., expected "
                f"{sds[0][:3].round(4).tolist()}...: the standard deviation (not the variance) over the "
                "draws of the network output, without adding observation noise")
    return None
