"""CORRECT: a batched forward pass over all draws with einsum."""
import numpy as np


def posterior_predictive(samples, x_grid, n_hidden):
    s = np.asarray(samples, dtype=float)
    H = n_hidden
    a = s[:, None, :H] * np.asarray(x_grid)[None, :, None] + s[:, None, H:2 * H]
    f = np.einsum("nmh,nh->nm", np.sin(a), s[:, 2 * H:3 * H]) + s[:, 3 * H][:, None]
    return f.mean(0), f.std(0)
