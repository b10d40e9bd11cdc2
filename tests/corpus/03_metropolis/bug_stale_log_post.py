"""BUG: moves to the proposal but keeps the old log density (stale cache). Fails the moment checks."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        if np.log(rng.uniform()) < log_post(prop) - lp:
            theta = prop
            acc += 1
        out[i] = theta
    return out, acc / n_steps
