"""BUG: the trajectory has n_leapfrog - 1 steps (range(1, n_leapfrog)), with merged half steps."""
import numpy as np


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng):
    q = np.array(theta0, dtype=float)
    lp = log_post(q)
    out = np.empty((n_steps, q.size))
    acc = 0
    for i in range(n_steps):
        p = rng.standard_normal(q.size)
        qn = q.copy()
        pn = p + 0.5 * step_size * grad_log_post(qn)
        for j in range(1, n_leapfrog):
            qn = qn + step_size * pn
            if j < n_leapfrog - 1:
                pn = pn + step_size * grad_log_post(qn)
        pn = pn + 0.5 * step_size * grad_log_post(qn)
        lpn = log_post(qn)
        if np.log(rng.uniform()) < (lpn - 0.5 * pn @ pn) - (lp - 0.5 * p @ p):
            q, lp = qn, lpn
            acc += 1
        out[i] = q
    return out, acc / n_steps
