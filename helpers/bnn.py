"""A one-hidden-layer network with sin activations, as a Bayesian model (exercise 04's network).

Network, for ``n_hidden = H`` units::

    f(x) = sum_j v_j sin(w_j x + c_j) + d,     w = [w_1..w_H, c_1..c_H, v_1..v_H, d]  (3H + 1,)

Model: ``y_i ~ N(f(x_i), sigma_d^2)`` and every weight ``~ N(0, sigma_w^2)`` independently.
Densities are normalised. Weight arguments may be a batch of shape ``(..., 3H + 1)``.
"""

import numpy as np

from ._checks import data_pair, generator, positive, positive_int

LOG_2PI = np.log(2.0 * np.pi)


def n_weights(n_hidden):
    """Number of weights, ``3 n_hidden + 1``."""
    return 3 * positive_int(n_hidden, "n_hidden") + 1


def _weights(w, n_hidden):
    w = np.asarray(w, dtype=float)
    p = n_weights(n_hidden)
    if w.ndim == 0 or w.shape[-1] != p:
        raise ValueError(
            f"w must have shape ({p},) = (3 * n_hidden + 1,) for n_hidden={n_hidden}, got {w.shape}"
        )
    return w


def unpack(w, n_hidden):
    """Split ``w`` into input weights, biases, output weights (each (..., H)) and output bias."""
    w = _weights(w, n_hidden)
    h = n_hidden
    return w[..., :h], w[..., h : 2 * h], w[..., 2 * h : 3 * h], w[..., 3 * h]


# Unchecked cores (w of shape (..., 3H + 1) already checked, x and y 1-D): a batch of weight
# vectors costs one pass of array operations, shared by the network, its density and its gradient.
def _hidden(w, x, h):
    """Pre-activations ``a_ji = w_j x_i + c_j``, shape (..., H, n)."""
    return w[..., :h, None] * x + w[..., h : 2 * h, None]


def _output(w, sin_a, h):
    """``f(x_i) = sum_j v_j sin(a_ji) + d`` from the activations ``sin_a`` (..., H, n)."""
    return (w[..., None, 2 * h : 3 * h] @ sin_a)[..., 0, :] + w[..., 3 * h :]


def forward(w, x, n_hidden):
    """Network output ``f(x_i)`` for each ``x_i``: shape ``(n,)`` (or ``(..., n)`` for a batch)."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    w = _weights(w, n_hidden)
    return _output(w, np.sin(_hidden(w, x, n_hidden)), n_hidden)


def _log_post(w, x, y, n_hidden, sigma_d, sigma_w):
    f = _output(w, np.sin(_hidden(w, x, n_hidden)), n_hidden)
    loglik = -0.5 * np.sum((y - f) ** 2, axis=-1) / sigma_d**2 - x.size * (
        np.log(sigma_d) + 0.5 * LOG_2PI
    )
    logprior = -0.5 * np.sum(w**2, axis=-1) / sigma_w**2 - w.shape[-1] * (
        np.log(sigma_w) + 0.5 * LOG_2PI
    )
    return loglik + logprior


def _grad_log_post(w, x, y, n_hidden, sigma_d, sigma_w):
    h = n_hidden
    a = _hidden(w, x, h)
    s, co = np.sin(a), np.cos(a)
    v = w[..., 2 * h : 3 * h]
    r = (y - _output(w, s, h)) / sigma_d**2  # (..., n)
    back = co * (v[..., :, None] * r[..., None, :])  # dL/da, (..., H, n)
    grad = np.empty_like(w)
    grad[..., :h] = back @ x
    grad[..., h : 2 * h] = np.sum(back, axis=-1)
    grad[..., 2 * h : 3 * h] = (s @ r[..., :, None])[..., 0]
    grad[..., 3 * h] = np.sum(r, axis=-1)
    return grad - w / sigma_w**2


def log_posterior(w, x, y, n_hidden, sigma_d, sigma_w):
    """``sum_i log N(y_i | f(x_i), sigma_d^2) + sum_k log N(w_k | 0, sigma_w^2)``."""
    x, y = data_pair(x, y)
    positive(sigma_d, "sigma_d"), positive(sigma_w, "sigma_w")
    return _log_post(_weights(w, n_hidden), x, y, n_hidden, sigma_d, sigma_w)


def grad_log_posterior(w, x, y, n_hidden, sigma_d, sigma_w):
    """Gradient of :func:`log_posterior` by backpropagation; same shape as ``w``.

    With ``r_i = (y_i - f(x_i)) / sigma_d^2`` and ``a_ji = w_j x_i + c_j``::

        d/dv_j = sum_i r_i sin a_ji          d/dd   = sum_i r_i
        d/dw_j = sum_i r_i v_j cos a_ji x_i  d/dc_j = sum_i r_i v_j cos a_ji

    minus ``w / sigma_w^2`` from the prior.
    """
    x, y = data_pair(x, y)
    positive(sigma_d, "sigma_d"), positive(sigma_w, "sigma_w")
    return _grad_log_post(_weights(w, n_hidden), x, y, n_hidden, sigma_d, sigma_w)


def make_log_post(x, y, n_hidden, sigma_d=0.1, sigma_w=1.0):
    """Bind data and scales: return ``(log_post, grad_log_post)`` of the weights alone (batchable).

    The data and scales are checked once here, not at every call inside a sampler's loop.
    """
    x, y = data_pair(x, y)
    sigma_d, sigma_w = float(positive(sigma_d, "sigma_d")), float(positive(sigma_w, "sigma_w"))
    n_weights(n_hidden)

    def log_post(w):
        return _log_post(_weights(w, n_hidden), x, y, n_hidden, sigma_d, sigma_w)

    def grad_log_post(w):
        return _grad_log_post(_weights(w, n_hidden), x, y, n_hidden, sigma_d, sigma_w)

    return log_post, grad_log_post


def posterior_predictive(samples, x_grid, n_hidden):
    """Mean and sd (ddof=0) over weight draws of the network output at each grid point.

    Parameters
    ----------
    samples : ndarray, shape (n_draws, 3 n_hidden + 1)
    x_grid : ndarray, shape (m,)

    Returns
    -------
    mean, sd : ndarray, shape (m,)
        The spread of the network's mean, without observation noise.
    """
    samples = np.asarray(samples, dtype=float)
    if samples.ndim != 2:
        raise ValueError(f"samples must have shape (n_draws, n_weights), got {samples.shape}")
    f = forward(samples, x_grid, n_hidden)
    return f.mean(axis=0), f.std(axis=0)


def fit_map(x, y, n_hidden, rng, sigma_d=0.1, sigma_w=1.0, n_restarts=10):
    """Maximum a posteriori weights by L-BFGS from ``n_restarts`` random starts ``N(0, sigma_w^2)``.

    With ``sigma_w`` large this is close to the maximum-likelihood fit. Returns the best ``w``
    found, shape ``(3 n_hidden + 1,)``.
    """
    # scipy is imported here, not at the top: `import helpers` runs in every graded submission's fresh
    # sandbox, and scipy's import was a quarter of a submission's CPU time.
    from scipy import optimize

    generator(rng)
    log_post, grad = make_log_post(x, y, n_hidden, sigma_d, sigma_w)
    best, best_val = None, np.inf
    for _ in range(positive_int(n_restarts, "n_restarts")):
        w0 = sigma_w * rng.standard_normal(n_weights(n_hidden))
        res = optimize.minimize(
            lambda w: -log_post(w), w0, jac=lambda w: -grad(w), method="L-BFGS-B"
        )
        if res.fun < best_val:
            best, best_val = res.x, res.fun
    return best
