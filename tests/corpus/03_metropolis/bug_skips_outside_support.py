"""BUG: a proposal where log_post = -inf skips the step ("continue") and leaves its row as
preallocated (zeros) instead of repeating the current state. Fails test_metropolis_gamma (rows at
theta = 0, outside the support)."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.zeros((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        if not np.isfinite(lp_new):
            continue
        if np.log(rng.uniform()) < lp_new - lp:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps
