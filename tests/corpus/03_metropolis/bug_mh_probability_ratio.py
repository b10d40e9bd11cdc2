"""BUG (shortcut): Metropolis-Hastings's ratio from densities, pi(a) q(b | a) / (pi(b) q(a | b)) with
each factor exp()'d. Where log_post is near -1,000 pi underflows to 0, the ratio is nan and the
chain never moves (test_mh_symmetric)."""
import numpy as np


def metropolis_hastings(log_post, theta0, n_steps, propose, log_q, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = np.asarray(propose(theta, rng), dtype=float)
        lp_new = log_post(prop)
        with np.errstate(all="ignore"):
            ratio = (np.exp(lp_new) * np.exp(log_q(theta, prop))) / (np.exp(lp) * np.exp(log_q(prop, theta)))
        if rng.uniform() < ratio:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps
