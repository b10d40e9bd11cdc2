"""Several chains at once, each with its own generator spawned from one seed.

``vectorized=True`` advances all chains together with one call of ``log_post`` on an
``(n_chains, d)`` array per step (the target must accept a batch, as ``helpers.linreg`` and
``helpers.bnn`` densities do). Chain ``k`` draws from generator ``k`` in the same order either
way, so the two paths give the same chains, up to floating-point rounding in a batched target
(which the dynamics of a long run, and the large early steps of a warm-up, can amplify).
"""

import numpy as np

from . import hamiltonian as _hmc
from . import loop as _loop
from . import mh as _mh
from ._checks import as_position, positive, positive_int, start_log_density
from .streams import ChainGenerators, spawn_generators


def _starts(theta0, n_chains):
    theta0 = np.asarray(theta0, dtype=float)
    if theta0.ndim == 1:
        theta0 = np.tile(theta0, (n_chains, 1))
    return as_position(theta0, "theta0", batched=True)


def batched_start(log_post, starts, grad_log_post=None):
    """Evaluate a batched target at the starts (n_chains, d), checking what it returns.

    ``log_post`` must map (n_chains, d) to (n_chains,) and ``grad_log_post`` to (n_chains, d); a
    target written for one chain often returns a scalar or (n_chains, n_chains) instead, which
    would broadcast silently into wrong chains, so that is a ValueError here.
    """
    n_chains, d = starts.shape
    lp = np.asarray(log_post(starts), dtype=float)
    if lp.shape != (n_chains,):
        raise ValueError(
            f"vectorized=True needs log_post to map an array (n_chains, d) = {starts.shape} to "
            f"shape ({n_chains},), one log density per chain; it returned shape {lp.shape}. "
            "Make it batched (sum over the last axis) or pass vectorized=False")
    lp = start_log_density(log_post, starts)
    if grad_log_post is None:
        return lp, None
    g = np.asarray(grad_log_post(starts), dtype=float)
    if g.shape != starts.shape:
        raise ValueError(
            f"vectorized=True needs grad_log_post to map (n_chains, d) = {starts.shape} to the "
            f"same shape; it returned shape {g.shape}")
    return lp, g


def run_chains(sampler, theta0, seed, n_chains=4, **kwargs):
    """Run ``sampler(theta0=..., rng=..., **kwargs)`` once per chain, one after another.

    ``sampler`` is any single-chain function of the contract (``metropolis``, ``hmc``, ...);
    ``theta0`` is (d,) for a common start or (n_chains, d).

    Returns
    -------
    samples : ndarray, shape (n_chains, n_draws, d)
    acceptance_rate : ndarray, shape (n_chains,)
    """
    n_chains = positive_int(n_chains, "n_chains")
    starts = _starts(theta0, n_chains)
    gens = spawn_generators(seed, n_chains)
    runs = [sampler(theta0=t, rng=g, **kwargs) for t, g in zip(starts, gens, strict=True)]
    return np.stack([r[0] for r in runs]), np.array([r[1] for r in runs])


def metropolis_chains(log_post, theta0, n_steps, proposal_sd, seed, n_chains=4,
                      vectorized=False, progress=False):
    """Random-walk Metropolis on ``n_chains`` chains; see :func:`helpers.mh.metropolis`.

    Returns ``samples (n_chains, n_steps, d)`` and ``acceptance_rate (n_chains,)``.
    """
    if not vectorized:
        return run_chains(_mh.metropolis, theta0, seed, n_chains, log_post=log_post,
                          n_steps=n_steps, proposal_sd=proposal_sd, progress=progress)
    n_chains = positive_int(n_chains, "n_chains")
    starts = _starts(theta0, n_chains)
    proposal_sd = positive(proposal_sd, "proposal_sd")
    rng = ChainGenerators(spawn_generators(seed, n_chains))
    state = _mh.MetropolisState(starts, batched_start(log_post, starts)[0])
    samples, rate, _ = _mh.run(lambda r, s: _mh.metropolis_step(r, s, log_post, proposal_sd),
                               rng, state, positive_int(n_steps, "n_steps"), progress)
    return samples.swapaxes(0, 1), rate


