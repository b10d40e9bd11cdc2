"""BUG: unpacks w as [w, v, c, d] (output weights and biases swapped)."""
import numpy as np


def nn_forward(w, x, n_hidden):
    H = n_hidden
    w = np.asarray(w, dtype=float)
    return np.sin(np.outer(x, w[:H]) + w[2 * H:3 * H]) @ w[H:2 * H] + w[3 * H]
