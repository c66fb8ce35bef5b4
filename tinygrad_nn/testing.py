"""Hypothesis strategies for testing ops: tensors of drawn shapes and dtypes, mutually
broadcastable shapes, and per-op input domains. Our own tests use them; so can yours::

    from hypothesis import given
    from tinygrad_nn import testing as tt

    @given(tt.tensors(elements=tt.POSITIVE))
    def test_log_grad(x):
        assert tnn.gradcheck(lambda t: t.log(), [x])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .gradcheck import gradcheck, gradgradcheck
from .tensor import Tensor, leaf, wrap

__all__ = [
    "check_grad",
    "check_gradgrad",
    "shapes",
    "broadcastable_shapes",
    "arrays",
    "tensors",
    "broadcast_tensors",
    "assert_same_result",
    "assert_same_gradients",
    "assert_same_case",
    "assert_same_error",
]

#: Tolerances of our own gradient tests: central differences in float64 with eps = 1e-6 are
#: good to about 1e-9 here, so these catch a backward that is off by 1e-6, which the
#: defaults of ``gradcheck`` (atol=1e-5, rtol=1e-3, as PyTorch's) would let through.
ATOL, RTOL = 1e-7, 1e-6


def reference_library(name: str) -> Any:
    """The optional reference library ``name`` (``"torch"``, ``"snntorch"``, ...) for a test:
    imported when installed, the test skipped when not. When the environment variable
    ``TINYGRAD_NN_REQUIRE_<NAME>`` is ``1`` (CI sets it after installing the library) a
    failing import is an error, so a broken install cannot turn comparisons into skips."""
    import importlib
    import os

    import pytest

    if os.environ.get(f"TINYGRAD_NN_REQUIRE_{name.upper()}") == "1":
        return importlib.import_module(name)
    return pytest.importorskip(name)


def required_program(name: str, install: str = "") -> str:
    """The path of the program ``name`` (``"dot"``) for a test, which is skipped without it;
    with ``TINYGRAD_NN_REQUIRE_<NAME>=1`` (CI) a missing program fails the test instead.
    ``install`` says how to get it."""
    import os
    import shutil

    import pytest

    path = shutil.which(name)
    if path is None:
        variable = f"TINYGRAD_NN_REQUIRE_{name.upper()}"
        missing = f"the program {name!r} is not installed" + (f" ({install})" if install else "")
        if os.environ.get(variable) == "1":
            pytest.fail(f"{missing}, and {variable}=1 requires it")
        pytest.skip(missing)
    return path


def run_warning_free(program: str) -> str:
    """Run the Python source ``program`` in a fresh interpreter that turns a numpy warning
    (``RuntimeWarning``) into an error, check that it exits cleanly and prints nothing on
    stderr, and return what it printed. In a program of its own because pytest's collection
    drops the package's import-time warnings filter."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", program],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr[-2000:]
    return run.stdout


def assert_same_result(out: Any, ref: Any) -> None:
    """``out`` (ours) and ``ref`` (a reference library's tensor, e.g. torch's) have the same
    dtype name, shape and elements, recursively for tuples and lists of them."""
    if isinstance(ref, (tuple, list)):
        assert len(out) == len(ref)
        for o, r in zip(out, ref):
            assert_same_result(o, r)
        return
    ref_dtype = str(ref.dtype).removeprefix("torch.")
    assert (str(out.dtype), tuple(out.shape)) == (ref_dtype, tuple(ref.shape))
    np.testing.assert_array_equal(np.asarray(out.detach()), ref.detach().numpy())


