"""Benchmark of tinygrad_nn.snn against snnTorch: one training epoch of the digits SNN.

``snn_epoch``: the 1,257 training digits (the 70% split), rate-coded over 25 steps, through
Linear(64, 128) → Leaky → Linear(128, 10) → Leaky (beta 0.9, atan surrogate, init_hidden),
``ce_rate_loss``, SGD with momentum 0.9, batch 32: 40 steps of backpropagation through time.
Both libraries run the same network, data order, steps and batch size, each with its own
``spikegen.rate`` and layers. ``make bench`` runs it as a row (snnTorch in the PyTorch process
when it is installed); ``python benchmarks/bench_snn.py`` times both here, one thread.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

STEPS, BATCH, BETA, LR, MOMENTUM = 25, 32, 0.9, 0.05, 0.9
N_TRAIN = 1257


@functools.lru_cache(maxsize=1)
def _data() -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    from tinygrad_nn.datasets import load_digits

    X, y = load_digits()
    order = np.random.default_rng(0).permutation(len(X))[:N_TRAIN]
    batches = [order[i : i + BATCH] for i in range(0, N_TRAIN, BATCH)]
    return X, y, batches


def tinygrad_nn_epoch() -> Callable[[], float]:
    """One epoch of the digits SNN with tinygrad_nn.snn; returns the last loss."""
    import tinygrad_nn as tnn
    from tinygrad_nn import nn, snn

    X, y, batches = _data()
    tnn.manual_seed(0)
    net = nn.Sequential(
        nn.Linear(64, 128),
        snn.Leaky(beta=BETA, init_hidden=True),
        nn.Linear(128, 10),
        snn.Leaky(beta=BETA, init_hidden=True),
    )
    opt = tnn.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = snn.functional.ce_rate_loss()

    def epoch() -> float:
        for idx in batches:
            snn.utils.reset(net)
            spk_in = snn.spikegen.rate(tnn.tensor(X[idx]), num_steps=STEPS)
            spk_out = tnn.stack([net(spk_in[t]) for t in range(STEPS)])
            loss = loss_fn(spk_out, tnn.tensor(y[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()

    return epoch


def snntorch_epoch() -> Callable[[], float]:
    """The same epoch with snnTorch on PyTorch."""
    import snntorch
    import torch
    from snntorch import functional, spikegen, utils

    X, y, batches = _data()
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(64, 128),
        snntorch.Leaky(beta=BETA, init_hidden=True),
        torch.nn.Linear(128, 10),
        snntorch.Leaky(beta=BETA, init_hidden=True),
    )
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = functional.ce_rate_loss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def epoch() -> float:
        for idx in batches:
            i = torch.from_numpy(idx)
            utils.reset(net)
            spk_in = spikegen.rate(Xt[i], num_steps=STEPS)
            spk_out = torch.stack([net(spk_in[t]) for t in range(STEPS)])
            loss = loss_fn(spk_out, yt[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()

    return epoch


def main() -> None:
    from run import time_it
    from threadpoolctl import threadpool_limits  # the bench extra

    with threadpool_limits(1):
        t_ours = time_it(tinygrad_nn_epoch(), 4.0, 3).median
        print(f"tinygrad_nn.snn  {t_ours:.3f} s per epoch (one thread)")
        try:
            import torch

            torch.set_num_threads(1)
            t_theirs = time_it(snntorch_epoch(), 4.0, 3).median
        except ImportError:
            print("snnTorch not installed: pip install torch && pip install --no-deps snntorch")
            return
    print(f"snnTorch         {t_theirs:.3f} s per epoch   ratio {t_ours / t_theirs:.2f}x")


if __name__ == "__main__":
    main()
