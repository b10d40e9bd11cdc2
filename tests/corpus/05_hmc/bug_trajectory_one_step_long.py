"""BUG: n_leapfrog + 1 leapfrog steps per trajectory."""
import numpy as np


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng):
    q = np.array(theta0, dtype=float)
    lp = log_post(q)
    out = np.empty((n_steps, q.size))
    acc = 0
    for i in range(n_steps):
        p = rng.standard_normal(q.size)
        qn, pn = leapfrog(q, p, grad_log_post, step_size, n_leapfrog + 1)
        lpn = log_post(qn)
        if np.log(rng.uniform()) < (lpn - 0.5 * pn @ pn) - (lp - 0.5 * p @ p):
            q, lp = qn, lpn
            acc += 1
        out[i] = q
    return out, acc / n_steps
