"""Switches that change what the engine records: ``no_grad``, ``enable_grad``,
``set_grad_enabled`` and ``detect_anomaly``. Each works as a context manager and as a
decorator, as in PyTorch."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class _State:
    __slots__ = ("grad_enabled", "anomaly")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False


state = _State()


def is_grad_enabled() -> bool:
    """Whether ops applied now are recorded for backward."""
    return state.grad_enabled


class _Switch:
    """A context manager that sets one flag of ``state`` and restores it on exit."""

    flag = ""
    value: bool = True

    def __enter__(self) -> None:
        self._prev = getattr(state, self.flag)
        setattr(state, self.flag, self.value)

    def __exit__(self, *exc: object) -> None:
        setattr(state, self.flag, self._prev)

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._clone():
                return fn(*args, **kwargs)

        return wrapper

    def _clone(self) -> _Switch:
        """A fresh switch per call, so a decorated function may recurse or run in threads."""
        new = self.__class__.__new__(self.__class__)
        new.value = self.value
        return new


class no_grad(_Switch):
    """Ops inside are not recorded: outputs have ``requires_grad=False``."""

    flag, value = "grad_enabled", False


class enable_grad(_Switch):
    """Ops inside are recorded again, even within ``no_grad``."""

    flag, value = "grad_enabled", True


class set_grad_enabled(_Switch):
    """Record ops inside when ``mode`` is true; ``set_grad_enabled(False)`` is ``no_grad``."""

    flag = "grad_enabled"

    def __init__(self, mode: bool) -> None:
        self.value = bool(mode)


class detect_anomaly(_Switch):
    """Check every forward output and every gradient for NaN or Inf, and raise a
    ``FloatingPointError`` that names the op that first produced one."""

    flag, value = "anomaly", True
