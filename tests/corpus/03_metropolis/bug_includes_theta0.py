"""BUG: the start is the first row and the last step is dropped. Fails the bookkeeping check."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = [theta.copy()]
    acc = 0
    for _ in range(n_steps - 1):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        if np.log(rng.uniform()) < lp_new - lp:
            theta, lp = prop, lp_new
            acc += 1
        out.append(theta.copy())
    return np.array(out), acc / n_steps
