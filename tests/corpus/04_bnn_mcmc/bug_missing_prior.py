"""BUG: log likelihood only (no prior)."""
import numpy as np


def nn_log_posterior(w, x, y, n_hidden, sigma_d, sigma_w):
    r = np.asarray(y) - nn_forward(w, x, n_hidden)
    return float(-0.5 * np.sum(r**2) / sigma_d**2 - r.size * (np.log(sigma_d) + 0.5 * np.log(2 * np.pi)))