def assert_same_gradients(
    out: Tensor, ref: Any, ours: Any, theirs: Any, rng: np.random.Generator
) -> None:
    """``out`` and ``ref``, outputs of ours and of a reference library (float64), agree in
    shape and values, and so do the gradients of the inputs ``ours`` and ``theirs`` after a
    backward of one random upstream gradient (an input without one counts as zeros)."""
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-14)
    v = rng.standard_normal(tuple(ref.shape))
    out.backward(wrap(v))
    ref.backward(ref.new_tensor(v))
    for o, r in zip(ours, theirs):
        got, expected = (
            np.zeros(tuple(r.shape)) if t.grad is None else t.grad.numpy() for t in (o, r)
        )
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def assert_same_case(fn: Any, arrays: Any, ours: Any, reference: Any, rng: Any) -> None:
    """``fn(library, *leaves)`` of our library ``ours`` and of ``reference`` (torch), on
    float64 leaves requiring grad made from ``arrays``: ours is float64, and the values and
    gradients agree (``assert_same_gradients``)."""
    mine = [ours.tensor(a, dtype=ours.float64, requires_grad=True) for a in arrays]
    theirs = [reference.tensor(a, dtype=reference.float64, requires_grad=True) for a in arrays]
    out = fn(ours, *mine)
    assert str(out.dtype) == "float64"
    assert_same_gradients(out, fn(reference, *theirs), mine, theirs, rng)


def assert_same_error(call: Any, ours: Any, reference: Any) -> None:
    """``call(reference)`` raises, and ``call(ours)`` (the same code on our library) raises
    an exception of the same type."""
    import pytest

    with pytest.raises(Exception) as expected:
        call(reference)
    with pytest.raises(expected.type):
        call(ours)


def check_grad(fn: Any, inputs: Any) -> bool:
    """``gradcheck`` with the tight tolerances above."""
    return gradcheck(fn, inputs, atol=ATOL, rtol=RTOL)


def check_gradgrad(fn: Any, inputs: Any) -> bool:
    """``gradgradcheck`` with the tight tolerances above."""
    return gradgradcheck(fn, inputs, atol=ATOL, rtol=RTOL)


#: Values where smooth ops are well conditioned.
REAL = st.floats(-3.0, 3.0, allow_nan=False, allow_subnormal=False)
#: Strictly positive values, for log, sqrt, division and non-integer powers.
POSITIVE = st.floats(0.2, 3.0, allow_nan=False)
#: Values at least 0.01 away from 0, for ops with a kink there (abs, relu).
AWAY_FROM_ZERO = st.one_of(st.floats(-3.0, -0.01), st.floats(0.01, 3.0))


def shapes(
    min_dims: int = 0, max_dims: int = 3, max_side: int = 4, min_side: int = 1
) -> st.SearchStrategy:
    """Array shapes, including 0-d and size-1 sides (unless ``min_side`` > 1)."""
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


#: Distinct-friendly values on a grid of 0.01, for ops with kinks where two inputs tie (max):
#: drawn with ``unique=True`` every pair differs by at least 0.01, far more than eps.
GRID = st.integers(-300, 300).map(lambda k: k / 100)


def broadcastable_shapes(
    num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3, max_side: int = 4
) -> st.SearchStrategy:
    """Tuples of ``num_shapes`` shapes that broadcast together (with 1s and missing axes)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, max_side=max_side
    ).map(lambda s: s.input_shapes)


def arrays(
    shape: Any = None,
    dtype: Any = np.float64,
    elements: st.SearchStrategy = REAL,
    unique: bool = False,
) -> st.SearchStrategy:
    """numpy arrays of ``shape`` (a shape or a strategy; drawn when None)."""
    return hnp.arrays(
        dtype=np.dtype(dtype),
        shape=shapes() if shape is None else shape,
        elements=elements,
        unique=unique,
    )


def tensors(
    shape: Any = None,
    dtype: Any = np.float64,
    elements: st.SearchStrategy = REAL,
    requires_grad: bool = True,
    unique: bool = False,
) -> st.SearchStrategy:
    """Tensors of drawn values (float64 and requiring grad by default, for gradcheck)."""
    return arrays(shape, dtype, elements, unique).map(
        lambda a: leaf(a, requires_grad and a.dtype.kind == "f")
    )


@st.composite
def broadcast_tensors(
    draw: Any, num: int = 2, elements: Any = REAL, max_dims: int = 3
) -> tuple[Tensor, ...]:
    """``num`` tensors of mutually broadcastable shapes; ``elements`` may be one strategy or
    one per tensor."""
    shape_tuple = draw(broadcastable_shapes(num, max_dims=max_dims))
    elems = elements if isinstance(elements, (list, tuple)) else [elements] * num
    return tuple(draw(tensors(s, elements=e)) for s, e in zip(shape_tuple, elems))
