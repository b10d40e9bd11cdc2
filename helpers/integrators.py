"""Integrators of Hamiltonian dynamics: leapfrog (velocity Verlet) and, as a warning, Euler.

Potential ``U(q) = -log_post(q)``, kinetic energy ``p^T M^-1 p / 2`` with diagonal ``M^-1 =
inv_mass``. Leapfrog is time-reversible and volume-preserving, with a global energy error
O(step_size^2); Neal (2011), "MCMC using Hamiltonian dynamics", section 2.3. Euler's method is
neither, so HMC with it samples the wrong distribution: the lectures use it as a negative control.

Every integrator has one signature, so :func:`helpers.hamiltonian.hmc_step` takes any of them::

    integrator(q, p, grad_q, grad_log_post, step_size, n_steps, inv_mass=1.0)
        -> (q_new, p_new, grad_new)
"""

import numpy as np

from ._checks import as_position, positive, positive_int


def velocity_verlet(q, p, grad_q, grad_log_post, step_size, n_steps, inv_mass=1.0):
    """``n_steps`` leapfrog steps from ``(q, p)``, reusing the gradient ``grad_q`` at ``q``.

    Parameters
    ----------
    q, p : ndarray, shape (d,) or (n_chains, d)
    grad_q : ndarray, same shape: ``grad_log_post(q)``, cached by the caller.
    step_size : float, or array broadcasting against ``q`` (one step size per chain).
    inv_mass : float or array broadcasting against ``q``

    Returns
    -------
    q_new, p_new, grad_new : ndarray
        End point, momentum as integrated (not negated), and the gradient there. Inputs are
        not modified.
    """
    drift = step_size * inv_mass  # dq/dt = M^-1 p, scaled once rather than every step
    p = p + 0.5 * step_size * grad_q  # half step: p moves along -dU/dq = grad log_post
    for i in range(n_steps):
        q = q + drift * p  # whole step in position
        grad_q = np.asarray(grad_log_post(q), dtype=float)
        if i < n_steps - 1:
            p = p + step_size * grad_q  # two half steps merged
    p = p + 0.5 * step_size * grad_q  # last half step
    return q, p, grad_q


def euler(q, p, grad_q, grad_log_post, step_size, n_steps, inv_mass=1.0):
    """``n_steps`` explicit Euler steps: both updates use the old point, ``q += h M^-1 p`` and
    ``p += h grad_log_post(q)``. Same signature and returns as :func:`velocity_verlet`.

    Its energy error is O(step_size) and grows along the trajectory; the map is neither reversible
    nor volume-preserving (for a Gaussian target its Jacobian determinant is ``(1 + h^2 w^2)^n``
    per direction of frequency ``w``), so ``min(1, e^{-dH})`` is not a valid acceptance for it.
    """
    drift = step_size * inv_mass
    for _ in range(n_steps):
        q, p = q + drift * p, p + step_size * grad_q  # both from the old (q, p): not symmetric
        grad_q = np.asarray(grad_log_post(q), dtype=float)
    return q, p, grad_q


INTEGRATORS = {"leapfrog": velocity_verlet, "euler": euler}


def leapfrog(q, p, grad_log_post, step_size, n_steps):
    """``n_steps`` leapfrog steps with identity mass (the exercise contract's signature).

    Returns ``(q_new, p_new)``: the momentum as integrated, not negated. Inputs are not modified.
    """
    q = as_position(q, "q")
    p = np.array(p, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p must have the shape of q {q.shape}, got {p.shape}")
    positive(step_size, "step_size")
    n_steps = positive_int(n_steps, "n_steps")
    q_new, p_new, _ = velocity_verlet(
        q, p, np.asarray(grad_log_post(q), dtype=float), grad_log_post, step_size, n_steps
    )
    return q_new, p_new
