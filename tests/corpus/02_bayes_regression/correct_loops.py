"""CORRECT: plain Python loops and math, a different but exact formulation."""
import math

import numpy as np


def log_prior(beta, sigma0, sigma1):
    total = 0.0
    for b, s in ((beta[0], sigma0), (beta[1], sigma1)):
        total += -0.5 * (b / s) ** 2 - math.log(s * math.sqrt(2 * math.pi))
    return total


def log_likelihood(beta, x, y, sigma_d):
    total = 0.0
    for xi, yi in zip(x, y):
        total += -0.5 * ((yi - beta[0] - beta[1] * xi) / sigma_d) ** 2 - math.log(sigma_d * math.sqrt(2 * math.pi))
    return total


def posterior_mean_cov(x, y, sigma_d, sigma0, sigma1):
    X = np.column_stack([np.ones(len(x)), np.asarray(x)])
    prec = X.T @ X / sigma_d**2 + np.diag([1 / sigma0**2, 1 / sigma1**2])
    mean = np.linalg.solve(prec, X.T @ np.asarray(y) / sigma_d**2)
    return mean, np.linalg.inv(prec)
