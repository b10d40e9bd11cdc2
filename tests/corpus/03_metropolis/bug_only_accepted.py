"""BUG: stores only accepted states (rejections not repeated), padding with the last one. Fails the moment/bookkeeping checks."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    kept = []
    for _ in range(n_steps):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        if np.log(rng.uniform()) < lp_new - lp:
            theta, lp = prop, lp_new
            kept.append(theta.copy())
    rate = len(kept) / n_steps
    while len(kept) < n_steps:
        kept.append(theta.copy())
    return np.array(kept), rate