def hmc_chains(log_post, grad_log_post, theta0, n_steps, step_size, n_leapfrog, seed,
               n_chains=4, vectorized=False, n_warmup=0, target_accept=0.8, adapt_mass=False,
               jitter=0.0, progress=False, return_info=False, integrator="leapfrog"):
    """HMC on ``n_chains`` chains (each adapting its own step size and mass in warm-up).

    Returns ``samples (n_chains, n_steps, d)`` and ``acceptance_rate (n_chains,)``; with
    ``return_info`` also a dict of per-chain arrays: ``n_divergent (n_chains,)``, ``step_size
    (n_chains,)``, ``warmup_acceptance (n_chains,)`` (nan without warm-up) and ``trace``, the
    :class:`helpers.hamiltonian.HMCInfo` of every sampling step with fields (n_chains, n_steps).
    """
    kwargs = dict(n_warmup=n_warmup, target_accept=target_accept, adapt_mass=adapt_mass,
                  jitter=jitter, progress=progress, integrator=integrator)
    if not vectorized:
        n_chains = positive_int(n_chains, "n_chains")
        starts = _starts(theta0, n_chains)
        gens = spawn_generators(seed, n_chains)
        runs = [_hmc.hmc(log_post, grad_log_post, t, n_steps, step_size, n_leapfrog, g,
                         return_info=True, **kwargs) for t, g in zip(starts, gens, strict=True)]
        samples, rate = np.stack([r[0] for r in runs]), np.array([r[1] for r in runs])
        if not return_info:
            return samples, rate
        infos = [r[2] for r in runs]
        trace = _loop.stack_infos([i["trace"] for i in infos])  # fields (n_chains, n_steps)
        return samples, rate, {
            "n_divergent": np.array([i["n_divergent"] for i in infos]),
            "step_size": np.array([i["step_size"] for i in infos]),
            "warmup_acceptance": np.array([i["warmup_acceptance"] for i in infos]),
            "trace": trace}
    n_chains = positive_int(n_chains, "n_chains")
    starts = _starts(theta0, n_chains)
    step = float(positive(step_size, "step_size"))  # shared until warm-up gives each chain its own
    n_leapfrog = positive_int(n_leapfrog, "n_leapfrog")
    n_warmup = positive_int(n_warmup, "n_warmup", minimum=0)
    jitter = _hmc.check_jitter(jitter)
    _hmc.check_target_accept(target_accept)
    integrator = _hmc.check_integrator(integrator)
    n_steps = positive_int(n_steps, "n_steps")
    rng = ChainGenerators(spawn_generators(seed, n_chains))
    state = _hmc.HMCState(starts, *batched_start(log_post, starts, grad_log_post))
    inv_mass = np.ones_like(starts)
    warm_acc = np.full(n_chains, np.nan)
    if n_warmup:
        state, step, inv_mass, warm_acc = _hmc._warmup(
            rng, state, log_post, grad_log_post, step, n_leapfrog, n_warmup, target_accept,
            adapt_mass, progress, jitter, integrator)
    trace = _hmc.run_trace(rng, state, log_post, grad_log_post, step, n_leapfrog, n_steps,
                           inv_mass, progress, jitter, integrator)
    samples, rate = trace.samples.swapaxes(0, 1), trace.info.is_accepted.mean(axis=0)
    if not return_info:
        return samples, rate
    per_chain = type(trace.info)(*(np.swapaxes(f, 0, 1) for f in trace.info))
    return samples, rate, {
        "n_divergent": per_chain.is_divergent.sum(axis=1),
        "step_size": np.broadcast_to(np.asarray(step, dtype=float), (n_chains,)).copy(),
        "warmup_acceptance": np.asarray(warm_acc, dtype=float), "trace": per_chain}
