"""BUG: acceptance rate = accepted / (n_steps + 1), an off-by-one denominator. At 3,000 steps it
changes accepted proposals by less than one count (rounding hides it); exact bookkeeping at 7 and 1
steps catches it (test_metropolis_bookkeeping; Validate's exact books too)."""
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
    return out, acc / (n_steps + 1)
