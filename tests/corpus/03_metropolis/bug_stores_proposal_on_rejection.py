"""BUG: on a rejection the row stores the proposal (the chain itself stays right). Its samples are
too spread out: the visible test's exact bookkeeping and moments catch it."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        if np.log(rng.uniform()) < lp_new - lp:
            theta, lp = prop, lp_new
            acc += 1
            out[i] = theta
        else:
            out[i] = prop
    return out, acc / n_steps
