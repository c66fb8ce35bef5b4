"""The library's global random number generator (like ``torch.manual_seed``).

Everything random in tinygrad_nn that is not handed a ``generator`` draws from one
:class:`Generator` (a ``numpy.random.Generator`` with PyTorch's seeding methods), returned
by :func:`default_generator`. :func:`manual_seed` re-seeds that same object in place, so
references taken earlier see the new seed too. The numbers differ from PyTorch's: the same
seed gives other samples.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from . import checks

__all__ = [
    "Generator",
    "default_generator",
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
]


class Generator(np.random.Generator):
    """A ``numpy.random.Generator`` (PCG64) with ``torch.Generator``'s seeding methods:
    ``Generator().manual_seed(42)`` can be handed to ``randn``, ``DataLoader``,
    ``random_split`` and anything else that takes ``generator=``."""

    def __init__(self, device: str = "cpu") -> None:
        from .device import resolve_device

        resolve_device(device, "Generator")
        self._seed = int(np.random.SeedSequence().entropy) % 2**63
        super().__init__(np.random.PCG64(self._seed))

    def manual_seed(self, seed: int) -> Generator:
        """Re-seed in place with a non-negative int and return ``self``."""
        self._seed = checks.integer("manual_seed: seed", seed, minimum=0)
        self.bit_generator.state = np.random.PCG64(self._seed).state
        return self

    def seed(self) -> int:
        """Re-seed from fresh entropy and return the new seed."""
        return self.manual_seed(int(np.random.SeedSequence().entropy) % 2**63)._seed

    def initial_seed(self) -> int:
        """The seed last set."""
        return self._seed

    def get_state(self) -> dict:
        """The bit generator's state (a dict, numpy's form), for ``set_state``."""
        return self.bit_generator.state

    def set_state(self, state: dict) -> Generator:
        """Restore a state taken by ``get_state``."""
        self.bit_generator.state = state
        return self


_DEFAULT = Generator()


def default_generator() -> Generator:
    """Return the global generator (always the same object)."""
    return _DEFAULT


def manual_seed(seed: int) -> Generator:
    """Re-seed the global generator with a non-negative integer ``seed`` and return it."""
    return _DEFAULT.manual_seed(seed)


def seed() -> int:
    """Re-seed the global generator from fresh entropy and return the new seed."""
    return _DEFAULT.seed()


def initial_seed() -> int:
    """The seed the global generator was last seeded with."""
    return _DEFAULT.initial_seed()


def get_rng_state() -> Any:
    """The global generator's state as a uint8 tensor (its bytes: numpy's state as JSON),
    for ``set_rng_state``, as ``torch.get_rng_state``."""
    from .tensor import wrap

    text = json.dumps({"seed": _DEFAULT._seed, "state": _DEFAULT.get_state()})
    return wrap(np.frombuffer(text.encode(), np.uint8).copy())


def set_rng_state(new_state: Any) -> None:
    """Restore the global generator to a state taken by ``get_rng_state``."""
    from .tensor import array_of

    data = np.asarray(array_of(new_state))
    if data.dtype != np.uint8 or data.ndim != 1:
        raise TypeError(
            f"set_rng_state: expected the uint8 tensor of get_rng_state(), got a "
            f"{data.dtype} array of shape {data.shape}"
        )
    try:
        saved = json.loads(data.tobytes())
        _DEFAULT.set_state(saved["state"])
    except (ValueError, KeyError, TypeError):
        raise RuntimeError("set_rng_state: this is not a state from get_rng_state()") from None
    _DEFAULT._seed = saved["seed"]


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
