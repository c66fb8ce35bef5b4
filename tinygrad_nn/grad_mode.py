"""Switches that change what the engine records: ``no_grad``, ``enable_grad``,
``set_grad_enabled``, ``inference_mode`` and ``detect_anomaly``. Each works as a context
manager and as a decorator, as in PyTorch."""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from typing import Any

__all__ = [
    "is_grad_enabled",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_inference_mode_enabled",
    "detect_anomaly",
]


class _State:
    __slots__ = ("grad_enabled", "anomaly", "inference")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False
        self.inference = False


state = _State()


def is_grad_enabled() -> bool:
    """Whether ops applied now are recorded for backward."""
    return state.grad_enabled


class _Switch:
    """A context manager that sets one flag of ``state`` and restores it on exit; also a
    decorator, with or without parentheses (``@no_grad`` or ``@no_grad()``), for plain and
    generator functions."""

    flag = ""
    value: bool = True

    def __new__(cls, *args: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and cls is not set_grad_enabled:
            return cls()(args[0])  # used as @no_grad, without parentheses
        self = super().__new__(cls)
        self._saved = []  # one entry per enter: an instance may be entered again, nested
        return self

    def __enter__(self) -> None:
        self._saved.append(getattr(state, self.flag))
        setattr(state, self.flag, self.value)

    def __exit__(self, *exc: object) -> None:
        setattr(state, self.flag, self._saved.pop())

    def __call__(self, fn: Callable) -> Callable:
        switch = copy.copy(self)  # its own stack of saved values
        switch._saved = []
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def generator(*args: Any, **kwargs: Any) -> Any:
                gen = fn(*args, **kwargs)
                while True:  # the mode holds while the body runs, not while the caller does
                    with switch:
                        try:
                            item = next(gen)
                        except StopIteration as stop:
                            return stop.value
                    yield item

            return generator

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with switch:
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_Switch):
    """Ops inside are not recorded: outputs have ``requires_grad=False``."""

    flag, value = "grad_enabled", False


class enable_grad(_Switch):
    """Ops inside are recorded again, even within ``no_grad``."""

    flag, value = "grad_enabled", True


class set_grad_enabled(_Switch):
    """Record ops when ``mode`` is true. As in PyTorch it takes effect at once, so it also
    works as a plain call (``set_grad_enabled(False)``); as a context manager it restores
    the previous mode on exit."""

    flag = "grad_enabled"

    def __init__(self, mode: bool) -> None:
        self.value = bool(mode)
        self._saved.append(state.grad_enabled)
        state.grad_enabled = self.value

    def __enter__(self) -> None:
        if not self._saved:  # a decorator's fresh switch: not applied yet
            super().__enter__()
        else:
            self._saved.append(self._saved[-1])

    def __exit__(self, *exc: object) -> None:
        super().__exit__()
        if len(self._saved) == 1:  # the mode set at construction
            state.grad_enabled = self._saved.pop()

    def __call__(self, fn: Callable) -> Callable:
        if self._saved:  # as a decorator it acts per call, not when the module is imported
            state.grad_enabled = self._saved.pop()
        return super().__call__(fn)


class inference_mode(_Switch):
    """``no_grad`` under PyTorch's name for inference; ``is_inference_mode_enabled()`` is
    True inside. ``inference_mode(False)`` turns it off, and grad mode on, as PyTorch's. Unlike
    PyTorch's inference tensors, the tensors made inside may later be used in a graph."""

    flag = "grad_enabled"

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)

    def __enter__(self) -> None:
        self._saved.append((state.grad_enabled, state.inference))
        state.grad_enabled, state.inference = not self.mode, self.mode

    def __exit__(self, *exc: object) -> None:
        state.grad_enabled, state.inference = self._saved.pop()


def is_inference_mode_enabled() -> bool:
    """Whether the code runs inside ``inference_mode()``."""
    return state.inference


class detect_anomaly(_Switch):
    """Check the gradients every backward function returns for NaN, and raise a
    ``RuntimeError`` that names the first that returned one, as PyTorch's (which checks
    neither forward values nor infinities: ``log(0)`` and masks of ``-inf`` are fine)."""

    flag, value = "anomaly", True
