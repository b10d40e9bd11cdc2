"""Bad input gets a ValueError that says what was expected, never a silent wrong answer."""

import numpy as np
import pytest

import helpers
from helpers import bnn, linreg

RNG = np.random.default_rng(0)


def log_post(t):
    return -0.5 * float(np.sum(t**2))


def grad(t):
    return -t


SAMPLERS = {
    "metropolis": lambda **kw: helpers.metropolis(**{
        "log_post": log_post, "theta0": np.zeros(2), "n_steps": 10, "proposal_sd": 0.5,
        "rng": RNG, **kw}),
    "hmc": lambda **kw: helpers.hmc(**{
        "log_post": log_post, "grad_log_post": grad, "theta0": np.zeros(2), "n_steps": 10,
        "step_size": 0.1, "n_leapfrog": 3, "rng": RNG, **kw}),
    "metropolis_hastings": lambda **kw: helpers.metropolis_hastings(**{
        "log_post": log_post, "theta0": np.zeros(2), "n_steps": 10,
        "propose": lambda t, r: t + r.standard_normal(t.shape), "log_q": lambda a, b: 0.0,
        "rng": RNG, **kw}),
}


@pytest.mark.parametrize("sampler", SAMPLERS)
@pytest.mark.parametrize("kwargs,message", [
    ({"theta0": np.zeros((2, 2))}, r"shape \(d,\)"),
    ({"theta0": np.array([0.0, np.nan])}, "finite"),
    ({"theta0": np.array([])}, r"d >= 1"),
    ({"n_steps": 0}, "n_steps must be an integer >= 1"),
    ({"n_steps": 2.5}, "n_steps must be an integer"),
    ({"rng": 42}, "numpy.random.Generator"),
    ({"log_post": lambda t: np.nan}, "log_post at the start must be finite"),
    ({"log_post": lambda t: -np.inf}, "log_post at the start must be finite"),
])
def test_samplers_reject_bad_input(sampler, kwargs, message):
    with pytest.raises(ValueError, match=message):
        SAMPLERS[sampler](**kwargs)


@pytest.mark.parametrize("kwargs,message", [
    ({"proposal_sd": 0.0}, "proposal_sd must be finite and > 0"),
    ({"proposal_sd": -1.0}, "proposal_sd must be finite and > 0"),
    ({"proposal_sd": np.inf}, "proposal_sd must be finite and > 0"),
    ({"proposal_sd": np.ones(3)}, "proposal_sd must be a scalar or shape"),
])
def test_metropolis_rejects_bad_scale(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SAMPLERS["metropolis"](**kwargs)


@pytest.mark.parametrize("kwargs,message", [
    ({"step_size": 0.0}, "step_size must be finite and > 0"),
    ({"step_size": -0.1}, "step_size must be finite and > 0"),
    ({"n_leapfrog": 0}, "n_leapfrog must be an integer >= 1"),
    ({"target_accept": 1.0, "n_warmup": 5}, "target_accept"),
    ({"grad_log_post": lambda t: np.zeros(3)}, "grad_log_post at the start"),
    ({"jitter": 1.0}, r"jitter must be a number in \[0, 1\)"),
    ({"jitter": -0.1}, "jitter must be"),
    ({"jitter": "0.2"}, "jitter must be"),
])
def test_hmc_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SAMPLERS["hmc"](**kwargs)


def test_leapfrog_rejects_bad_input():
    with pytest.raises(ValueError, match="step_size"):
        helpers.leapfrog(np.zeros(2), np.zeros(2), grad, 0.0, 3)
    with pytest.raises(ValueError, match="p must have the shape of q"):
        helpers.leapfrog(np.zeros(2), np.zeros(3), grad, 0.1, 3)


def test_chains_reject_bad_input():
    with pytest.raises(ValueError, match="seed must be"):
        helpers.metropolis_chains(log_post, np.zeros(2), 10, 0.5, seed="abc")
    with pytest.raises(ValueError, match=r"shape \(n_chains, d\)"):
        helpers.metropolis_chains(log_post, np.zeros((3, 2, 1)), 10, 0.5, seed=1, vectorized=True)
    for bad in ({"jitter": 1.5}, {"target_accept": 0.0, "n_warmup": 5}):
        with pytest.raises(ValueError, match="jitter|target_accept"):
            helpers.hmc_chains(log_post, grad, np.zeros(2), 10, 0.1, 3, seed=1, vectorized=True, **bad)


def test_models_reject_bad_input():
    x, y = np.linspace(0, 1, 5), np.zeros(5)
    with pytest.raises(ValueError, match=r"beta must have shape \(2,\)"):
        linreg.log_posterior(np.zeros(3), x, y, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="sigma_d must be finite and > 0"):
        linreg.log_likelihood(np.zeros(2), x, y, 0.0)
    with pytest.raises(ValueError, match="equal length"):
        linreg.posterior_mean_cov(x, y[:3], 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="sigma0 must be finite and > 0"):
        linreg.posterior_mean_cov(x, y, 1.0, -1.0, 1.0)
    with pytest.raises(ValueError, match=r"3 \* n_hidden \+ 1"):
        bnn.forward(np.zeros(7), x, 3)
    with pytest.raises(ValueError, match="sigma_w must be finite and > 0"):
        bnn.log_posterior(np.zeros(10), x, y, 3, 0.1, 0.0)
    with pytest.raises(ValueError, match="n_hidden must be an integer >= 1"):
        bnn.n_weights(0)
    with pytest.raises(ValueError, match="numpy.random.Generator"):
        helpers.data.linear_regression_data(123)
    with pytest.raises(ValueError, match="level must be in"):
        helpers.bootstrap.percentile_interval(np.zeros((5, 2)), 1.5)
