"""BUG (contract): returns the negated momentum. Harmless inside hmc, wrong for leapfrog's contract."""
import numpy as np


def leapfrog(q, p, grad_log_post, step_size, n_steps):
    q, p = np.array(q, dtype=float), np.array(p, dtype=float)
    p = p + 0.5 * step_size * grad_log_post(q)
    for i in range(n_steps):
        q = q + step_size * p
        if i < n_steps - 1:
            p = p + step_size * grad_log_post(q)
    return q, -(p + 0.5 * step_size * grad_log_post(q))
