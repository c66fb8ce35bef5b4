"""The timed workloads of issue 4, built on the same data for each framework.

``build(row, framework)`` returns a zero-argument callable doing one unit of work (a training
step, or a chain's forward and backward); ``result(row, framework)`` runs one unit from the
initial state and returns the numbers that must agree between frameworks (loss and updated
parameters, or the chain's gradients), so that ``run.py`` checks every variant computes the
same thing before timing it. Frameworks: ``"numpy"`` (hand-written, the baseline),
``"tinygrad_nn"`` and ``"torch"`` (when installed).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy_chain import NUMBERS, chain_grad
from numpy_mlp import NumpyMLP

FRAMEWORKS = ("numpy", "tinygrad_nn", "torch")
N_BATCHES = 16  # batches cycled through, so that no framework trains on one batch forever


@dataclass(frozen=True)
class MLPSpec:
    sizes: tuple[int, ...]
    activation: str
    batch: int
    lr: float
    momentum: float = 0.9


MLPS = {
    "mlp_small": MLPSpec((64, 128, 10), "sigmoid", 32, lr=0.05),
    "mlp_mnist": MLPSpec((784, 256, 128, 10), "relu", 128, lr=0.01),
}


@dataclass(frozen=True)
class ChainSpec:
    n_ops: int
    form: str  # how the operands w and b are given: "leaves", "constants" or "numbers"


# Each chain row in the three forms of numpy_chain.FORMS (issue 13): leaves requiring grad,
# constant tensors, Python numbers.
CHAINS = {
    f"{row}{suffix}": ChainSpec(n_ops, form)
    for row, n_ops in (("ops_2k", 2_000), ("chain_100k", 100_000))
    for suffix, form in (("", "leaves"), ("_const", "constants"), ("_number", "numbers"))
}
CHAIN_SIZE = 16


@functools.cache
def mlp_data(row: str) -> tuple[list[np.ndarray], list[np.ndarray], list, list]:
    """Initial weights and biases (PyTorch's default uniform ±1/sqrt(fan_in)), input batches
    and class-index targets, all float32 / int64, the same for every framework."""
    spec = MLPS[row]
    rng = np.random.default_rng(0)
    weights, biases = [], []
    for n_in, n_out in zip(spec.sizes[:-1], spec.sizes[1:]):
        bound = 1 / np.sqrt(n_in)
        weights.append(rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32))
        biases.append(rng.uniform(-bound, bound, n_out).astype(np.float32))
    xs = [rng.standard_normal((spec.batch, spec.sizes[0]), np.float32) for _ in range(N_BATCHES)]
    ts = [rng.integers(0, spec.sizes[-1], spec.batch) for _ in range(N_BATCHES)]
    return weights, biases, xs, ts


@functools.cache
def chain_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, CHAIN_SIZE).astype(np.float32)
    w = rng.uniform(0.5, 1.5, CHAIN_SIZE).astype(np.float32)
    return x, w


def chain_operands(form: str) -> tuple[np.ndarray, np.ndarray | float, np.ndarray | float]:
    """Fresh copies of the start ``x`` and the operands ``w`` and ``b`` of a chain. The
    ``"constants"`` form holds the Python numbers of the ``"numbers"`` form in arrays, so the
    two compute the same values and differ only in how the operands are given."""
    x, w = chain_data()
    if form == "leaves":
        return x.copy(), w.copy(), x.copy()
    if form == "numbers":
        return x.copy(), *NUMBERS
    return x.copy(), *(np.full(CHAIN_SIZE, v, np.float32) for v in NUMBERS)


def _cycle(items: list) -> Callable[[], object]:
    state = {"i": -1}

    def next_item() -> object:
        state["i"] = (state["i"] + 1) % len(items)
        return items[state["i"]]

    return next_item


# -- one training step, per framework ------------------------------------------------------


def _autograd_step(model: Callable, opt: object, loss_fn: Callable, batch: Callable) -> Callable:
    """One training step of a PyTorch-style ``model``, ``opt`` and ``loss_fn`` (tinygrad_nn
    and PyTorch share the API); it returns the loss."""

    def step() -> object:
        x, t = batch()
        opt.zero_grad()
        loss = loss_fn(model(x), t)
        loss.backward()
        opt.step()
        return loss

    return step


def autograd_training(
    framework: str,
    module: Callable[[object], object],
    params: list[np.ndarray],
    xs: list[np.ndarray],
    ts: list[np.ndarray],
    lr: float,
    momentum: float,
) -> tuple[Callable[[], object], Callable[[], list[np.ndarray]]]:
    """(one training step, the parameters) of the network ``module(nn)`` in ``framework``
    (``"tinygrad_nn"`` or ``"torch"``: the same PyTorch API, ``nn`` its module namespace),
    starting from ``params`` (in ``state_dict`` order), with softmax cross-entropy and SGD
    with momentum on the batches ``xs`` and targets ``ts`` in turn."""
    fw = importlib.import_module(framework)
    model = module(fw.nn)
    model.load_state_dict({k: fw.from_numpy(p) for k, p in zip(model.state_dict(), params)})
    opt = fw.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    batch = _cycle([(fw.from_numpy(x), fw.from_numpy(t)) for x, t in zip(xs, ts)])
    step = _autograd_step(model, opt, fw.nn.CrossEntropyLoss(), batch)
    return step, lambda: [p.detach().numpy() for p in model.parameters()]


def _mlp_module(spec: MLPSpec, nn: object) -> object:
    """The MLP of ``spec`` in any framework with PyTorch's ``nn`` names."""
    layers: list = []
    for n_in, n_out in zip(spec.sizes[:-1], spec.sizes[1:]):
        layers += [
            nn.Linear(n_in, n_out),
            nn.Sigmoid() if spec.activation == "sigmoid" else nn.ReLU(),
        ]
    return nn.Sequential(*layers[:-1])


def _mlp_step(framework: str, row: str) -> tuple[Callable[[], object], Callable[[], list]]:
    spec = MLPS[row]
    weights, biases, xs, ts = mlp_data(row)
    if framework == "numpy":
        net = NumpyMLP(weights, biases, spec.activation, spec.lr, spec.momentum)
        batch = _cycle(list(zip(xs, ts)))
        return lambda: net.step(*batch()), net.params
    params = [p for layer in zip(weights, biases) for p in layer]
    module = functools.partial(_mlp_module, spec)
    return autograd_training(framework, module, params, xs, ts, spec.lr, spec.momentum)


# -- a chain of small element-wise ops and its backward, per framework ---------------------------


def _chain_numpy(spec: ChainSpec) -> Callable[[], list[np.ndarray]]:
    x, w, b = chain_operands(spec.form)
    return lambda: chain_grad(x, w, b, spec.n_ops, spec.form)


def _autograd_chain(spec: ChainSpec, tensor: Callable, tanh: Callable) -> Callable[[], list]:
    """Forward and backward of the chain in an autograd framework whose ``tensor(array,
    requires_grad=...)`` makes a tensor (the same loop as ``numpy_chain.chain_forward``); the
    returned function gives the gradients of the leaves as arrays."""
    x0, w0, b0 = chain_operands(spec.form)
    x = tensor(x0, requires_grad=True)
    if spec.form == "numbers":
        w, b = w0, b0
    else:
        w = tensor(w0, requires_grad=spec.form == "leaves")
        b = x if spec.form == "leaves" else tensor(b0, requires_grad=False)
    leaves = [x, w] if spec.form == "leaves" else [x]

    def run() -> list[np.ndarray]:
        for t in leaves:
            t.grad = None
        h = x
        for i in range(spec.n_ops):
            op = i % 3
            if op == 0:
                h = h * w
            elif op == 1:
                h = h + b
            else:
                h = tanh(h)
        h.sum().backward()
        return [t.grad.numpy() for t in leaves]

    return run


def _chain_tinygrad(spec: ChainSpec) -> Callable[[], list[np.ndarray]]:
    import tinygrad_nn as tnn

    return _autograd_chain(spec, tnn.Tensor, tnn.Tensor.tanh)


def _chain_torch(spec: ChainSpec) -> Callable[[], list[np.ndarray]]:
    import torch

    return _autograd_chain(spec, torch.tensor, torch.tanh)


_CHAIN_BUILDERS = {"numpy": _chain_numpy, "tinygrad_nn": _chain_tinygrad, "torch": _chain_torch}


def build(row: str, framework: str) -> Callable[[], object]:
    """One unit of work of ``row`` in ``framework``, ready to be timed."""
    if row in MLPS or row == "lenet":
        return _training_step(framework, row)[0]
    return _CHAIN_BUILDERS[framework](CHAINS[row])


def result(row: str, framework: str) -> list[np.ndarray]:
    """What one unit computes from the initial state: [loss, *parameters after the step]
    for an MLP, the gradients of x and w for a chain."""
    if row in MLPS or row == "lenet":
        step, params = _training_step(framework, row)
        loss = step()
        loss = loss.item() if hasattr(loss, "item") else loss
        return [np.float32(loss), *(np.array(p) for p in params())]
    return [np.array(g) for g in _CHAIN_BUILDERS[framework](CHAINS[row])()]


def _training_step(framework: str, row: str) -> tuple[Callable, Callable]:
    """(one training step, the parameters) of an MLP row or of ``lenet`` (``lenet.py``)."""
    if row == "lenet":
        from lenet import lenet_step  # it imports this module's helpers

        return lenet_step(framework)
    return _mlp_step(framework, row)


def training_data(row: str) -> object:
    """Make (and cache) the shared data of a training row, outside any measurement."""
    if row == "lenet":
        from lenet import lenet_data

        return lenet_data()
    return mlp_data(row)


def mlp_training_run(framework: str, row: str, steps: int) -> None:
    """Build the model and optimizer of ``row`` and train it for ``steps`` steps (row 5).
    As in a usual training loop, the last loss stays alive while the next step runs."""
    step = _training_step(framework, row)[0]
    loss = None
    for _ in range(steps):
        loss = step()
    del loss
