"""BUG: divides the accepted proposals by n_steps + 1 (counts theta0 as a draw)."""
import numpy as np


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng):
    q = np.array(theta0, dtype=float)
    lp = log_post(q)
    out = np.empty((n_steps, q.size))
    acc = 0
    for i in range(n_steps):
        p = rng.standard_normal(q.size)
        q_new, p_new = leapfrog(q, p, grad_log_post, step_size, n_leapfrog)
        lp_new = log_post(q_new)
        if np.log(rng.uniform()) < (lp_new - 0.5 * p_new @ p_new) - (lp - 0.5 * p @ p):
            q, lp = q_new, lp_new
            acc += 1
        out[i] = q
    return out, acc / (n_steps + 1)
