"""BUG: Metropolis-Hastings's acceptance rate = accepted / (n_steps + 1). Rounding at 20,000 steps
hides it; exact bookkeeping at 7 steps catches it (test_mh_symmetric)."""
import numpy as np


def metropolis_hastings(log_post, theta0, n_steps, propose, log_q, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = np.asarray(propose(theta, rng), dtype=float)
        lp_new = log_post(prop)
        if np.log(rng.uniform()) < lp_new - lp + log_q(theta, prop) - log_q(prop, theta):
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / (n_steps + 1)
