"""Random-walk Metropolis and Metropolis-Hastings, as step functions and single-chain drivers.

A step is a pure function ``step(rng, state, ...) -> (state, info)``; the state caches the log
density of its position so that each step evaluates ``log_post`` once. The acceptance test is
done in log space: accept when ``log u < log alpha`` with

    log alpha = log_post(theta') - log_post(theta) + log q(theta | theta') - log q(theta' | theta),

where the ``q`` terms cancel for a symmetric proposal. A ``nan`` ratio is a rejection.
References: Metropolis et al. (1953); Hastings (1970).
"""

from typing import NamedTuple

import numpy as np

from . import loop as _loop
from ._checks import as_position, generator, positive, positive_int, start_log_density


class MetropolisState(NamedTuple):
    position: np.ndarray  # (d,) or (n_chains, d)
    log_density: np.ndarray  # () or (n_chains,)


class MetropolisInfo(NamedTuple):
    acceptance_prob: np.ndarray  # min(1, alpha)
    is_accepted: np.ndarray  # bool
    proposal: np.ndarray


def init(position, log_post):
    """State at ``position`` (its log density evaluated once)."""
    position = np.asarray(position, dtype=float)
    return MetropolisState(position, np.asarray(log_post(position), dtype=float))


def _accept(rng, state, proposal, log_density_new, log_ratio):
    log_ratio = np.where(np.isnan(log_ratio), -np.inf, log_ratio)
    u = rng.random(np.shape(state.log_density))
    with np.errstate(divide="ignore"):  # log(0) = -inf: never accepts, as it should
        accepted = np.log(u) < log_ratio
    new = MetropolisState(
        np.where(accepted[..., None], proposal, state.position),
        np.where(accepted, log_density_new, state.log_density),
    )
    return new, MetropolisInfo(np.exp(np.minimum(log_ratio, 0.0)), accepted, proposal)


def metropolis_step(rng, state, log_post, proposal_sd):
    """One random-walk Metropolis step with proposal ``N(theta, proposal_sd^2 I)``.

    Works on one chain (position (d,)) or a batch (position (n_chains, d), ``log_post`` mapping
    (n_chains, d) -> (n_chains,), ``rng`` a :class:`helpers.streams.ChainGenerators`).
    """
    proposal = state.position + proposal_sd * rng.standard_normal(state.position.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        lp = np.asarray(log_post(proposal), dtype=float)
        return _accept(rng, state, proposal, lp, lp - state.log_density)


def mh_step(rng, state, log_post, propose, log_q):
    """One Metropolis-Hastings step: ``propose(theta, rng)``, ``log_q(a, b) = log q(a | b)``."""
    proposal = np.asarray(propose(state.position, rng), dtype=float)
    if proposal.shape != state.position.shape:
        raise ValueError(f"propose returned shape {proposal.shape}, expected {state.position.shape}")
    with np.errstate(invalid="ignore", over="ignore"):
        lp = np.asarray(log_post(proposal), dtype=float)
        hastings = float(log_q(state.position, proposal)) - float(log_q(proposal, state.position))
        return _accept(rng, state, proposal, lp, lp - state.log_density + hastings)


def run(step, rng, state, n_steps, progress=False):
    """Iterate ``step(rng, state)`` ``n_steps`` times, recording every position
    (:func:`helpers.loop.run`; use that for the per-step info).

    Returns ``(samples, acceptance_rate, state)`` with samples of shape ``(n_steps, *position)``.
    """
    trace = _loop.run(step, rng, state, n_steps, progress)
    return trace.samples, trace.info.is_accepted.mean(axis=0), trace.state


def metropolis(log_post, theta0, n_steps, proposal_sd, rng, progress=False):
    """Random-walk Metropolis, one chain.

    Parameters
    ----------
    log_post : callable, (d,) -> float (may be ``-inf``)
    theta0 : array (d,)
        Start; not a row of the output.
    n_steps : int
    proposal_sd : float or array (d,), > 0
        Standard deviation of the Gaussian random-walk proposal.
    rng : numpy.random.Generator
    progress : bool
        Show a progress bar.

    Returns
    -------
    samples : ndarray, shape (n_steps, d)
        Row ``i`` is the state after step ``i``; a rejection repeats the current state.
    acceptance_rate : float
        Accepted proposals / ``n_steps``.
    """
    theta0 = as_position(theta0)
    proposal_sd = positive(proposal_sd, "proposal_sd")
    if proposal_sd.ndim and proposal_sd.shape != theta0.shape:
        raise ValueError(f"proposal_sd must be a scalar or shape {theta0.shape}, got {proposal_sd.shape}")
    n_steps = positive_int(n_steps, "n_steps")
    generator(rng)
    state = MetropolisState(theta0, start_log_density(log_post, theta0))
    samples, rate, _ = run(
        lambda r, s: metropolis_step(r, s, log_post, proposal_sd), rng, state, n_steps, progress
    )
    return samples, float(rate)


def metropolis_hastings(log_post, theta0, n_steps, propose, log_q, rng, progress=False):
    """Metropolis-Hastings with a general (possibly asymmetric) proposal, one chain.

    ``propose(theta, rng)`` returns a candidate of shape (d,); ``log_q(a, b)`` is the log density of
    proposing ``a`` from ``b``. Returns ``(samples (n_steps, d), acceptance_rate)`` as
    :func:`metropolis` does.
    """
    theta0 = as_position(theta0)
    n_steps = positive_int(n_steps, "n_steps")
    generator(rng)
    if not (callable(propose) and callable(log_q) and callable(log_post)):
        raise ValueError("log_post, propose and log_q must be callables")
    state = MetropolisState(theta0, start_log_density(log_post, theta0))
    samples, rate, _ = run(
        lambda r, s: mh_step(r, s, log_post, propose, log_q), rng, state, n_steps, progress
    )
    return samples, float(rate)
