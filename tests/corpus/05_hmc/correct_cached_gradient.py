"""CORRECT: caches the log density and the gradient of the current state."""
import numpy as np


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng):
    q = np.array(theta0, dtype=float)
    lp, g = log_post(q), grad_log_post(q)
    chain = []
    n_acc = 0
    for _ in range(n_steps):
        p = rng.standard_normal(q.shape)
        qn, pn, gn = q.copy(), p + 0.5 * step_size * g, None
        for i in range(n_leapfrog):
            qn = qn + step_size * pn
            gn = grad_log_post(qn)
            pn = pn + (step_size if i < n_leapfrog - 1 else 0.5 * step_size) * gn
        lpn = log_post(qn)
        if np.log(rng.uniform()) < lpn - lp - 0.5 * (pn @ pn - p @ p):
            q, lp, g = qn, lpn, gn
            n_acc += 1
        chain.append(q.copy())
    return np.array(chain), n_acc / n_steps
