"""Input checks shared by the helpers: bad input raises ValueError saying what was expected."""

import numpy as np


def as_position(theta, name="theta0", batched=False):
    """Return `theta` as a fresh finite float array of shape (d,) (or (n_chains, d) if batched)."""
    arr = np.array(theta, dtype=float, copy=True)
    want = 2 if batched else 1
    if arr.ndim != want or arr.shape[-1] < 1:
        shape = "(n_chains, d)" if batched else "(d,)"
        raise ValueError(f"{name} must be an array of shape {shape} with d >= 1, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr}")
    return arr


def positive(value, name):
    """Check that `value` (scalar or array) is finite and > 0; return it as float array."""
    arr = np.asarray(value, dtype=float)
    if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return arr


def positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def generator(rng, name="rng"):
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator (e.g. np.random.default_rng(seed)), "
            f"got {type(rng).__name__}"
        )
    return rng


def data_pair(x, y):
    """Check that x, y are 1-D finite arrays of equal length; return float copies."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"x and y must be 1-D arrays of equal length, got shapes {x.shape}, {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite")
    return x, y


def start_log_density(log_post, theta):
    """Evaluate log_post at the start; it must be a number that is not nan and not +inf."""
    lp = np.asarray(log_post(theta), dtype=float)
    if np.any(np.isnan(lp)) or np.any(lp == np.inf) or np.all(lp == -np.inf):
        raise ValueError(
            f"log_post at the start must be finite (a point of positive posterior density), got {lp}"
        )
    return lp
