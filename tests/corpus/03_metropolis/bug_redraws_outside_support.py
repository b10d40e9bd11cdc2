"""BUG: proposals where log_post = -inf are drawn again until one is inside the support. The
proposal is then a truncated Gaussian whose normalisation depends on the current state, so the
chain undersamples the region near the boundary (test_metropolis_gamma: the share below 2)."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        while True:
            prop = theta + proposal_sd * rng.standard_normal(theta.size)
            lp_new = log_post(prop)
            if np.isfinite(lp_new):
                break
        if np.log(rng.uniform()) < lp_new - lp:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps
