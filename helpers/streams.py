"""Independent random streams for several chains, spawned from one seed.

Step functions draw through ``rng.standard_normal(shape)`` and ``rng.random(shape)``. A single
chain passes a ``numpy.random.Generator``; vectorised chains pass :class:`ChainGenerators`, which
draws row ``k`` of every array from chain ``k``'s own generator. So chain ``k`` sees exactly the
stream it would see when run alone, and vectorised and one-after-another runs agree.
"""

import numpy as np


def spawn_generators(seed, n_chains):
    """``n_chains`` independent generators from ``seed`` (int, SeedSequence or Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed.spawn(n_chains)
    if not isinstance(seed, np.random.SeedSequence):
        if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"seed must be an int, SeedSequence or Generator, got {seed!r}")
        seed = np.random.SeedSequence(int(seed))
    return [np.random.default_rng(s) for s in seed.spawn(n_chains)]


class ChainGenerators:
    """One generator per chain, drawing arrays whose leading axis is the chain."""

    def __init__(self, generators):
        self.generators = list(generators)

    def __len__(self):
        return len(self.generators)

    def _check(self, shape):
        shape = tuple(np.atleast_1d(shape)) if np.ndim(shape) else (int(shape),)
        if shape[0] != len(self.generators):
            raise ValueError(f"leading axis {shape[0]} != number of chains {len(self.generators)}")
        return shape[1:]

    def standard_normal(self, shape):
        rest = self._check(shape)
        return np.stack([g.standard_normal(rest) for g in self.generators])

    def random(self, shape):
        rest = self._check(shape)
        return np.stack([g.random(rest) for g in self.generators])
