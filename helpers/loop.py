"""The one run loop of every sampler: iterate a step function and keep what each step reports.

A step is ``step(rng, state) -> (state, info)`` with ``state.position`` of shape (d,) or
(n_chains, d) and ``info`` a NamedTuple of per-step arrays (acceptance probability, accepted?,
and for HMC divergence and energy). :func:`run` records every position and stacks every info
field over the steps, so a lecture can plot the acceptance or count the divergences of a run
without a second loop.
"""

from typing import Any, NamedTuple

import numpy as np

from . import progress as _progress


class Trace(NamedTuple):
    samples: np.ndarray  # (n_steps, d) or (n_steps, n_chains, d): the state after each step
    info: Any  # the step's info NamedTuple, each field stacked to (n_steps, ...)
    state: Any  # the last state, to continue from


def stack_infos(infos):
    """A list of info NamedTuples -> one NamedTuple whose fields have a leading step axis."""
    return type(infos[0])(*(np.stack(field) for field in zip(*infos, strict=True)))


def run(step, rng, state, n_steps, progress=False, desc="sampling"):
    """Iterate ``step(rng, state)`` ``n_steps`` times; return a :class:`Trace`."""
    samples = np.empty((n_steps,) + state.position.shape)
    infos = []
    for i in _progress.steps(n_steps, progress, desc=desc):
        state, info = step(rng, state)
        samples[i] = state.position
        infos.append(info)
    return Trace(samples, stack_infos(infos), state)
