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
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        if not shape or shape[0] != len(self.generators):
            raise ValueError(f"shape {shape} must lead with the number of chains {len(self.generators)}")
        return shape

    # Rows are filled in place (``out=``): one array and no stacking per step, because these
    # calls sit in the innermost loop of every vectorised sampler.
    def _fill(self, method, shape):
        out = np.empty(self._check(shape))
        if out.ndim == 1:
            out[:] = [getattr(g, method)() for g in self.generators]
        else:
            for g, row in zip(self.generators, out, strict=True):
                getattr(g, method)(out=row)
        return out

    def standard_normal(self, shape):
        return self._fill("standard_normal", shape)

    def random(self, shape):
        return self._fill("random", shape)
