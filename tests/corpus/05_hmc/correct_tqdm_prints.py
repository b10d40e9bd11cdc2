"""CORRECT: honest HMC that shows progress with tqdm (stderr), prints to stdout and warns.
nbgrader zeroes a test cell that writes to stderr: the visible tests must capture all of it."""
import sys
import warnings

import numpy as np
from tqdm import tqdm


def leapfrog(q, p, grad_log_post, step_size, n_steps):
    q, p = np.array(q, dtype=float), np.array(p, dtype=float)
    for _ in range(n_steps):
        p = p + 0.5 * step_size * grad_log_post(q)
        q = q + step_size * p
        p = p + 0.5 * step_size * grad_log_post(q)
    return q, p


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng):
    print(f"hmc: {n_steps} iterations of {n_leapfrog} leapfrog steps")
    print("hmc: starting", file=sys.stderr)
    warnings.warn("hmc: this honest sampler warns")
    q = np.array(theta0, dtype=float)
    lp = log_post(q)
    out = np.empty((n_steps, q.size))
    acc = 0
    for i in tqdm(range(n_steps), desc="hmc"):
        p = rng.standard_normal(q.size)
        q_new, p_new = leapfrog(q, p, grad_log_post, step_size, n_leapfrog)
        lp_new = log_post(q_new)
        if np.log(rng.uniform()) < (lp_new - 0.5 * p_new @ p_new) - (lp - 0.5 * p @ p):
            q, lp = q_new, lp_new
            acc += 1
        out[i] = q
    return out, acc / n_steps
