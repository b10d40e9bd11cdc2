"""The course's data sets, generated in code from a seeded ``numpy.random.Generator``.

Nothing is downloaded: the same generator state gives the same data on every machine.
"""

import numpy as np

from ._checks import generator, positive, positive_int

#: True parameters of the regression data set: intercept, slope, noise sd.
LINREG_TRUTH = {"b0": 1.0, "b1": 2.0, "sigma_d": 1.0}


def linear_regression_data(rng, n=100, b0=1.0, b1=2.0, sigma_d=1.0, x_range=(-3.0, 3.0)):
    """Draw ``y = b0 + b1 x + eps`` with ``x ~ Uniform(x_range)`` and ``eps ~ N(0, sigma_d^2)``.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Number of points.
    b0, b1 : float
        True intercept and slope.
    sigma_d : float
        Noise standard deviation (> 0).
    x_range : (float, float)

    Returns
    -------
    x, y : ndarray, shape (n,)
    """
    generator(rng)
    n = positive_int(n, "n")
    positive(sigma_d, "sigma_d")
    lo, hi = x_range
    if not hi > lo:
        raise ValueError(f"x_range must be (low, high) with high > low, got {x_range}")
    x = rng.uniform(lo, hi, size=n)
    y = b0 + b1 * x + sigma_d * rng.standard_normal(n)
    return x, y


def bnn_truth(x):
    """The smooth function behind the network data: ``0.5 sin(2x) + 0.3x``."""
    x = np.asarray(x, dtype=float)
    return 0.5 * np.sin(2.0 * x) + 0.3 * x


def bnn_data(rng, n=60, noise_sd=0.1, x_range=(-3.0, 3.0)):
    """Draw the 1-D regression set of the neural-network lectures.

    ``x ~ Uniform(x_range)`` sorted, ``y = 0.5 sin(2x) + 0.3x + N(0, noise_sd^2)``.

    Returns
    -------
    x, y : ndarray, shape (n,)
    """
    generator(rng)
    n = positive_int(n, "n")
    positive(noise_sd, "noise_sd")
    lo, hi = x_range
    if not hi > lo:
        raise ValueError(f"x_range must be (low, high) with high > low, got {x_range}")
    x = np.sort(rng.uniform(lo, hi, size=n))
    y = bnn_truth(x) + noise_sd * rng.standard_normal(n)
    return x, y
