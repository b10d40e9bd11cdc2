"""CORRECT: loops in the forward pass, scipy log densities, ddof=1 in the predictive sd."""
import numpy as np
from scipy import stats


def nn_forward(w, x, n_hidden):
    H = n_hidden
    out = np.full(len(x), float(w[3 * H]))
    for j in range(H):
        out += w[2 * H + j] * np.sin(w[j] * np.asarray(x) + w[H + j])
    return out


def nn_log_posterior(w, x, y, n_hidden, sigma_d, sigma_w):
    return float(stats.norm(nn_forward(w, x, n_hidden), sigma_d).logpdf(y).sum()
                 + stats.norm(0, sigma_w).logpdf(w).sum())


def posterior_predictive(samples, x_grid, n_hidden):
    f = np.stack([nn_forward(w, x_grid, n_hidden) for w in samples])
    return f.mean(axis=0), f.std(axis=0, ddof=1)
