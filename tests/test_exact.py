"""Exact tier: gradients, normalised log densities, the conjugate posterior, the leapfrog map."""

import numpy as np
import pytest
from scipy import stats

import helpers
from helpers import bnn, linreg
from helpers.bootstrap import fit_line, pairs_bootstrap, percentile_interval

SEED = 20261124


def finite_difference(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e[k] = h
        g[k] = (f(x + e) - f(x - e)) / (2 * h)
    return g


@pytest.fixture(scope="module")
def reg_data():
    return helpers.data.linear_regression_data(np.random.default_rng(SEED), n=50, sigma_d=1.7)


def test_linreg_log_densities_match_scipy(reg_data):
    x, y = reg_data
    beta = np.array([0.3, -1.2])
    ref_prior = stats.norm(0, 2.5).logpdf(0.3) + stats.norm(0, 0.7).logpdf(-1.2)
    ref_lik = stats.norm(beta[0] + beta[1] * x, 1.7).logpdf(y).sum()
    assert linreg.log_prior(beta, 2.5, 0.7) == pytest.approx(ref_prior, rel=1e-12)
    assert linreg.log_likelihood(beta, x, y, 1.7) == pytest.approx(ref_lik, rel=1e-12)
    lp, _ = linreg.make_log_post(x, y, 1.7, 2.5, 0.7)
    assert lp(beta) == pytest.approx(ref_prior + ref_lik, rel=1e-10)
    batch = np.array([beta, beta * 2])
    assert lp(batch)[0] == pytest.approx(ref_prior + ref_lik, rel=1e-10)
    assert linreg.log_posterior(batch, x, y, 1.7, 2.5, 0.7)[1] == pytest.approx(lp(beta * 2), rel=1e-10)


def test_linreg_gradient_matches_finite_differences(reg_data):
    x, y = reg_data
    lp, grad = linreg.make_log_post(x, y, 1.7, 2.5, 0.7)
    beta = np.array([0.4, 1.1])
    fd = finite_difference(lp, beta)
    assert np.allclose(grad(beta), fd, rtol=1e-6, atol=1e-6)
    assert np.allclose(linreg.grad_log_posterior(beta, x, y, 1.7, 2.5, 0.7), fd, rtol=1e-6, atol=1e-6)


def test_conjugate_posterior_matches_brute_force_grid(reg_data):
    x, y = reg_data
    mean, cov = linreg.posterior_mean_cov(x, y, 1.7, 2.5, 0.7)
    sd = np.sqrt(np.diag(cov))
    # A grid of +-8 sd with 401 points a side: quadrature error far below the 1e-4 tolerance.
    g0 = np.linspace(mean[0] - 8 * sd[0], mean[0] + 8 * sd[0], 401)
    g1 = np.linspace(mean[1] - 8 * sd[1], mean[1] + 8 * sd[1], 401)
    b = np.stack(np.meshgrid(g0, g1, indexing="ij"), axis=-1)
    lp = linreg.log_posterior(b, x, y, 1.7, 2.5, 0.7)
    w = np.exp(lp - lp.max())
    w /= w.sum()
    grid_mean = np.array([(w * b[..., 0]).sum(), (w * b[..., 1]).sum()])
    centred = b - grid_mean
    grid_cov = np.einsum("ij,ijk,ijl->kl", w, centred, centred)
    assert np.allclose(grid_mean, mean, atol=1e-4 * sd.max())
    assert np.allclose(grid_cov, cov, rtol=1e-4, atol=1e-8)


def test_posterior_predictive_matches_draws(reg_data):
    x, y = reg_data
    mean, cov = linreg.posterior_mean_cov(x, y, 1.7, 2.5, 0.7)
    grid = np.array([-2.0, 0.0, 3.0])
    m, s = linreg.posterior_predictive(grid, mean, cov)
    X = np.column_stack([np.ones(3), grid])
    assert np.allclose(m, X @ mean)
    assert np.allclose(s**2, np.diag(X @ cov @ X.T))
    _, s_noise = linreg.posterior_predictive(grid, mean, cov, sigma_d=1.7)
    assert np.allclose(s_noise**2, s**2 + 1.7**2)


@pytest.mark.parametrize("n_hidden", [1, 3, 5])
def test_bnn_log_posterior_matches_scipy_and_gradient(n_hidden):
    rng = np.random.default_rng(SEED + n_hidden)
    x, y = helpers.data.bnn_data(rng, n=40)
    w = rng.normal(size=bnn.n_weights(n_hidden))
    w_in, c, v, d = w[:n_hidden], w[n_hidden:2 * n_hidden], w[2 * n_hidden:3 * n_hidden], w[-1]
    f = np.array([sum(v[j] * np.sin(w_in[j] * xi + c[j]) for j in range(n_hidden)) + d for xi in x])
    assert np.allclose(bnn.forward(w, x, n_hidden), f, rtol=1e-12)
    ref = stats.norm(f, 0.3).logpdf(y).sum() + stats.norm(0, 1.5).logpdf(w).sum()
    assert bnn.log_posterior(w, x, y, n_hidden, 0.3, 1.5) == pytest.approx(ref, rel=1e-12)
    lp, grad = bnn.make_log_post(x, y, n_hidden, 0.3, 1.5)
    assert lp(w) == pytest.approx(ref, rel=1e-12)
    assert np.allclose(grad(w), finite_difference(lp, w), rtol=1e-5, atol=1e-5)
    batch = np.stack([w, -w])
    assert np.allclose(grad(batch)[1], grad(-w)) and np.allclose(lp(batch)[1], lp(-w))


def test_bnn_predictive_is_mean_and_sd_of_network_outputs():
    rng = np.random.default_rng(SEED)
    draws = rng.normal(size=(30, bnn.n_weights(2)))
    grid = np.linspace(-2, 2, 7)
    m, s = bnn.posterior_predictive(draws, grid, 2)
    f = np.stack([bnn.forward(w, grid, 2) for w in draws])
    assert np.allclose(m, f.mean(0)) and np.allclose(s, f.std(0))


def test_bootstrap_pieces():
    rng = np.random.default_rng(SEED)
    x, y = helpers.data.linear_regression_data(rng, n=30)
    assert np.allclose(fit_line(x, y), np.polyfit(x, y, 1)[::-1])
    with pytest.raises(ValueError, match="two distinct"):
        fit_line(np.ones(5), np.arange(5.0))
    boots = pairs_bootstrap(x, y, 200, np.random.default_rng(1))
    assert boots.shape == (200, 2)
    assert np.array_equal(boots, pairs_bootstrap(x, y, 200, np.random.default_rng(1)))
    # If y is an exact line in x, every resample of pairs refits the same line.
    exact = pairs_bootstrap(x, 1.0 + 2.0 * x, 50, rng)
    assert np.allclose(exact, [1.0, 2.0])
    iv = percentile_interval(boots, 0.9)
    assert iv.shape == (2, 2) and np.allclose(iv, np.quantile(boots, [0.05, 0.95], axis=0))


def leapfrog_target():
    prec = np.linalg.inv(np.array([[1.0, 0.8], [0.8, 2.0]]))
    return (lambda q: -0.5 * q @ prec @ q), (lambda q: -prec @ q)


def test_leapfrog_is_reversible_and_leaves_inputs_alone():
    log_post, grad = leapfrog_target()
    q0, p0 = np.array([1.0, -0.5]), np.array([0.3, 0.9])
    q_in, p_in = q0.copy(), p0.copy()
    q1, p1 = helpers.leapfrog(q0, p0, grad, 0.1, 25)
    assert np.array_equal(q0, q_in) and np.array_equal(p0, p_in)
    q2, p2 = helpers.leapfrog(q1, -p1, grad, 0.1, 25)
    assert np.allclose(q2, q0, atol=1e-12) and np.allclose(-p2, p0, atol=1e-12)


def test_leapfrog_energy_error_shrinks_fourfold_when_step_halves():
    log_post, grad = leapfrog_target()
    q0, p0 = np.array([1.0, -0.5]), np.array([0.3, 0.9])

    def energy_error(step):
        q, p = helpers.leapfrog(q0, p0, grad, step, int(round(2.0 / step)))
        return abs((-log_post(q) + p @ p / 2) - (-log_post(q0) + p0 @ p0 / 2))

    ratios = [energy_error(s) / energy_error(s / 2) for s in (0.1, 0.05, 0.025)]
    # Global error O(step^2): each halving divides it by 4 (within higher-order terms).
    assert all(3.5 < r < 4.5 for r in ratios), ratios


def test_leapfrog_agrees_with_the_exact_linear_map():
    """On a Gaussian with precision A, one leapfrog step is the linear map
    [[I - h^2 A/2, h I], [-h A + h^3 A^2/4, I - h^2 A/2]]."""
    _, grad = leapfrog_target()
    A = np.linalg.inv(np.array([[1.0, 0.8], [0.8, 2.0]]))
    h, eye = 0.2, np.eye(2)
    M = np.block([[eye - h**2 * A / 2, h * eye], [-h * A + h**3 * A @ A / 4, eye - h**2 * A / 2]])
    z = np.array([1.0, -0.5, 0.3, 0.9])
    for _ in range(3):
        z = M @ z
    q, p = helpers.leapfrog(np.array([1.0, -0.5]), np.array([0.3, 0.9]), grad, h, 3)
    assert np.allclose(np.concatenate([q, p]), z, rtol=1e-12, atol=1e-12)


def test_integrators_share_one_signature_and_only_leapfrog_is_reversible_and_volume_preserving():
    """Both integrators take ``(q, p, grad_q, grad_log_post, step, n, inv_mass)``; flipping the
    momentum and integrating back returns leapfrog to its start (to rounding) but not Euler, and
    the map's Jacobian determinant is 1 for leapfrog and ``(1 + h^2 w^2)^n`` for Euler on
    N(0, 1/w^2) (w = 2, h = 0.1, n = 20: 1.04^20 = 2.19)."""
    from helpers.integrators import INTEGRATORS, euler, velocity_verlet

    assert INTEGRATORS == {"leapfrog": velocity_verlet, "euler": euler}
    _, grad = leapfrog_target()
    q0, p0 = np.array([1.0, -0.5]), np.array([0.3, 0.9])
    back = {}
    for name, integ in INTEGRATORS.items():
        q1, p1, g1 = integ(q0, p0, grad(q0), grad, 0.1, 25)
        assert np.allclose(g1, grad(q1))
        q2, p2, _ = integ(q1, -p1, g1, grad, 0.1, 25)
        back[name] = np.abs(np.concatenate([q2 - q0, p2 + p0])).max()
    assert back["leapfrog"] < 1e-12 and back["euler"] > 1e-2, back

    w, h, n = 2.0, 0.1, 20

    def flow(integ, z):
        q, p, _ = integ(z[:1], z[1:], -w**2 * z[:1], lambda q: -w**2 * q, h, n)
        return np.concatenate([q, p])

    for integ, want in ((velocity_verlet, 1.0), (euler, (1 + h**2 * w**2) ** n)):
        z0, eps = np.array([0.7, -0.2]), 1e-6
        J = np.column_stack([(flow(integ, z0 + eps * e) - flow(integ, z0 - eps * e)) / (2 * eps)
                             for e in np.eye(2)])
        assert np.isclose(np.linalg.det(J), want, rtol=1e-6), (integ.__name__, np.linalg.det(J))


def test_run_loop_keeps_every_steps_info_and_the_wrappers_agree_with_it():
    """``helpers.loop.run`` stacks each step's info; ``mh.run`` and ``hamiltonian.run`` are thin
    wrappers whose acceptance and divergence counts are those of the stacked info, drawn from the
    same stream (same samples)."""
    from helpers import hamiltonian, loop, mh

    log_post, grad = leapfrog_target()
    state = mh.init(np.array([0.5, 0.5]), log_post)
    trace = loop.run(lambda r, s: mh.metropolis_step(r, s, log_post, 0.8), np.random.default_rng(1),
                     state, 300)
    samples, rate, _ = mh.run(lambda r, s: mh.metropolis_step(r, s, log_post, 0.8),
                              np.random.default_rng(1), state, 300)
    assert trace.info.is_accepted.shape == (300,) and trace.info.proposal.shape == (300, 2)
    assert np.array_equal(trace.samples, samples) and rate == trace.info.is_accepted.mean()
    hstate = hamiltonian.init(np.array([0.5, 0.5]), log_post, grad)
    t = hamiltonian.run_trace(np.random.default_rng(2), hstate, log_post, grad, 0.3, 5, 200)
    s2, r2, ndiv, _ = hamiltonian.run(np.random.default_rng(2), hstate, log_post, grad, 0.3, 5, 200)
    assert np.array_equal(t.samples, s2) and r2 == t.info.is_accepted.mean()
    assert ndiv == t.info.is_divergent.sum() == 0
    assert t.info.energy.shape == t.info.delta_energy.shape == (200,)
    # The energy error of an accepted leapfrog proposal is small, and acceptance = min(1, e^-dH).
    assert np.allclose(t.info.acceptance_prob, np.exp(-np.maximum(t.info.delta_energy, 0.0)))


def test_hmc_chains_report_divergences_per_chain_on_a_stiff_target():
    """On N(0, diag(1, 0.01^2)) leapfrog is unstable for step > 2 * 0.01: with step 0.05 every
    trajectory blows up, so every transition is divergent and rejected; with step 0.005 none is.
    Both driver paths (batched and one chain at a time) report the same counts."""
    sd = np.array([1.0, 0.01])

    def log_post(q):
        return -0.5 * ((q / sd) ** 2).sum(axis=-1)

    def grad(q):
        return -q / sd**2

    for vectorized in (True, False):
        _, rate, info = helpers.hmc_chains(log_post, grad, [0.1, 0.001], 50, 0.05, 20, 3,
                                           n_chains=3, vectorized=vectorized, return_info=True)
        assert np.array_equal(info["n_divergent"], [50, 50, 50]) and np.all(rate == 0)
        assert info["trace"].is_divergent.shape == (3, 50)
        _, _, ok = helpers.hmc_chains(log_post, grad, [0.1, 0.001], 50, 0.005, 20, 3, n_chains=3,
                                      vectorized=vectorized, return_info=True)
        assert np.array_equal(ok["n_divergent"], [0, 0, 0])


@pytest.mark.parametrize("driver", ["metropolis", "hmc"])
def test_batched_target_of_the_wrong_shape_is_a_clear_error(driver):
    """A one-chain target (a scalar for the whole batch) given to vectorized=True."""
    def scalar_log_post(q):
        return -0.5 * float(np.sum(q * q))

    def grad(q):
        return -q

    with pytest.raises(ValueError, match=r"log_post to map .* to shape \(4,\).*returned shape \(\)"):
        if driver == "metropolis":
            helpers.metropolis_chains(scalar_log_post, [0.0, 0.0], 10, 0.5, 1, vectorized=True)
        else:
            helpers.hmc_chains(scalar_log_post, grad, [0.0, 0.0], 10, 0.1, 3, 1, vectorized=True)
    if driver == "hmc":
        with pytest.raises(ValueError, match=r"grad_log_post .* returned shape \(2,\)"):
            helpers.hmc_chains(lambda q: -0.5 * (q * q).sum(-1), lambda q: -q[0], [0.0, 0.0], 10,
                               0.1, 3, 1, vectorized=True)


def test_unknown_integrator_is_a_clear_error():
    _, grad = leapfrog_target()
    with pytest.raises(ValueError, match="integrator must be one of"):
        helpers.hmc(lambda q: -0.5 * q @ q, grad, [0.0, 0.0], 10, 0.1, 3, np.random.default_rng(0),
                    integrator="rk4")
