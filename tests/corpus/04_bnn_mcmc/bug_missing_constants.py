"""BUG: drops the normalising constants."""
import numpy as np


def nn_log_posterior(w, x, y, n_hidden, sigma_d, sigma_w):
    w = np.asarray(w, dtype=float)
    r = np.asarray(y) - nn_forward(w, x, n_hidden)
    return float(-0.5 * np.sum(r**2) / sigma_d**2 - 0.5 * np.sum(w**2) / sigma_w**2)
