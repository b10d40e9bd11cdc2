"""BUG: multiplies densities, then takes the log (underflows for 1,500 points)."""
import numpy as np


def nn_log_posterior(w, x, y, n_hidden, sigma_d, sigma_w):
    w = np.asarray(w, dtype=float)
    r = np.asarray(y) - nn_forward(w, x, n_hidden)
    with np.errstate(divide="ignore"):
        lik = np.prod(np.exp(-0.5 * (r / sigma_d) ** 2) / (sigma_d * np.sqrt(2 * np.pi)))
        prior = np.prod(np.exp(-0.5 * (w / sigma_w) ** 2) / (sigma_w * np.sqrt(2 * np.pi)))
        return float(np.log(lik) + np.log(prior))
