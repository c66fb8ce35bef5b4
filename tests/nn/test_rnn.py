"""Recurrent layers: gradients equal central differences in float64 (every element of the
input, the states and every parameter, a random upstream gradient) for drawn cells and short
sequences; second order through time; the cell is one step of the layer; dropout between
layers. The comparison with PyTorch is in tests/reference/test_rnn_against_torch.py."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt

QUICK = settings(max_examples=12)
CELLS = {
    "RNNCell": dict(nonlinearity="tanh"),
    "RNNCell_relu": dict(nonlinearity="relu"),
    "LSTMCell": dict(),
    "GRUCell": dict(),
}


def _with_parameters(module, call):
    """``fn(*inputs, *params)`` that runs ``call(module, *inputs)`` with ``params`` in place
    of the module's parameters (so that gradcheck can move them)."""
    names = [k for k, _ in module.named_parameters()]

    def fn(*args):
        inputs, params = args[: len(args) - len(names)], args[len(args) - len(names) :]
        saved = dict(module._parameters)
        module._parameters.update(zip(names, params))
        try:
            return call(module, *inputs)
        finally:
            module._parameters.update(saved)

    return fn, list(module.parameters())


def _one_tensor(out):
    """The outputs of a layer or cell as one tensor, for gradcheck."""
    flat = lambda o: [t for x in o for t in flat(x)] if isinstance(o, tuple) else [o]  # noqa: E731
    return tnn.cat([t.reshape(-1) for t in flat(out)])


def _tensor(rng, *shape):
    return tnn.tensor(rng.standard_normal(shape), requires_grad=True)


@QUICK
@given(
    st.sampled_from(sorted(CELLS)),
    st.sampled_from([(), (1,), (3,)]),  # () unbatched
    st.integers(1, 3),
    st.integers(1, 3),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2**16),
)
def test_cell_gradients_match_finite_differences(name, batch, n_in, n_h, bias, state, seed):
    tnn.manual_seed(seed)
    cell = getattr(nn, name.split("_")[0])(n_in, n_h, bias=bias, **CELLS[name]).double()
    rng = np.random.default_rng(seed)
    inputs = [_tensor(rng, *batch, n_in)]
    if state:
        inputs += [_tensor(rng, *batch, n_h) for _ in range(2 if name == "LSTMCell" else 1)]

    def call(m, x, *hx):
        return _one_tensor(m(x, *([tuple(hx)] if len(hx) == 2 else hx)))

    fn, params = _with_parameters(cell, call)
    assert tt.check_grad(fn, inputs + params)


@QUICK
@given(
    st.sampled_from(["RNN", "LSTM", "GRU"]),
    st.integers(1, 3),  # sequence length
    st.integers(1, 2),  # layers
    st.booleans(),  # bidirectional
    st.booleans(),  # batch_first
    st.booleans(),  # initial state given
    st.integers(0, 2**16),
)
def test_sequence_gradients_match_finite_differences(
    name, length, layers, bidirectional, batch_first, state, seed
):
    """Backpropagation through time: every parameter of every layer and direction, the
    input and the initial states."""
    tnn.manual_seed(seed)
    module = getattr(nn, name)(
        2, 2, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first
    ).double()
    rng = np.random.default_rng(seed)
    inputs = [_tensor(rng, *((2, length) if batch_first else (length, 2)), 2)]
    if state:
        n = layers * (2 if bidirectional else 1)
        inputs += [_tensor(rng, n, 2, 2) for _ in range(2 if name == "LSTM" else 1)]

    def call(m, x, *hx):
        return _one_tensor(m(x, *([tuple(hx)] if len(hx) == 2 else hx)))

    fn, params = _with_parameters(module, call)
    assert tt.check_grad(fn, inputs + params)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_second_derivatives_through_time_match_finite_differences(name):
    tnn.manual_seed(0)
    module = getattr(nn, name)(2, 2, bidirectional=True).double()
    x = _tensor(np.random.default_rng(0), 3, 2)
    fn, params = _with_parameters(module, lambda m, x: m(x)[0])
    assert tt.check_gradgrad(fn, [x, *params])


def test_lstm_cell_is_one_step_of_the_lstm():
    layer, cell = nn.LSTM(4, 3).double(), nn.LSTMCell(4, 3).double()
    cell.load_state_dict({k[: -len("_l0")]: v for k, v in layer.state_dict().items()})
    x = tnn.from_numpy(np.random.default_rng(0).standard_normal((5, 2, 4)))
    with tnn.no_grad():
        output, (h_n, c_n) = layer(x)
        h = c = tnn.zeros(2, 3, dtype=tnn.float64)
        for t in range(5):
            h, c = cell(x[t], (h, c))
            np.testing.assert_allclose(output[t].numpy(), h.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(c_n[0].numpy(), c.numpy(), rtol=1e-12, atol=1e-14)


def test_dropout_acts_between_layers_in_training_only():
    """With p = 1 the second layer reads zeros in training: its output is that of the
    second layer alone on a zero input; in eval the two layers see the first's output."""
    two = nn.GRU(3, 4, num_layers=2, dropout=1.0).double()
    top = nn.GRU(4, 4).double()
    state = two.state_dict()
    top.load_state_dict({k.replace("l1", "l0"): v for k, v in state.items() if "l1" in k})
    x = tnn.from_numpy(np.random.default_rng(0).standard_normal((5, 2, 3)))
    with tnn.no_grad():
        dropped, _ = two(x)
        alone, _ = top(tnn.zeros(5, 2, 4, dtype=tnn.float64))
        np.testing.assert_allclose(dropped.numpy(), alone.numpy(), rtol=1e-12)
        kept, _ = two.eval()(x)
        bottom = nn.GRU(3, 4).double()
        bottom.load_state_dict({k: v for k, v in state.items() if "l0" in k})
        np.testing.assert_allclose(kept.numpy(), top(bottom(x)[0])[0].numpy(), rtol=1e-12)


def test_gradients_reach_every_step_of_a_long_sequence():
    """The per-step split of the input projections (by halves) gives each step's input its
    own gradient, the first step's too."""
    rnn = nn.RNN(1, 1, bias=False).double()
    with tnn.no_grad():
        rnn.weight_ih_l0.fill_(1.0)
        rnn.weight_hh_l0.fill_(0.5)
    x = tnn.zeros(200, 1, dtype=tnn.float64, requires_grad=True)
    output, h_n = rnn(x)
    h_n.sum().backward()  # at x = 0, dh_T/dx_t = 0.5 ** (T - 1 - t)
    np.testing.assert_allclose(x.grad.numpy()[:, 0], 0.5 ** np.arange(199, -1, -1.0))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nn.LSTM(3, 4)(tnn.zeros(5, 2, 3), tnn.zeros(1, 2, 4)), "LSTM: hx must be a tuple"),
        (lambda: nn.LSTM(3, 4)(tnn.zeros(5, 3), (tnn.zeros(1, 4),)), "got a tuple of 1"),
        (lambda: nn.LSTMCell(3, 4)(tnn.zeros(3), tnn.zeros(4)), "LSTMCell: hx must be a tuple"),
        (lambda: nn.GRU(3, 4)(tnn.zeros(5, 3), (tnn.zeros(1, 4),) * 2), "GRU: hx must be a Te"),
        (lambda: nn.RNNCell(3, 4)(tnn.zeros(3), [tnn.zeros(4)]), "RNNCell: hidden must be a Te"),
    ],
)
def test_a_state_of_the_wrong_kind_is_refused_naming_what_is_expected(call, message):
    with pytest.raises(TypeError, match=message):
        call()
