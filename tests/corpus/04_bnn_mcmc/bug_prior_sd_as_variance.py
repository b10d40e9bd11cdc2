"""BUG: sigma_w used as a variance in the prior's exponent (right only at sigma_w = 1)."""
import numpy as np


def nn_log_posterior(w, x, y, n_hidden, sigma_d, sigma_w):
    w = np.asarray(w, dtype=float)
    r = np.asarray(y) - nn_forward(w, x, n_hidden)
    c = np.log(2 * np.pi)
    return float(-0.5 * np.sum(r**2) / sigma_d**2 - r.size * (np.log(sigma_d) + 0.5 * c)
                 - 0.5 * np.sum(w**2) / sigma_w - w.size * (np.log(sigma_w) + 0.5 * c))
