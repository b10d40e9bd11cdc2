"""CORRECT: acceptance in probability space with a guarded exp; uniform drawn before the proposal."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        u = rng.random()
        prop = rng.normal(theta, proposal_sd)
        lp_new = log_post(prop)
        alpha = 1.0 if lp_new >= lp else np.exp(lp_new - lp)
        if u < alpha:
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps


def metropolis_hastings(log_post, theta0, n_steps, propose, log_q, rng):
    theta = np.array(theta0, dtype=float)
    lp = log_post(theta)
    out = np.empty((n_steps, theta.size))
    acc = 0
    for i in range(n_steps):
        prop = np.asarray(propose(theta, rng), dtype=float)
        lp_new = log_post(prop)
        if lp_new == -np.inf:
            out[i] = theta
            continue
        log_alpha = lp_new - lp + log_q(theta, prop) - log_q(prop, theta)
        if rng.random() < np.exp(min(0.0, log_alpha)):
            theta, lp = prop, lp_new
            acc += 1
        out[i] = theta
    return out, acc / n_steps
