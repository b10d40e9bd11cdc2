"""BUG: a uniform proposal on [-proposal_sd, proposal_sd] instead of N(0, proposal_sd^2): a valid chain, not the contract's kernel."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = theta + rng.uniform(-proposal_sd, proposal_sd, theta.size)
        lpn = log_post(prop)
        if np.log(rng.uniform()) < lpn - lp:
            theta, lp = prop, lpn
            acc += 1
        out[i] = theta
    return out, acc / n_steps
