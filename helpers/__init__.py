"""helpers: the reference implementations the lectures of *Bayesian inference by sampling* use.

Modules, one idea each: ``data`` (data sets), ``linreg`` and ``bnn`` (models), ``bootstrap``,
``mh`` (Metropolis-Hastings), ``integrators`` (leapfrog, Euler), ``loop`` (the run loop),
``hamiltonian`` (HMC and its warm-up), ``chains`` (several chains), ``streams`` (random streams),
``diagnostics``, ``plots``, ``widgets`` (sliders).
The samplers exported here have the signatures of the exercise contract.
"""

from . import (
    bnn,
    bootstrap,
    chains,
    data,
    diagnostics,
    hamiltonian,
    integrators,
    linreg,
    loop,
    mh,
    plots,
    streams,
    widgets,
)
from .chains import hmc_chains, metropolis_chains, run_chains
from .diagnostics import ess_bulk, ess_tail, mcse_mean, rhat
from .hamiltonian import hmc
from .integrators import leapfrog
from .mh import metropolis, metropolis_hastings

__all__ = [
    "bnn", "bootstrap", "chains", "data", "diagnostics", "hamiltonian", "integrators", "linreg", "loop",
    "mh", "plots", "streams", "widgets", "hmc", "leapfrog", "metropolis", "metropolis_hastings",
    "hmc_chains", "metropolis_chains", "run_chains", "rhat", "ess_bulk", "ess_tail", "mcse_mean",
]
