"""cross_entropy and nll_loss (functions and modules) refuse integer and bool input, the
logits or log-probabilities, as PyTorch does (NotImplementedError, a RuntimeError), for every
input layout and kind of target: no loss is computed of such a tensor."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

#: input shape -> class-index target (and, for cross_entropy, a probability target)
LAYOUTS = {
    "(N, C)": ((2, 3), [0, 2]),
    "(C,)": ((3,), 1),
    "(N, C, d)": ((2, 3, 2), [[0, 1], [2, 0]]),
}


def _call(L, loss, spelling, x, target):
    if spelling == "module":
        name = {"cross_entropy": "CrossEntropyLoss", "nll_loss": "NLLLoss"}[loss]
        return getattr(L.nn, name)()(x, target)
    return getattr(L.nn.functional, loss)(x, target)


@pytest.mark.parametrize("spelling", ["function", "module"])
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
def test_integer_or_bool_input_is_refused_as_pytorch(loss, layout, dtype, spelling):
    shape, indices = LAYOUTS[layout]
    x = np.arange(np.prod(shape)).reshape(shape) % 2
    targets = [np.array(indices)]
    if loss == "cross_entropy":
        targets.append(np.full(shape, 1 / 3))  # class probabilities, C = 3
    for target in targets:
        tt.assert_same_error(
            lambda L, t=target: _call(L, loss, spelling, L.tensor(x.astype(dtype)), L.tensor(t)),
            tnn,
            torch,
        )
