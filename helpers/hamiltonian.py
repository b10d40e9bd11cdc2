"""Hamiltonian Monte Carlo with a fixed number of leapfrog steps, and its warm-up.

One step: draw a fresh momentum ``p ~ N(0, M)``, integrate ``n_leapfrog`` leapfrog steps, accept
the end point with probability ``min(1, exp(-(H_new - H_old)))``, where
``H(q, p) = -log_post(q) + p^T M^-1 p / 2``. The state caches the log density and its gradient.

Warm-up (optional) tunes the step size by dual averaging towards a target acceptance rate
(Hoffman & Gelman 2014, section 3.2) and a diagonal inverse mass matrix ``M^-1`` from the
variance of the draws in doubling windows, as Stan does. References: Duane et al. (1987);
Neal (2011), "MCMC using Hamiltonian dynamics".
"""

from typing import NamedTuple

import numpy as np

from . import loop as _loop
from . import progress as _progress
from ._checks import as_position, generator, positive, positive_int, start_log_density
from .integrators import INTEGRATORS, velocity_verlet

DIVERGENCE = 1000.0  # an energy error this large means the integrator blew up


class HMCState(NamedTuple):
    position: np.ndarray  # (d,) or (n_chains, d)
    log_density: np.ndarray  # () or (n_chains,)
    grad_log_density: np.ndarray  # like position


class HMCInfo(NamedTuple):
    acceptance_prob: np.ndarray
    is_accepted: np.ndarray
    is_divergent: np.ndarray
    energy: np.ndarray  # H at the proposal
    delta_energy: np.ndarray  # H_new - H_old (nan replaced by inf)


def init(position, log_post, grad_log_post):
    position = np.asarray(position, dtype=float)
    return HMCState(
        position,
        np.asarray(log_post(position), dtype=float),
        np.asarray(grad_log_post(position), dtype=float),
    )


def _per_chain(value):
    """A scalar, or one value per chain made to broadcast against positions (n_chains, d)."""
    if np.ndim(value) == 1:
        return np.asarray(value, dtype=float)[:, None]
    return value


def check_jitter(jitter):
    if not (isinstance(jitter, (int, float, np.floating)) and 0.0 <= jitter < 1.0):
        raise ValueError(f"jitter must be a number in [0, 1), got {jitter!r}")
    return float(jitter)


def check_target_accept(target_accept):
    if not 0.0 < target_accept < 1.0:
        raise ValueError(f"target_accept must be in (0, 1), got {target_accept}")
    return target_accept


def kinetic_energy(p, inv_mass=1.0):
    """``p^T M^-1 p / 2`` over the last axis."""
    return 0.5 * (p * p * inv_mass).sum(axis=-1)


def check_integrator(integrator):
    """An integrator function, or its name in :data:`helpers.integrators.INTEGRATORS`."""
    if isinstance(integrator, str):
        if integrator not in INTEGRATORS:
            raise ValueError(f"integrator must be one of {sorted(INTEGRATORS)} or a function, "
                             f"got {integrator!r}")
        return INTEGRATORS[integrator]
    if not callable(integrator):
        raise ValueError(f"integrator must be a function or a name, got {integrator!r}")
    return integrator


def hmc_step(rng, state, log_post, grad_log_post, step_size, n_leapfrog, inv_mass=1.0, jitter=0.0,
             integrator=velocity_verlet):
    """One HMC transition. ``step_size``: scalar or (n_chains,); ``inv_mass``: scalar, (d,) or
    (n_chains, d). Returns ``(state, info)``.

    ``integrator`` has the signature of :func:`helpers.integrators.velocity_verlet` (leapfrog,
    the default); :func:`helpers.integrators.euler` there shows what a non-symplectic one breaks.
    The acceptance ``min(1, e^{-dH})`` is exact for leapfrog because the joint density of
    ``(q, p)`` is ``e^{-H}``, the map followed by a momentum flip is its own inverse, and it
    preserves volume; the flip itself is not applied since the next step redraws ``p``.

    ``jitter`` in [0, 1) draws this transition's step uniformly from ``step_size * (1 +- jitter)``
    (Neal 2011, section 5.4.2.2): a fixed trajectory length can be close to a period of the
    dynamics in some direction, and then the chain barely moves there (or only flips sign).
    """
    q0 = state.position
    p0 = rng.standard_normal(q0.shape) / np.sqrt(inv_mass)  # fresh momentum ~ N(0, M)
    if jitter:
        step_size = step_size * (1.0 + jitter * (2.0 * rng.random(np.shape(state.log_density)) - 1.0))
    eps = _per_chain(step_size)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        q1, p1, g1 = integrator(
            q0, p0, state.grad_log_density, grad_log_post, eps, n_leapfrog, inv_mass
        )
        lp1 = np.asarray(log_post(q1), dtype=float)
        h0 = -state.log_density + kinetic_energy(p0, inv_mass)
        h1 = -lp1 + kinetic_energy(p1, inv_mass)
        delta = np.where(np.isnan(h1 - h0), np.inf, h1 - h0)
        u = rng.random(np.shape(state.log_density))
        accepted = np.log(u) < -delta
    new = HMCState(
        np.where(accepted[..., None], q1, q0),
        np.where(accepted, lp1, state.log_density),
        np.where(accepted[..., None], g1, state.grad_log_density),
    )
    info = HMCInfo(np.exp(-np.maximum(delta, 0.0)), accepted, delta > DIVERGENCE, h1, delta)
    return new, info


