"""``repr`` of tensors and ``set_printoptions`` against PyTorch: the same text, character for
character (dtype names aside: ``float64`` where torch says ``torch.float64``), for every
option and profile on integers, floats that need decimals or scientific notation, non-finite
values, empty and 0-d tensors, wrapped rows and summarised tensors of 1 to 3 dims."""

import re

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(0)
ARRAYS = {
    "ints": np.array([1, -20, 300]),
    "int32": np.array([[7, -8]], dtype=np.int32),
    "uint8": np.arange(5, dtype=np.uint8),
    "bools": np.array([True, False]),
    "integral-floats": np.array([1.0, -2.0, 30.0], dtype=np.float32),
    "decimals": np.array([-0.7616, 0.0, 0.7616, 12.5], dtype=np.float32),
    "negative-zero": np.array([-0.0, 0.5], dtype=np.float32),
    "small": np.array([1e-5, 1.0], dtype=np.float32),
    "wide-range": np.array([0.5, 2000.0], dtype=np.float32),
    "huge": np.array([3e9, 1.0]),
    "non-finite": np.array([np.nan, -np.inf, 1.5, np.inf], dtype=np.float32),
    "non-finite-integral": np.array([np.nan, 2.0], dtype=np.float32),
    "zeros": np.zeros(3, dtype=np.float32),
    "scalar": np.array(3.25, dtype=np.float32),
    "int-scalar": np.array(-4),
    "float64": rng.standard_normal((2, 3)),
    "matrix": rng.standard_normal((3, 4)).astype(np.float32),
    "3d": (rng.standard_normal((2, 3, 4)) * 100).astype(np.float32),
    "long-row": rng.standard_normal(30).astype(np.float32),
    "long-int-row": np.arange(40) * 1000,
    "summarised": np.arange(2000.0, dtype=np.float32) / 7,
    "summarised-2d": rng.standard_normal((40, 30)).astype(np.float32),
    "summarised-3d": np.arange(3000).reshape(10, 15, 20),
    "empty": np.zeros(0, dtype=np.float32),
    "empty-2d": np.zeros((0, 3), dtype=np.float32),
    "empty-int": np.zeros(0, dtype=np.int64),
}
OPTIONS = {
    "default": {},
    "precision-2": {"precision": 2},
    "precision-0": {"precision": 0},
    "threshold-5": {"threshold": 5},
    "edgeitems-1": {"threshold": 5, "edgeitems": 1},
    "edgeitems-0": {"threshold": 5, "edgeitems": 0},
    "linewidth-40": {"linewidth": 40},
    "sci-on": {"sci_mode": True},
    "sci-off": {"sci_mode": False},
    "short": {"profile": "short"},
    "full": {"profile": "full"},
    "short-precision-5": {"profile": "short", "precision": 5},
}


@pytest.fixture(autouse=True)
def default_options():
    yield
    tnn.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


def _unwrapped(text):
    """Suffixes joined to their line: ``dtype=torch.uint8`` is longer than ``dtype=uint8``, so
    torch may move a dtype suffix to its own line where ours fits."""
    return re.sub(r",\n +(dtype|size)=", r", \1=", text)


def _torch_text(a):
    return _unwrapped(repr(torch.from_numpy(a.copy())).replace("torch.", ""))


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
@pytest.mark.parametrize("name", ARRAYS)
def test_repr_is_torchs_text(name, options):
    tnn.set_printoptions(**options)
    torch.set_printoptions(**options)
    assert _unwrapped(repr(tnn.tensor(ARRAYS[name]))) == _torch_text(ARRAYS[name])


@pytest.mark.parametrize("n", [7, 8, 9])
def test_suffixes_wrap_at_the_line_width_as_torch(n):
    a = rng.standard_normal(n).astype(np.float32)
    expected = repr(torch.tensor(a, requires_grad=True))
    assert repr(tnn.tensor(a, requires_grad=True)) == expected
    assert ("\n       requires_grad" in expected) == (n < 9)  # 9: a second, short line


def test_a_parameter_prints_as_torchs():
    a = np.array([[0.5, -1.0]], dtype=np.float32)
    assert repr(tnn.nn.Parameter(a)) == repr(torch.nn.Parameter(torch.from_numpy(a)))


def test_default_profile_resets_everything_and_a_call_without_sci_mode_resets_it():
    a = ARRAYS["decimals"]
    tnn.set_printoptions(precision=1, threshold=2, edgeitems=1, linewidth=20, sci_mode=True)
    tnn.set_printoptions(profile="default")
    assert repr(tnn.tensor(a)) == _torch_text(a)
    tnn.set_printoptions(sci_mode=True)
    tnn.set_printoptions(precision=4)  # as torch: sci_mode goes back to None
    assert tnn.get_printoptions()["sci_mode"] is None
    torch.set_printoptions(sci_mode=True)
    torch.set_printoptions(precision=4)
    assert repr(tnn.tensor(a)) == _torch_text(a)


def test_printoptions_restores_the_options_after_the_block():
    before = tnn.get_printoptions()
    with tnn.printoptions(precision=1):
        assert repr(tnn.tensor([0.25])) == "tensor([0.2])"  # round half to even, as torch
    assert tnn.get_printoptions() == before
    assert before == {k: v for k, v in torch._tensor_str.get_printoptions().items() if k in before}
