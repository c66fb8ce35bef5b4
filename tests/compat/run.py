"""Run PyTorch programs with PyTorch or with tinygrad_nn, and print what each printed.

    python tests/compat/run.py torch|tinygrad_nn program.py [program.py ...]

Each program is written for PyTorch (``import torch``, ``from torch import nn``,
``from torch.utils.data import DataLoader``). With ``tinygrad_nn`` the same source runs with
``torch`` and its submodules aliased to tinygrad_nn's in ``sys.modules``: the import swap a
user would make by hand. The programs run one after another in this one process (one import
of torch for all), each from the same state: seeds 0, the default dtype float32, a fresh
temporary working directory. The result is JSON on stdout: ``{program: {"stdout", "error"}}``.
"""

import contextlib
import io
import json
import os
import random
import runpy
import sys
import tempfile
import traceback

import numpy as np

ALIASES = {  # torch module -> tinygrad_nn module
    "torch": "tinygrad_nn",
    "torch.nn": "tinygrad_nn.nn",
    "torch.nn.functional": "tinygrad_nn.nn.functional",
    "torch.nn.init": "tinygrad_nn.nn.init",
    "torch.nn.utils": "tinygrad_nn.nn.utils",
    "torch.nn.utils.rnn": "tinygrad_nn.nn.utils.rnn",
    "torch.optim": "tinygrad_nn.optim",
    "torch.optim.lr_scheduler": "tinygrad_nn.optim.lr_scheduler",
    "torch.utils": "tinygrad_nn.utils",
    "torch.utils.data": "tinygrad_nn.utils.data",
    "torch.autograd": "tinygrad_nn.autograd",
    "torch.linalg": "tinygrad_nn.linalg",
}


def swap_imports() -> None:
    """Make ``import torch`` (and its submodules above) import tinygrad_nn."""
    import importlib

    for name, target in ALIASES.items():
        sys.modules[name] = importlib.import_module(target)


def run(path: str, torch) -> dict:
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    random.seed(0)
    np.random.seed(0)
    out = io.StringIO()
    error = None
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            with contextlib.redirect_stdout(out):
                runpy.run_path(path, run_name="__main__")
        except BaseException:
            error = traceback.format_exc()
        finally:
            os.chdir(here)
    return {"stdout": out.getvalue(), "error": error}


def main(argv: list[str]) -> None:
    library, paths = argv[0], [os.path.abspath(p) for p in argv[1:]]
    if library == "tinygrad_nn":
        swap_imports()
    import torch

    results = {os.path.basename(p): run(p, torch) for p in paths}
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