class DualAveraging(NamedTuple):
    """Dual-averaging state for ``log step_size`` (Hoffman & Gelman 2014, algorithm 5)."""

    log_step: np.ndarray
    log_step_avg: np.ndarray
    h_avg: np.ndarray
    mu: np.ndarray
    t: int


def dual_averaging_init(step_size):
    log_step = np.log(np.asarray(step_size, dtype=float))
    zero = np.zeros_like(log_step)
    return DualAveraging(log_step, zero, zero, np.log(10.0) + log_step, 0)


def dual_averaging_update(da, acceptance_prob, target, gamma=0.05, t0=10.0, kappa=0.75):
    """Move ``log step_size`` so that the mean acceptance probability approaches ``target``."""
    t = da.t + 1
    w = 1.0 / (t + t0)
    h_avg = (1.0 - w) * da.h_avg + w * (target - acceptance_prob)
    log_step = da.mu - np.sqrt(t) / gamma * h_avg
    eta = t**-kappa
    return DualAveraging(log_step, eta * log_step + (1.0 - eta) * da.log_step_avg, h_avg, da.mu, t)


def warmup_windows(n_warmup):
    """Stan's schedule: a fast start (step size only), doubling slow windows (mass matrix), a
    fast end. Returns the list of ``(start, end)`` slow windows."""
    init_buffer, term_buffer, base = 75, 50, 25
    if n_warmup < 150:  # Stan's fallback proportions for short warm-ups
        init_buffer, term_buffer = int(0.15 * n_warmup), int(0.1 * n_warmup)
        base = n_warmup - init_buffer - term_buffer
    windows, start, size = [], init_buffer, base
    end_slow = n_warmup - term_buffer
    while start < end_slow:
        end = start + size
        if end + 2 * size > end_slow:  # the next window would not fit: stretch this one
            end = end_slow
        windows.append((start, end))
        start, size = end, 2 * size
    return windows


def warmup(rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_warmup,
           target_accept=0.8, adapt_mass=False, progress=False, jitter=0.0,
           integrator=velocity_verlet):
    """Run ``n_warmup`` adapting HMC steps; return ``(state, step_size, inv_mass)`` to sample with.

    Works for one chain or a batch (each chain adapts its own step size and mass matrix).
    """
    return _warmup(rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_warmup,
                   target_accept, adapt_mass, progress, jitter, integrator)[:3]


def _warmup(rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_warmup,
            target_accept, adapt_mass, progress, jitter, integrator):
    """:func:`warmup`, also returning the mean acceptance probability over its steps."""
    batch = np.shape(state.log_density)
    d = state.position.shape[-1]
    step = np.broadcast_to(np.asarray(step_size, dtype=float), batch).copy()
    inv_mass = np.ones(state.position.shape)
    da = dual_averaging_init(step)
    windows = dict(warmup_windows(n_warmup)) if adapt_mass else {}
    window_end, window_draws = None, []
    acc_sum = np.zeros(batch)
    for i in _progress.steps(n_warmup, progress, desc="warm-up"):
        state, info = hmc_step(rng, state, log_post, grad_log_post, np.exp(da.log_step),
                               n_leapfrog, inv_mass, jitter, integrator)
        acc_sum += info.acceptance_prob
        da = dual_averaging_update(da, info.acceptance_prob, target_accept)
        if i in windows:
            window_end, window_draws = windows[i], []
        if window_end is not None:
            window_draws.append(state.position)
            if i + 1 == window_end:
                n = len(window_draws)
                var = np.var(np.stack(window_draws), axis=0)
                # Stan's regularisation towards 1e-3, so a short window cannot give zero mass
                inv_mass = (n / (n + 5.0)) * var + 1e-3 * (5.0 / (n + 5.0))
                inv_mass = inv_mass.reshape(state.position.shape[:-1] + (d,))
                da = dual_averaging_init(np.exp(da.log_step))  # restart for the new metric
                window_end = None
    final_step = np.exp(da.log_step_avg) if da.t > 0 else step
    return state, final_step, inv_mass, acc_sum / max(n_warmup, 1)


