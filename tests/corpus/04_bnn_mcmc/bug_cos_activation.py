"""BUG: cos instead of sin."""
import numpy as np


def nn_forward(w, x, n_hidden):
    H = n_hidden
    w = np.asarray(w, dtype=float)
    return np.cos(np.outer(x, w[:H]) + w[H:2 * H]) @ w[2 * H:3 * H] + w[3 * H]
