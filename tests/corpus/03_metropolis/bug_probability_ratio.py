"""BUG (shortcut): the acceptance ratio computed from densities, exp(log_post(proposal)) /
exp(log_post(current)). Right where log_post is near 0; where a real log posterior lives (-1,000)
both underflow to 0, the ratio is nan, and min(1.0, nan) is 1.0: every proposal is accepted
(test_metropolis_moments, test_metropolis_kernel; Validate's target near -1,000 too)."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        with np.errstate(all="ignore"):
            alpha = min(1.0, np.exp(lp_new) / np.exp(lp))
        if rng.uniform() < alpha:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps
