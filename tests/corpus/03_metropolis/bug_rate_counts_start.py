"""BUG: the start counts as an accepted proposal (accepted starts at 1): rate = (accepted + 1) /
n_steps, one count too many. Fails the exact bookkeeping (test_metropolis_bookkeeping)."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 1  # "theta0 was accepted"
    for i in range(n_steps):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        if np.log(rng.uniform()) < lp_new - lp:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps
