"""RNN, LSTM, GRU and their cells against PyTorch in float64: with torch's weights loaded
through ``load_state_dict`` (same keys), the outputs, the final states and the gradients of
every parameter, of the input and of the initial states agree; so do parameter names and
shapes, ``repr``, and the errors for wrong sizes and dims."""

import warnings

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

L, N, H_IN, H = 5, 3, 4, 3
TOL = dict(rtol=1e-10, atol=1e-12)

# name -> (constructor keywords, batched?, initial state given?)
CONFIGS = {
    "one_layer": (dict(), True, False),
    "two_layers_bidirectional": (dict(num_layers=2, bidirectional=True), True, False),
    "batch_first_no_bias": (dict(batch_first=True, bias=False), True, False),
    "unbatched": (dict(num_layers=2), False, False),
    "initial_state": (dict(num_layers=2, bidirectional=True, batch_first=True), True, True),
    "initial_state_unbatched": (dict(bidirectional=True), False, True),
    "eval_dropout": (dict(num_layers=2, dropout=0.5), True, True),
}
EXTRA = {  # what only one module has
    ("RNN", "relu"): dict(nonlinearity="relu", num_layers=2, bidirectional=True),
    ("LSTM", "proj_size"): dict(proj_size=2, num_layers=2, bidirectional=True),
}
CASES = [(m, c, *CONFIGS[c]) for m in ("RNN", "LSTM", "GRU") for c in CONFIGS] + [
    (m, c, kw, True, True) for (m, c), kw in EXTRA.items()
]


def _flat(out):
    """The tensors of an output such as ``(output, (h_n, c_n))``, in order."""
    return [t for o in out for t in _flat(o)] if isinstance(out, tuple) else [out]


def _pair(name, **kw):
    """The same module from both libraries, float64, torch's weights in ours."""
    theirs = getattr(torch.nn, name)(**kw).double()
    ours = getattr(nn, name)(**kw).double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    if kw.get("dropout"):
        ours.eval(), theirs.eval()
    return ours, theirs


def _compare(ours, theirs, arrays):
    """Call both on ``arrays`` (the input, then the states), compare every output with
    torch's, then every gradient of a random weighted sum of the outputs."""
    xs = [tnn.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    args = lambda v: v if len(v) < 3 else [v[0], tuple(v[1:])]  # noqa: E731  LSTM's (h, c)
    got, want = _flat(ours(*args(xs))), _flat(theirs(*args(ts)))
    assert [tuple(g.shape) for g in got] == [tuple(w.shape) for w in want]
    rng = np.random.default_rng(1)
    weights = [rng.standard_normal(tuple(w.shape)) for w in want]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.detach().numpy(), w.detach().numpy(), **TOL)
    sum((g * tnn.from_numpy(v)).sum() for g, v in zip(got, weights)).backward()
    sum((w * torch.tensor(v)).sum() for w, v in zip(want, weights)).backward()
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), **TOL, err_msg=name)
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), **TOL)


@pytest.mark.parametrize(
    "name, config, kw, batched, with_state", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_sequence_outputs_states_and_gradients_match_torch(name, config, kw, batched, with_state):
    ours, theirs = _pair(name, input_size=H_IN, hidden_size=H, **kw)
    rng = np.random.default_rng(0)
    shape = (N, L, H_IN) if kw.get("batch_first") else (L, N, H_IN)
    arrays = [rng.standard_normal(shape if batched else (L, H_IN))]
    if with_state:
        for size in [kw.get("proj_size") or H] + [H] * (name == "LSTM"):
            layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
            arrays.append(rng.standard_normal((layers, N, size) if batched else (layers, size)))
    _compare(ours, theirs, arrays)


CELL_CASES = [
    (name, kw, batched, with_state)
    for name in ("RNNCell", "LSTMCell", "GRUCell")
    for kw, batched, with_state in [
        (dict(), True, True),
        (dict(), False, False),
        (dict(bias=False), True, False),
        (dict(bias=False), False, True),
    ]
] + [("RNNCell", dict(nonlinearity="relu"), True, True)]


@pytest.mark.parametrize("name, kw, batched, with_state", CELL_CASES)
def test_cell_step_and_gradients_match_torch(name, kw, batched, with_state):
    ours, theirs = _pair(name, input_size=H_IN, hidden_size=H, **kw)
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((N, H_IN) if batched else (H_IN,))]
    if with_state:
        states = 2 if name == "LSTMCell" else 1
        arrays += [rng.standard_normal((N, H) if batched else (H,)) for _ in range(states)]
    _compare(ours, theirs, arrays)


def test_cells_unrolled_by_hand_match_the_sequence_module():
    """The cell is one step of the layer: the same weights give the same sequence."""
    layer, cell = nn.LSTM(H_IN, H).double(), nn.LSTMCell(H_IN, H).double()
    cell.load_state_dict({k[:-3]: v for k, v in layer.state_dict().items()})
    x = tnn.from_numpy(np.random.default_rng(0).standard_normal((L, N, H_IN)))
    with tnn.no_grad():
        output, (h_n, c_n) = layer(x)
        h = c = tnn.zeros(N, H, dtype=tnn.float64)
        for t in range(L):
            h, c = cell(x[t], (h, c))
            np.testing.assert_allclose(output[t].numpy(), h.numpy(), **TOL)
    np.testing.assert_allclose(c_n[0].numpy(), c.numpy(), **TOL)


MODULES = {
    "RNN": dict(num_layers=2, nonlinearity="relu", bias=False, batch_first=True),
    "LSTM": dict(num_layers=2, bidirectional=True, proj_size=2, dropout=0.25),
    "GRU": dict(bidirectional=True),
    "RNNCell": dict(nonlinearity="relu"),
    "LSTMCell": dict(bias=False),
    "GRUCell": dict(),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_parameter_names_shapes_bounds_and_repr_are_torchs(name):
    ours = getattr(nn, name)(H_IN, 5, **MODULES[name])
    theirs = getattr(torch.nn, name)(H_IN, 5, **MODULES[name])
    want = [(k, tuple(v.shape)) for k, v in theirs.named_parameters()]
    assert [(k, tuple(v.shape)) for k, v in ours.named_parameters()] == want
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    for p in ours.parameters():  # uniform in ±1/sqrt(hidden_size), float32
        assert p.dtype == tnn.float32 and np.abs(p.detach().numpy()).max() <= 5**-0.5


def test_all_weights_lists_each_layer_and_direction_as_torch():
    ours, theirs = nn.GRU(2, 3, 2, bidirectional=True), torch.nn.GRU(2, 3, 2, bidirectional=True)
    assert [[tuple(p.shape) for p in ps] for ps in ours.all_weights] == [
        [tuple(p.shape) for p in ps] for ps in theirs.all_weights
    ]


def _x(*shape):
    return np.zeros(shape)


BAD_CALLS = {  # module, constructor keywords, arrays of the call (None: not given)
    "input_1d": ("RNN", dict(), [_x(4)]),
    "input_4d": ("GRU", dict(), [_x(1, 2, 3, 4)]),
    "lstm_input_4d": ("LSTM", dict(), [_x(1, 2, 3, 4)]),
    "features": ("GRU", dict(), [_x(5, 2, 3)]),
    "empty_sequence": ("LSTM", dict(batch_first=True), [_x(2, 0, 4)]),
    "features_batch_first": ("LSTM", dict(batch_first=True), [_x(5, 2, 6)]),
    "hidden_batch": ("RNN", dict(), [_x(5, 2, 4), _x(1, 3, 3)]),
    "hidden_layers": ("GRU", dict(num_layers=2), [_x(5, 2, 4), _x(1, 2, 3)]),
    "hidden_size_bidirectional": ("RNN", dict(bidirectional=True), [_x(5, 2, 4), _x(2, 2, 4)]),
    "hidden_2d_for_batched": ("RNN", dict(), [_x(5, 2, 4), _x(2, 3)]),
    "hidden_3d_for_unbatched": ("GRU", dict(), [_x(5, 4), _x(1, 1, 3)]),
    "unbatched_hidden_size": ("GRU", dict(), [_x(5, 4), _x(1, 4)]),
    "lstm_cell_state_size": ("LSTM", dict(proj_size=2), [_x(5, 2, 4), _x(1, 2, 2), _x(1, 2, 2)]),
    "lstm_hidden_size": ("LSTM", dict(), [_x(5, 2, 4), _x(1, 2, 2), _x(1, 2, 3)]),
    "lstm_state_dims": ("LSTM", dict(), [_x(5, 2, 4), _x(1, 2, 3), _x(2, 3)]),
    "lstm_unbatched_state_dims": ("LSTM", dict(), [_x(5, 4), _x(1, 1, 3), _x(1, 3)]),
    "cell_input_3d": ("RNNCell", dict(), [_x(1, 2, 4)]),
    "cell_hidden_3d": ("GRUCell", dict(), [_x(2, 4), _x(1, 2, 3)]),
    "lstm_cell_hx_3d": ("LSTMCell", dict(), [_x(2, 4), _x(2, 3), _x(1, 2, 3)]),
    "cell_features": ("GRUCell", dict(), [_x(2, 5)]),
    "cell_batch": ("RNNCell", dict(), [_x(2, 4), _x(3, 3)]),
    "cell_hidden_size": ("LSTMCell", dict(), [_x(2, 4), _x(2, 3), _x(2, 4)]),
    "cell_unbatched_with_batched_hidden": ("GRUCell", dict(), [_x(4), _x(2, 3)]),
}


def _error(module, arrays, make):
    args = [make(a) for a in arrays]
    if len(args) == 3:
        args = [args[0], tuple(args[1:])]
    try:
        module(*args)
    except Exception as e:  # noqa: BLE001  the error is what we compare
        return type(e), str(e)
    return None


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_wrong_sizes_and_dims_raise_torchs_error(case):
    name, kw, arrays = BAD_CALLS[case]
    ours = getattr(nn, name)(4, 3, **kw).double()
    theirs = getattr(torch.nn, name)(4, 3, **kw).double()
    want = _error(theirs, arrays, torch.tensor)
    assert want is not None
    assert _error(ours, arrays, tnn.tensor) == want


BAD_CONSTRUCTORS = {
    "dropout_above_one": ("GRU", (4, 3), dict(dropout=1.5)),
    "dropout_bool": ("RNN", (4, 3), dict(dropout=True)),
    "bias_not_bool": ("LSTM", (4, 3), dict(bias=1)),
    "batch_first_not_bool": ("LSTM", (4, 3), dict(batch_first="yes")),
    "input_size_float": ("RNN", (4.0, 3), dict()),
    "hidden_size_zero": ("GRU", (4, 0), dict()),
    "num_layers_zero": ("LSTM", (4, 3), dict(num_layers=0)),
    "proj_size_negative": ("LSTM", (4, 3), dict(proj_size=-1)),
    "proj_size_too_big": ("LSTM", (4, 3), dict(proj_size=3)),
    "nonlinearity": ("RNN", (4, 3), dict(nonlinearity="sigmoid")),
}


@pytest.mark.parametrize("case", sorted(BAD_CONSTRUCTORS))
def test_bad_constructor_arguments_raise_torchs_error(case):
    name, args, kw = BAD_CONSTRUCTORS[case]
    with pytest.raises(Exception) as theirs:
        getattr(torch.nn, name)(*args, **kw)
    with pytest.raises(theirs.type, match="^" + __import__("re").escape(str(theirs.value)) + "$"):
        getattr(nn, name)(*args, **kw)


def test_unknown_mode_of_the_base_class_is_refused_as_torch():
    with pytest.raises(ValueError, match="^Unrecognized RNN mode: LSTMP$"):
        torch.nn.RNNBase("LSTMP", 4, 3)
    with pytest.raises(ValueError, match="^Unrecognized RNN mode: LSTMP$"):
        nn.RNNBase("LSTMP", 4, 3)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"])
def test_default_float32_computes_torchs_values_to_float32_rounding(name):
    """The default dtype end to end: the zero initial states, the outputs and gradients."""
    kw = dict(num_layers=2, bidirectional=True) if not name.endswith("Cell") else {}
    theirs = getattr(torch.nn, name)(H_IN, H, **kw)
    ours = getattr(nn, name)(H_IN, H, **kw)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((N, H_IN) if not kw else (L, N, H_IN))
    x = x.astype(np.float32)
    got, want = _flat(ours(tnn.tensor(x))), _flat(theirs(torch.tensor(x)))
    for g, w in zip(got, want):
        assert g.dtype == tnn.float32
        np.testing.assert_allclose(g.detach().numpy(), w.detach().numpy(), rtol=1e-5, atol=1e-6)
    sum(g.sum() for g in got).backward()
    sum(w.sum() for w in want).backward()
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_dropout_with_one_layer_warns_as_torch():
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.nn.LSTM(4, 3, dropout=0.5)
    with pytest.warns(UserWarning) as ours:
        nn.LSTM(4, 3, dropout=0.5)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


def test_input_of_another_dtype_is_refused_naming_both():
    with pytest.raises(ValueError, match=r"RNN input dtype \(float32\) does not match weight"):
        nn.GRU(4, 3).double()(tnn.zeros(5, 2, 4))
