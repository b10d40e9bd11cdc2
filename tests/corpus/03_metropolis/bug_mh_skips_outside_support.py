"""BUG: Metropolis-Hastings skips a proposal where log_post = -inf ("continue") and leaves its row
as preallocated (zeros) instead of repeating the current state. Fails test_mh_hastings (rows
outside the support) and Validate's half-line chain."""
import numpy as np


def metropolis_hastings(log_post, theta0, n_steps, propose, log_q, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.zeros((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = np.asarray(propose(theta, rng), dtype=float)
        lp_new = log_post(prop)
        if lp_new == -np.inf:
            continue
        if np.log(rng.uniform()) < lp_new - lp + log_q(theta, prop) - log_q(prop, theta):
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps
