"""CORRECT: honest samplers that show progress with tqdm (stderr), print to stdout and warn.
nbgrader zeroes a test cell that writes to stderr: the visible tests must capture all of it."""
import sys
import warnings

import numpy as np
from tqdm import tqdm


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    print(f"metropolis: {n_steps} steps")
    print("starting", file=sys.stderr)
    warnings.warn("metropolis: this honest sampler warns")
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in tqdm(range(n_steps)):
        prop = theta + proposal_sd * rng.standard_normal(theta.size)
        lp_new = log_post(prop)
        if np.log(rng.uniform()) < lp_new - lp:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps


def metropolis_hastings(log_post, theta0, n_steps, propose, log_q, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in tqdm(range(n_steps), desc="MH"):
        prop = np.asarray(propose(theta, rng), dtype=float)
        lp_new = log_post(prop)
        log_alpha = lp_new - lp + log_q(theta, prop) - log_q(prop, theta)
        if np.log(rng.uniform()) < log_alpha:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    np.log(np.zeros(1))  # a numpy RuntimeWarning, as honest code sometimes emits
    return out, acc / n_steps
