"""helpers.diagnostics agrees with ArviZ 0.23 (the reference definitions) to 1e-6 relative."""

import warnings

import numpy as np
import pytest

from helpers import diagnostics

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import arviz as az

SEED = 20261124


def ar1(rng, n_chains, n_draws, phi, shift=0.0):
    x = np.zeros((n_chains, n_draws))
    eps = rng.standard_normal((n_chains, n_draws))
    for t in range(1, n_draws):
        x[:, t] = phi * x[:, t - 1] + eps[:, t]
    return x + shift


def arrays():
    rng = np.random.default_rng(SEED)
    yield "iid", rng.standard_normal((4, 1000))
    yield "ar1 odd length", ar1(rng, 4, 999, 0.9)
    yield "ar1 two chains", ar1(rng, 2, 500, 0.5)
    yield "unmixed chains", ar1(rng, 4, 400, 0.95) + np.arange(4)[:, None]
    yield "heavy tails", rng.standard_t(2, size=(3, 800))
    yield "ties", np.round(rng.standard_normal((4, 300)), 1)
    yield "antithetic", np.cumprod(-np.ones((4, 600)), axis=1) * 0.5 + 0.1 * rng.standard_normal((4, 600))


@pytest.mark.parametrize("name,x", list(arrays()))
def test_matches_arviz(name, x):
    ours = {
        "rhat": diagnostics.rhat(x),
        "ess_bulk": diagnostics.ess_bulk(x),
        "ess_tail": diagnostics.ess_tail(x),
        "mcse_mean": diagnostics.mcse_mean(x),
    }
    ref = {
        "rhat": float(az.rhat(x)),
        "ess_bulk": float(az.ess(x, method="bulk")),
        "ess_tail": float(az.ess(x, method="tail")),
        "mcse_mean": float(az.mcse(x, method="mean")),
    }
    for key in ours:
        assert ours[key] == pytest.approx(ref[key], rel=1e-6), (name, key, ours[key], ref[key])


def test_autocorr_of_ar1_decays_geometrically():
    x = ar1(np.random.default_rng(SEED), 8, 20_000, 0.7)
    rho = diagnostics.autocorr(x).mean(axis=0)
    assert rho[0] == pytest.approx(1.0)
    # sd of a lag-k autocorrelation estimate from 160,000 draws is about 0.005.
    assert np.allclose(rho[1:4], 0.7 ** np.arange(1, 4), atol=0.03)


def test_summary_rows():
    rows = diagnostics.summary(np.random.default_rng(SEED).standard_normal((4, 500, 2)), ["a", "b"])
    assert [r["name"] for r in rows] == ["a", "b"] and all(r["rhat"] < 1.02 for r in rows)


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match=r"\(n_chains, n_draws\)"):
        diagnostics.rhat(np.zeros(10))
    with pytest.raises(ValueError, match="at least 2 chain"):
        diagnostics.rhat(np.zeros((1, 10)))
    with pytest.raises(ValueError, match="at least 4 draws"):
        diagnostics.ess_bulk(np.zeros((2, 3)))
