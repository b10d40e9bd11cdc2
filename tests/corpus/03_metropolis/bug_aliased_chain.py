"""BUG: appends the same array object every step and updates it in place. Fails the moment and bookkeeping checks."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.asarray(theta0, dtype=float)
    lp = log_post(theta)
    chain = []
    acc = 0
    for _ in range(n_steps):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        if np.log(rng.uniform()) < lp_new - lp:
            theta[:] = prop
            lp = lp_new
            acc += 1
        chain.append(theta)
    return np.array(chain), acc / n_steps
