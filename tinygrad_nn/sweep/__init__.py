"""Sweeps: run an experiment for every setting of a grid and every seed, in parallel on Dask,
from a laptop (a ``LocalCluster``, the default) to a university cluster (``dask-jobqueue``).

    import tinygrad_nn as tnn

    def trial(lam, seed):
        ...  # train with weight decay lam; tnn.manual_seed(seed) was already called
        return {"test_mse": test_mse}

    if __name__ == "__main__":  # worker processes re-import a script's main module
        table = tnn.sweep.run(trial, {"lam": [1e-4, 1e-3, 1e-2]}, seeds=5, out="runs/decay")
        tnn.sweep.plot(table, "lam", "test_mse")  # mean and spread over the seeds

Each finished trial's row is saved at once in ``out/results.csv``; running the same sweep again
skips the trials already done. Dask is an optional extra (``pip install 'tinygrad_nn[sweep]'``);
``client="serial"`` runs the trials in this process without it.
"""

from .plot import plot, plot_sweep
from .runner import local_client, run
from .space import Distribution, Trial, loguniform, plan, randint, sample, trial_id, uniform
from .table import summarize

__all__ = [
    "Distribution",
    "Trial",
    "local_client",
    "loguniform",
    "plan",
    "plot",
    "plot_sweep",
    "randint",
    "run",
    "sample",
    "summarize",
    "trial_id",
    "uniform",
]