def run_trace(rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_steps, inv_mass=1.0,
              progress=False, jitter=0.0, integrator=velocity_verlet):
    """``n_steps`` HMC transitions through :func:`helpers.loop.run`; returns its ``Trace``
    (samples, the stacked :class:`HMCInfo` of every step, the last state)."""
    def step(r, s):
        return hmc_step(r, s, log_post, grad_log_post, step_size, n_leapfrog, inv_mass, jitter,
                        integrator)
    return _loop.run(step, rng, state, n_steps, progress)


def run(rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_steps, inv_mass=1.0,
        progress=False, jitter=0.0, integrator=velocity_verlet):
    """``n_steps`` HMC transitions; returns ``(samples, acceptance_rate, n_divergent, state)``."""
    trace = run_trace(rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_steps,
                      inv_mass, progress, jitter, integrator)
    info = trace.info
    return trace.samples, info.is_accepted.mean(axis=0), info.is_divergent.sum(axis=0), trace.state


def hmc(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, rng, *,
        n_warmup=0, target_accept=0.8, adapt_mass=False, jitter=0.0, progress=False,
        return_info=False, integrator="leapfrog"):
    """Hamiltonian Monte Carlo, one chain (identity mass unless ``adapt_mass``).

    Parameters
    ----------
    log_post : callable, (d,) -> float
    grad_log_post : callable, (d,) -> (d,)
    theta0 : array (d,)
    n_steps : int
        Number of recorded transitions (after any warm-up).
    step_size : float > 0
        Leapfrog step; the starting value of the adaptation when ``n_warmup > 0``.
    n_leapfrog : int >= 1
    rng : numpy.random.Generator
    n_warmup : int, optional
        Adapting transitions run first and discarded (step size by dual averaging).
    target_accept : float in (0, 1)
        Acceptance probability the step-size adaptation aims for.
    adapt_mass : bool
        Also adapt a diagonal inverse mass matrix during warm-up.
    jitter : float in [0, 1)
        Draw each transition's step uniformly from ``step_size * (1 +- jitter)``; 0 (the
        contract's fixed step) by default.
    return_info : bool
        Also return a dict: the ``step_size`` and ``inv_mass`` used, ``n_divergent`` (sampling
        transitions whose energy error exceeded ``DIVERGENCE``), ``warmup_acceptance`` (mean
        acceptance probability over the warm-up, nan without one) and ``trace``, the
        :class:`HMCInfo` of every sampling transition stacked to (n_steps,).
    integrator : "leapfrog" (default), "euler", or a function with their signature

    Returns
    -------
    samples : ndarray, shape (n_steps, d)
    acceptance_rate : float
    """
    theta0 = as_position(theta0)
    step_size = float(positive(step_size, "step_size"))
    n_leapfrog = positive_int(n_leapfrog, "n_leapfrog")
    n_steps = positive_int(n_steps, "n_steps")
    n_warmup = positive_int(n_warmup, "n_warmup", minimum=0)
    check_target_accept(target_accept)
    check_jitter(jitter)
    integrator = check_integrator(integrator)
    generator(rng)
    lp0 = start_log_density(log_post, theta0)
    g0 = np.asarray(grad_log_post(theta0), dtype=float)
    if g0.shape != theta0.shape or not np.all(np.isfinite(g0)):
        raise ValueError(f"grad_log_post at the start must be finite with shape {theta0.shape}")
    state = HMCState(theta0, lp0, g0)
    inv_mass = np.ones_like(theta0)
    warm_acc = np.nan
    if n_warmup:
        state, step_size, inv_mass, warm_acc = _warmup(
            rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_warmup, target_accept,
            adapt_mass, progress, jitter, integrator)
    trace = run_trace(rng, state, log_post, grad_log_post, step_size, n_leapfrog, n_steps,
                      inv_mass, progress, jitter, integrator)
    rate = trace.info.is_accepted.mean()
    if return_info:
        info = {"step_size": float(step_size), "inv_mass": inv_mass,
                "n_divergent": int(trace.info.is_divergent.sum()),
                "warmup_acceptance": float(warm_acc), "trace": trace.info}
        return trace.samples, float(rate), info
    return trace.samples, float(rate)
