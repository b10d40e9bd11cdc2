"""CORRECT: unmerged half steps; hmc with its own inline integrator and probability-space acceptance."""
import numpy as np


def leapfrog(q, p, grad_log_post, step_size, n_steps):
    q, p = np.array(q, dtype=float), np.array(p, dtype=float)
    for _ in range(n_steps):
        p = p + 0.5 * step_size * grad_log_post(q)
        q = q + step_size * p
        p = p + 0.5 * step_size * grad_log_post(q)
    return q, p


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng):
    q = np.array(theta0, dtype=float)
    out = np.empty((n_steps, q.size))
    acc = 0
    for i in range(n_steps):
        u = rng.random()
        p0 = rng.normal(size=q.size)
        qn, pn = q.copy(), p0.copy()
        g = grad_log_post(qn)
        for _ in range(n_leapfrog):
            pn = pn + 0.5 * step_size * g
            qn = qn + step_size * pn
            g = grad_log_post(qn)
            pn = pn + 0.5 * step_size * g
        dH = (-log_post(qn) + 0.5 * pn @ pn) - (-log_post(q) + 0.5 * p0 @ p0)
        if dH <= 0 or u < np.exp(-dH):
            q = qn
            acc += 1
        out[i] = q
    return out, acc / n_steps
