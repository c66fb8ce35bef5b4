"""Trial functions of the sweep tests, and the fixture that hands them out: workers cannot
import test modules, so cloudpickle sends these functions by value."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn, optim


def fit(width, seed, lr=0.1, steps=5):
    """A few SGD steps of a tiny MLP on random data: every number comes from the seed."""
    x, t = tnn.randn(16, 4), tnn.randint(0, 3, (16,))
    model = nn.Sequential(nn.Linear(4, width), nn.Tanh(), nn.Linear(width, 3))
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), t)
        loss.backward()
        opt.step()
    return {"loss": loss.item(), "draw": float(tnn.rand(1).item())}


def counted(width, seed, *, calls, pause=0.0):
    """``fit``, leaving one file per call in the folder ``calls``."""
    Path(calls, f"{width}-{seed}-{os.getpid()}-{time.monotonic_ns()}").touch()
    time.sleep(pause)
    return fit(width, seed)


def fragile(width, seed, lr=0.1):
    """``fit``, but width 3 raises."""
    if width == 3:
        raise ValueError("width 3 is not allowed")
    return fit(width, seed, lr)


def mortal(width, seed, lr=0.1, *, marker):
    """``fit``; the first trial of width 3 kills its own worker process with SIGKILL."""
    if width == 3 and not os.path.exists(marker):
        Path(marker).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.2)
    return fit(width, seed, lr)


def blas_threads(width, seed):
    """The BLAS thread setting the worker process started with."""
    return {"openblas_threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0"))}


@pytest.fixture(scope="session")
def trials():
    """This module, its functions sent to Dask workers by value."""
    import sys

    cloudpickle = pytest.importorskip("cloudpickle")
    module = sys.modules[__name__]
    cloudpickle.register_pickle_by_value(module)
    yield module
    cloudpickle.unregister_pickle_by_value(module)
