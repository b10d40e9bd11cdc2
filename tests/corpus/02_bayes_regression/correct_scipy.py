"""CORRECT: scipy.stats log densities."""
import numpy as np
from scipy import stats


def log_prior(beta, sigma0, sigma1):
    return float(stats.norm(0, sigma0).logpdf(beta[0]) + stats.norm(0, sigma1).logpdf(beta[1]))


def log_likelihood(beta, x, y, sigma_d):
    return float(np.sum(stats.norm(beta[0] + beta[1] * np.asarray(x), sigma_d).logpdf(y)))
