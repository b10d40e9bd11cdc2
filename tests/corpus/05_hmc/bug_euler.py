"""BUG: Euler integration instead of leapfrog (full momentum step then position step). Fails the leapfrog checks."""
import numpy as np


def leapfrog(q, p, grad_log_post, step_size, n_steps):
    q, p = np.array(q, dtype=float), np.array(p, dtype=float)
    for _ in range(n_steps):
        p = p + step_size * grad_log_post(q)
        q = q + step_size * p
    return q, p
