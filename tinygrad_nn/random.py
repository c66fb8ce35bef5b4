"""The library's global random number generator (like ``torch.manual_seed``).

Everything random in tinygrad_nn that is not handed a ``generator`` draws from one
``numpy.random.Generator``, returned by :func:`default_generator`. :func:`manual_seed`
re-seeds that same object in place, so references taken earlier see the new seed too.
"""

from __future__ import annotations

import numpy as np

from . import checks

__all__ = ["default_generator", "manual_seed"]

_DEFAULT = np.random.Generator(np.random.PCG64())


def default_generator() -> np.random.Generator:
    """Return the global generator (always the same object)."""
    return _DEFAULT


def manual_seed(seed: int) -> np.random.Generator:
    """Re-seed the global generator with a non-negative integer ``seed`` and return it."""
    seed = checks.integer("manual_seed: seed", seed, minimum=0)
    _DEFAULT.bit_generator.state = np.random.PCG64(seed).state
    return _DEFAULT


def resolve_generator(
    generator: np.random.Generator | int | None, owner: str
) -> np.random.Generator:
    """Return ``generator``, a new generator seeded with it when it is an int, or the global
    one when it is None; ``owner`` names the caller in the error raised for anything else."""
    if generator is None:
        return _DEFAULT
    if isinstance(generator, (int, np.integer)) and not isinstance(generator, bool):
        return np.random.default_rng(int(generator))
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"{owner}: generator must be a numpy.random.Generator, an int seed or None, "
            f"got {type(generator).__name__}"
        )
    return generator
