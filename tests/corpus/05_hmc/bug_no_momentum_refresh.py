"""BUG: draws the momentum once and never refreshes it. Fails the moment checks."""
import numpy as np


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng):
    q = np.array(theta0, dtype=float)
    lp = log_post(q)
    p = rng.standard_normal(q.size)
    out = np.empty((n_steps, q.size))
    acc = 0
    for i in range(n_steps):
        q_new, p_new = leapfrog(q, p, grad_log_post, step_size, n_leapfrog)
        lp_new = log_post(q_new)
        if np.log(rng.uniform()) < (lp_new - 0.5 * p_new @ p_new) - (lp - 0.5 * p @ p):
            q, lp, p = q_new, lp_new, p_new
            acc += 1
        out[i] = q
    return out, acc / n_steps
