"""Bayesian linear regression with independent Gaussian priors: the course's conjugate model.

Model::

    y_i | beta ~ N(b0 + b1 x_i, sigma_d^2),   b0 ~ N(0, sigma0^2),   b1 ~ N(0, sigma1^2).

All densities are normalised (every constant included). Functions of ``beta`` accept an array of
shape ``(2,)`` or ``(..., 2)`` (a batch of parameter vectors, e.g. one per chain) and return
values with the batch shape.
"""

import numpy as np

from ._checks import data_pair, positive

LOG_2PI = np.log(2.0 * np.pi)


def _beta(beta):
    beta = np.asarray(beta, dtype=float)
    if beta.ndim == 0 or beta.shape[-1] != 2:
        raise ValueError(f"beta must have shape (2,) or (..., 2) as (b0, b1), got {beta.shape}")
    return beta


def _normal_logpdf(z, sd):
    return -0.5 * (z / sd) ** 2 - np.log(sd) - 0.5 * LOG_2PI


def log_prior(beta, sigma0, sigma1):
    """``log N(b0 | 0, sigma0^2) + log N(b1 | 0, sigma1^2)``."""
    beta = _beta(beta)
    positive(sigma0, "sigma0"), positive(sigma1, "sigma1")
    return _normal_logpdf(beta[..., 0], sigma0) + _normal_logpdf(beta[..., 1], sigma1)


def log_likelihood(beta, x, y, sigma_d):
    """``sum_i log N(y_i | b0 + b1 x_i, sigma_d^2)``; x, y of shape (n,)."""
    beta = _beta(beta)
    x, y = data_pair(x, y)
    positive(sigma_d, "sigma_d")
    resid = y - (beta[..., 0, None] + beta[..., 1, None] * x)
    n = x.size
    return -0.5 * np.sum(resid**2, axis=-1) / sigma_d**2 - n * (np.log(sigma_d) + 0.5 * LOG_2PI)


def log_posterior(beta, x, y, sigma_d, sigma0, sigma1):
    """Unnormalised log posterior: ``log_prior + log_likelihood`` (the log evidence is left out)."""
    return log_prior(beta, sigma0, sigma1) + log_likelihood(beta, x, y, sigma_d)


def grad_log_posterior(beta, x, y, sigma_d, sigma0, sigma1):
    """Gradient of :func:`log_posterior` with respect to ``beta``; same shape as ``beta``."""
    beta = _beta(beta)
    x, y = data_pair(x, y)
    resid = y - (beta[..., 0, None] + beta[..., 1, None] * x)
    g0 = np.sum(resid, axis=-1) / sigma_d**2 - beta[..., 0] / sigma0**2
    g1 = np.sum(resid * x, axis=-1) / sigma_d**2 - beta[..., 1] / sigma1**2
    return np.stack([g0, g1], axis=-1)


def posterior_mean_cov(x, y, sigma_d, sigma0, sigma1):
    """Exact conjugate posterior of ``beta``.

    With design ``X = [1, x]`` and prior precision ``P = diag(sigma0^-2, sigma1^-2)``::

        cov  = (X^T X / sigma_d^2 + P)^-1,     mean = cov X^T y / sigma_d^2.

    Returns
    -------
    mean : ndarray, shape (2,)
    cov : ndarray, shape (2, 2)
    """
    x, y = data_pair(x, y)
    positive(sigma_d, "sigma_d"), positive(sigma0, "sigma0"), positive(sigma1, "sigma1")
    X = np.column_stack([np.ones_like(x), x])
    precision = X.T @ X / sigma_d**2 + np.diag([sigma0**-2.0, sigma1**-2.0])
    cov = np.linalg.inv(precision)
    cov = 0.5 * (cov + cov.T)
    mean = cov @ (X.T @ y) / sigma_d**2
    return mean, cov


def posterior_predictive(x_grid, mean, cov, sigma_d=None):
    """Posterior predictive of the regression line at ``x_grid`` (shape (m,)).

    The line ``f(x) = b0 + b1 x`` has mean ``[1, x] @ mean`` and variance ``[1, x] cov [1, x]^T``.
    With ``sigma_d`` given, the observation noise is added: ``var + sigma_d^2`` (a new ``y``).

    Returns
    -------
    mean, sd : ndarray, shape (m,)
    """
    x_grid = np.asarray(x_grid, dtype=float)
    if x_grid.ndim != 1:
        raise ValueError(f"x_grid must be 1-D, got shape {x_grid.shape}")
    mean = np.asarray(mean, dtype=float)
    cov = np.asarray(cov, dtype=float)
    if mean.shape != (2,) or cov.shape != (2, 2):
        raise ValueError(f"mean must be (2,) and cov (2, 2), got {mean.shape}, {cov.shape}")
    X = np.column_stack([np.ones_like(x_grid), x_grid])
    var = np.einsum("ij,jk,ik->i", X, cov, X)
    if sigma_d is not None:
        var = var + positive(sigma_d, "sigma_d") ** 2
    return X @ mean, np.sqrt(var)


def make_log_post(x, y, sigma_d=1.0, sigma0=10.0, sigma1=10.0):
    """Bind the data and scales: return ``(log_post, grad_log_post)`` of ``beta`` alone.

    Both accept a batch ``(..., 2)``, so they serve vectorised chains too.
    """
    x, y = data_pair(x, y)
    positive(sigma_d, "sigma_d"), positive(sigma0, "sigma0"), positive(sigma1, "sigma1")
    X = np.column_stack([np.ones_like(x), x])
    # The log posterior is quadratic in beta: with the precision P = X^T X / sigma_d^2 + diag(prior
    # precisions) and h = X^T y / sigma_d^2, log_post = c + beta.h - beta^T P beta / 2. So each
    # evaluation is O(1) in n, and a few array operations even for a batch of chains.
    prec = X.T @ X / sigma_d**2 + np.diag([sigma0**-2.0, sigma1**-2.0])
    h = X.T @ y / sigma_d**2
    c = (-x.size * (np.log(sigma_d) + 0.5 * LOG_2PI) - np.log(sigma0 * sigma1) - LOG_2PI
         - 0.5 * (y @ y) / sigma_d**2)

    def log_post(beta):
        b = _beta(beta)
        return c + b @ h - 0.5 * ((b @ prec) * b).sum(axis=-1)

    def grad_log_post(beta):
        return h - _beta(beta) @ prec

    return log_post, grad_log_post
