"""CORRECT: a list of copies, acceptance decided by comparing log u; warns on overflow harmlessly."""
import warnings

import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    warnings.warn("this honest sampler warns, and must not lose points for it")
    current = np.asarray(theta0, dtype=float).copy()
    current_lp = log_post(current)
    chain, n_acc = [], 0
    for _ in range(n_steps):
        cand = current + rng.normal(0.0, proposal_sd, size=current.shape)
        cand_lp = log_post(cand)
        if np.log(rng.uniform()) <= cand_lp - current_lp:
            current, current_lp, n_acc = cand, cand_lp, n_acc + 1
        chain.append(current.copy())
    return np.vstack(chain), n_acc / n_steps
