"""The LeNet row of the benchmark (issue 14): one training step of conv 1→6 5×5, 2×2 max
pooling, conv 6→16 5×5, pooling, 256-120-84-10 (ReLU), softmax cross-entropy and SGD with
momentum, on a batch of 64 28×28 images, in hand-written numpy (``numpy_lenet.py``),
tinygrad_nn and PyTorch, from the same initial parameters and batches."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from numpy_lenet import NumpyLeNet
from workloads import _cycle, autograd_training

BATCH, SIDE, N_BATCHES, LR, MOMENTUM = 64, 28, 8, 0.01, 0.9
SHAPES = [
    (6, 1, 5, 5), (6,), (16, 6, 5, 5), (16,), (120, 256), (120,), (84, 120), (84,), (10, 84), (10,),
]  # fmt: skip


@functools.cache
def lenet_data() -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """PyTorch-style initial parameters (uniform ±1/sqrt(fan_in)), input batches and
    targets, float32 / int64, the same for every framework."""
    rng = np.random.default_rng(0)
    params = []
    for i in range(0, len(SHAPES), 2):
        w_shape, b_shape = SHAPES[i], SHAPES[i + 1]
        bound = 1 / np.sqrt(np.prod(w_shape[1:]))
        params.append(rng.uniform(-bound, bound, w_shape).astype(np.float32))
        params.append(rng.uniform(-bound, bound, b_shape).astype(np.float32))
    xs = [rng.standard_normal((BATCH, 1, SIDE, SIDE), np.float32) for _ in range(N_BATCHES)]
    ts = [rng.integers(0, 10, BATCH) for _ in range(N_BATCHES)]
    return params, xs, ts


def lenet_module(nn: object) -> object:
    """The network in any framework with PyTorch's ``nn`` names."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )  # fmt: skip


def lenet_step(framework: str) -> tuple[Callable[[], object], Callable[[], list[np.ndarray]]]:
    """(one training step, the parameters) of the LeNet row in ``framework``."""
    params, xs, ts = lenet_data()
    if framework == "numpy":
        net = NumpyLeNet(params, LR, MOMENTUM)
        batch = _cycle(list(zip(xs, ts)))
        return lambda: net.step(*batch()), net.params
    return autograd_training(framework, lenet_module, params, xs, ts, LR, MOMENTUM)
