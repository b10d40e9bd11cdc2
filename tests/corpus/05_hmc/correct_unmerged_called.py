"""CORRECT: leapfrog with separate half steps (2 gradients a step, nothing cached), called by hmc."""
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
    samples = np.zeros((n_steps, q.size))
    accepted = 0
    for i in range(n_steps):
        p = rng.standard_normal(q.size)
        q_new, p_new = leapfrog(q, p, grad_log_post, step_size, n_leapfrog)
        h_old = -log_post(q) + 0.5 * p @ p
        h_new = -log_post(q_new) + 0.5 * p_new @ p_new
        if rng.uniform() < np.exp(min(0.0, h_old - h_new)):
            q = q_new
            accepted += 1
        samples[i] = q
    return samples, accepted / n_steps
