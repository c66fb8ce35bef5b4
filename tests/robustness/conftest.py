"""Helpers of the hostile-input tests: each case calls a public entry point with bad input and
asserts the error type and a keyword of its message, or the result PyTorch gives."""

from __future__ import annotations

import signal
from collections.abc import Callable
from contextlib import contextmanager

import pytest


def refused(call: Callable[[], object], error: type[BaseException], keyword: str) -> None:
    """``call()`` raises ``error`` whose message contains ``keyword`` (case-insensitive)."""
    with pytest.raises(error) as info:
        call()
    assert keyword.lower() in str(info.value).lower(), str(info.value)


def case(call: Callable[[], object], error: type[BaseException], keyword: str, id: str):
    """One row of a table of hostile cases (a ``pytest.param``)."""
    return pytest.param(call, error, keyword, id=id)


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: SIGALRM interrupts the block after ``seconds``."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
