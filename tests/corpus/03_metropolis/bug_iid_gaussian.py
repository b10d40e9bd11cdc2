"""BUG (shortcut): no Markov chain; i.i.d. draws from a Gaussian fitted at the start by finite differences."""
import numpy as np


def metropolis(log_post, theta0, n_steps, proposal_sd, rng):
    theta = np.array(theta0, dtype=float)
    d = theta.size
    h = 1e-3
    H = np.empty((d, d))
    f0 = log_post(theta)
    for i in range(d):
        for j in range(d):
            e_i, e_j = np.eye(d)[i] * h, np.eye(d)[j] * h
            H[i, j] = (log_post(theta + e_i + e_j) - log_post(theta + e_i) - log_post(theta + e_j) + f0) / h**2
    cov = np.linalg.inv(-H) if np.all(np.isfinite(H)) else np.eye(d)
    return rng.multivariate_normal(theta, cov, n_steps), 0.44
