"""How the numpy backend runs, under PyTorch's names: the threads of numpy's BLAS (matrix
products), which ``set_num_threads`` limits through threadpoolctl when it is installed, and
determinism, which numpy's ops always have (``use_deterministic_algorithms`` records the
flag that PyTorch programs set).
"""

from __future__ import annotations

import os
import warnings

import numpy as np

__all__ = [
    "get_num_threads",
    "set_num_threads",
    "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
]

_deterministic = {"mode": False, "warn_only": False}
_limits: list = []  # the threadpoolctl limit set last, kept alive so that it holds


def _blas_threads() -> list[int] | None:
    """The thread count of each BLAS library numpy loaded, or None without threadpoolctl."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    np.ones(1) @ np.ones(1)  # numpy loads its BLAS lazily
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def get_num_threads() -> int:
    """The threads a matrix product may use: BLAS's count (with threadpoolctl installed),
    else the CPU count."""
    counts = _blas_threads()
    return max(counts) if counts else os.cpu_count() or 1


def set_num_threads(n: int) -> None:
    """Limit numpy's BLAS to ``n`` threads (``torch.set_num_threads``). This needs
    threadpoolctl (``pip install threadpoolctl``); without it a warning says that nothing
    changed."""
    if type(n) is not int:
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {n}")
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        warnings.warn(
            "set_num_threads: numpy's BLAS threads can only be limited with threadpoolctl "
            "(pip install threadpoolctl); the thread count is unchanged",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    _limits[:] = [threadpool_limits(limits=n, user_api="blas")]


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Record the flag: every tinygrad_nn op is deterministic (numpy on the CPU), so both
    settings give the same results."""
    if type(mode) is not bool:
        raise TypeError(
            f"use_deterministic_algorithms: mode must be bool, not {type(mode).__name__}"
        )
    _deterministic.update(mode=mode, warn_only=bool(warn_only))


def are_deterministic_algorithms_enabled() -> bool:
    """The flag set by ``use_deterministic_algorithms``."""
    return _deterministic["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` flag set by ``use_deterministic_algorithms``."""
    return _deterministic["warn_only"]
