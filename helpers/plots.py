"""Figures the lectures use. Each function returns its matplotlib objects and never calls
``plt.show()``; every figure has a title and labelled axes."""

import matplotlib.pyplot as plt
import numpy as np


def _names(names, d):
    return list(names) if names is not None else [f"theta[{k}]" for k in range(d)]


def _as_chains(samples):
    samples = np.asarray(samples, dtype=float)
    if samples.ndim == 2:
        samples = samples[None]
    if samples.ndim != 3:
        raise ValueError(f"samples must be (n_draws, d) or (n_chains, n_draws, d), got {samples.shape}")
    return samples


def trace_plot(samples, names=None, burn_in=None, truth=None, title="Trace plot"):
    """One panel per parameter, one line per chain; ``samples`` (n_draws, d) or (n_chains, n_draws, d).

    ``burn_in`` shades the discarded start; ``truth`` (d,) draws reference lines.
    Returns ``(fig, axes)``.
    """
    samples = _as_chains(samples)
    n_chains, _, d = samples.shape
    names = _names(names, d)
    fig, axes = plt.subplots(d, 1, figsize=(8, 1.8 * d + 0.6), sharex=True, squeeze=False)
    axes = axes[:, 0]
    for k, ax in enumerate(axes):
        for c in range(n_chains):
            ax.plot(samples[c, :, k], lw=0.6, alpha=0.8, label=f"chain {c + 1}" if k == 0 else None)
        if burn_in:
            ax.axvspan(0, burn_in, color="grey", alpha=0.2, label="burn-in" if k == 0 else None)
        if truth is not None:
            ax.axhline(truth[k], color="k", ls="--", lw=1, label="reference" if k == 0 else None)
        ax.set_ylabel(names[k])
    axes[-1].set_xlabel("iteration")
    axes[0].set_title(title)
    if n_chains > 1 or burn_in or truth is not None:
        axes[0].legend(loc="upper right", fontsize="small", ncol=min(n_chains + 2, 6))
    fig.tight_layout()
    return fig, axes


def marginal_histograms(samples, names=None, exact=None, bins=40, title="Marginal posteriors"):
    """Histogram of each parameter's draws; ``exact`` overlays known densities.

    ``exact``: a list (one per parameter) of callables ``pdf(grid)`` or ``(mean, sd)`` pairs for a
    normal density, or ``None`` entries. Returns ``(fig, axes)``.
    """
    samples = _as_chains(samples).reshape(-1, np.shape(samples)[-1])
    d = samples.shape[1]
    names = _names(names, d)
    fig, axes = plt.subplots(1, d, figsize=(3.2 * d + 0.5, 3), squeeze=False)
    axes = axes[0]
    for k, ax in enumerate(axes):
        ax.hist(samples[:, k], bins=bins, density=True, alpha=0.6, label="draws")
        ref = exact[k] if exact is not None else None
        if ref is not None:
            grid = np.linspace(*ax.get_xlim(), 200)
            if callable(ref):
                dens = ref(grid)
            else:
                m, s = ref
                dens = np.exp(-0.5 * ((grid - m) / s) ** 2) / (s * np.sqrt(2 * np.pi))
            ax.plot(grid, dens, "k-", lw=1.5, label="exact")
            ax.legend(fontsize="small")
        ax.set_xlabel(names[k])
        ax.set_ylabel("density")
    fig.suptitle(title)
    fig.tight_layout()
    return fig, axes


def acceptance_curve(proposal_sds, acceptance_rates, efficiency=None, optimum=0.234,
                     title="Acceptance rate against proposal scale"):
    """Acceptance rate (and optionally ESS per evaluation on a second axis) vs proposal sd (log x).

    Returns ``(fig, ax)``.
    """
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.semilogx(proposal_sds, acceptance_rates, "o-", label="acceptance rate")
    if optimum is not None:
        ax.axhline(optimum, color="grey", ls=":", label=f"rule of thumb {optimum}")
    ax.set_xlabel("proposal sd")
    ax.set_ylabel("acceptance rate")
    ax.set_ylim(0, 1)
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    if efficiency is not None:
        ax2 = ax.twinx()
        ax2.semilogx(proposal_sds, efficiency, "s--", color="C1", label="ESS per evaluation")
        ax2.set_ylabel("ESS per log-density evaluation")
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="best", fontsize="small")
    fig.tight_layout()
    return fig, ax


def predictive_band(x_grid, mean, sd, x=None, y=None, truth=None, ax=None, label="posterior mean",
                    title="Posterior predictive", n_sd=2.0):
    """Mean line and a ``mean +- n_sd * sd`` band over ``x_grid``, with the data if given.

    Returns ``(fig, ax)``.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4))
    else:
        fig = ax.figure
    line, = ax.plot(x_grid, mean, lw=2, label=label)
    ax.fill_between(x_grid, mean - n_sd * sd, mean + n_sd * sd, color=line.get_color(), alpha=0.25,
                    label=f"mean ± {n_sd:g} sd")
    if truth is not None:
        ax.plot(x_grid, truth, "k--", lw=1, label="truth")
    if x is not None:
        ax.plot(x, y, "k.", ms=4, label="data")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return fig, ax


def hmc_trajectory(path, log_post=None, energies=None, limits=((-3, 3), (-3, 3)),
                   title="Leapfrog trajectory"):
    """A 2-D leapfrog path over the target's contours, and the total energy along it.

    ``path``: positions (n, 2); ``log_post``: a callable on (..., 2) for contours;
    ``energies``: H along the path (n,). Returns ``(fig, axes)``.
    """
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (n, 2), got {path.shape}")
    ncol = 2 if energies is not None else 1
    fig, axes = plt.subplots(1, ncol, figsize=(4.6 * ncol, 4.2), squeeze=False)
    axes = axes[0]
    ax = axes[0]
    if log_post is not None:
        g0, g1 = np.meshgrid(np.linspace(*limits[0], 120), np.linspace(*limits[1], 120))
        lp = log_post(np.stack([g0, g1], axis=-1))
        ax.contour(g0, g1, lp - lp.max(), levels=np.arange(-8, 0.5, 1.0), cmap="Greys")
    ax.plot(path[:, 0], path[:, 1], "o-", ms=3, color="C3", label="leapfrog path")
    ax.plot(*path[0], "ks", label="start")
    ax.set_xlabel(r"$q_1$")
    ax.set_ylabel(r"$q_2$")
    ax.set_title(title)
    ax.legend(fontsize="small")
    if energies is not None:
        axes[1].plot(np.asarray(energies) - energies[0], "o-", ms=3)
        axes[1].set_xlabel("leapfrog step")
        axes[1].set_ylabel(r"$H - H_0$")
        axes[1].set_title("Energy error along the path")
    fig.tight_layout()
    return fig, axes
