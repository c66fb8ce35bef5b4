"""``nn.utils.rnn`` against PyTorch (when installed): pad_sequence, pack_padded_sequence,
pad_packed_sequence, pack_sequence and their inverses give PyTorch's tensors (dtype, shape,
every element), and RNN, GRU and LSTM over a PackedSequence give its outputs, final states
and gradients, with unsorted batches, initial states, two layers and both directions."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")

rng = np.random.default_rng(2)
LENGTHS = [2, 5, 3, 5, 1]  # unsorted, with a tie
SEQS = [rng.standard_normal((n, 3)) for n in LENGTHS]


def U(L):
    return L.nn.utils.rnn


def _seqs(L, requires_grad=False):
    return [L.tensor(s, requires_grad=requires_grad) for s in SEQS]


def _padded(L, batch_first=False):
    return U(L).pad_sequence(_seqs(L), batch_first=batch_first)


CASES = {
    "pad_sequence": lambda L: U(L).pad_sequence(_seqs(L)),
    "pad_sequence_batch_first_left": lambda L: U(L).pad_sequence(
        _seqs(L), batch_first=True, padding_value=-1.5, padding_side="left"
    ),
    "pad_sequence_of_ints": lambda L: U(L).pad_sequence(
        [L.tensor([1, 2]), L.tensor([3]), L.tensor([4, 5, 6])], padding_value=7
    ),
    "pad_sequence_of_a_tensor": lambda L: U(L).pad_sequence(L.tensor(SEQS[1])),
    "pad_sequence_of_one": lambda L: U(L).pad_sequence([L.tensor(SEQS[1])], batch_first=True),
    "pack_padded_sorted": lambda L: tuple(
        U(L).pack_padded_sequence(_padded(L)[:, [1, 3, 2]], [5, 5, 3])[:2]
    ),
    "pack_padded_unsorted": lambda L: tuple(
        U(L).pack_padded_sequence(_padded(L), LENGTHS, enforce_sorted=False)
    ),
    "pack_padded_batch_first_tensor_lengths": lambda L: tuple(
        U(L).pack_padded_sequence(
            _padded(L, True), L.tensor(LENGTHS), batch_first=True, enforce_sorted=False
        )
    ),
    "pack_sequence": lambda L: tuple(U(L).pack_sequence(_seqs(L), enforce_sorted=False)),
    "pack_padded_float_lengths": lambda L: tuple(
        U(L).pack_padded_sequence(_padded(L)[:, :2], [2.0, 5.0], enforce_sorted=False)
    ),
    "pad_packed": lambda L: U(L).pad_packed_sequence(
        U(L).pack_sequence(_seqs(L), enforce_sorted=False)
    ),
    "pad_packed_batch_first_total_length": lambda L: U(L).pad_packed_sequence(
        U(L).pack_sequence(_seqs(L), enforce_sorted=False),
        batch_first=True,
        padding_value=3.0,
        total_length=7,
    ),
    "unpad_sequence": lambda L: U(L).unpad_sequence(_padded(L), L.tensor(LENGTHS)),
    "unpack_sequence": lambda L: U(L).unpack_sequence(
        U(L).pack_sequence(_seqs(L), enforce_sorted=False)
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_match_pytorch(name):
    tt.assert_same_result(CASES[name](tnn), CASES[name](torch))


def test_lengths_beyond_the_padded_steps_are_refused():
    """PyTorch reads past the input here (its result holds steps that are not there)."""
    with pytest.raises(RuntimeError, match="length of 6 is longer than the 5 steps"):
        U(tnn).pack_padded_sequence(_padded(tnn), [6, 5, 3, 2, 1])


def test_sorted_pack_has_no_indices_as_pytorchs():
    packed = U(tnn).pack_sequence(_seqs(tnn)[1:2])
    assert packed.sorted_indices is None and packed.unsorted_indices is None


ERRORS = {
    "unsorted_lengths_enforced": lambda L: U(L).pack_padded_sequence(_padded(L), LENGTHS),
    "zero_length": lambda L: U(L).pack_padded_sequence(
        _padded(L), [5, 5, 3, 2, 0], enforce_sorted=False
    ),
    "lengths_of_another_batch": lambda L: U(L).pack_padded_sequence(_padded(L), [5, 3]),
    "lengths_2d": lambda L: U(L).pack_padded_sequence(_padded(L), [LENGTHS]),
    "total_length_too_short": lambda L: U(L).pad_packed_sequence(
        U(L).pack_sequence(_seqs(L), enforce_sorted=False), total_length=4
    ),
    "padding_side": lambda L: U(L).pad_sequence(_seqs(L), padding_side="middle"),
    "empty_list": lambda L: U(L).pad_sequence([]),
    "scalar_sequence": lambda L: U(L).pad_sequence([L.tensor(1.0)]),
    "trailing_shapes_differ": lambda L: U(L).pad_sequence([L.ones(2, 3), L.ones(2, 4)]),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_arguments_raise_what_pytorch_raises(name):
    tt.assert_same_error(ERRORS[name], tnn, torch)


def _run(L, mode, bidirectional, layer_weights, h0):
    layer = getattr(L.nn, mode)(3, 4, num_layers=2, bidirectional=bidirectional).double()
    if layer_weights is not None:
        layer.load_state_dict(layer_weights)
    seqs = _seqs(L, requires_grad=True)
    hx = L.tensor(h0)
    if mode == "LSTM":
        hx = (hx, L.tensor(h0 * 0.5))
    output, h_n = layer(U(L).pack_sequence(seqs, enforce_sorted=False), hx)
    if mode == "LSTM":
        h_n = h_n[0] + 2 * h_n[1]
    padded, _ = U(L).pad_packed_sequence(output, batch_first=True)
    return layer, seqs, output, padded, h_n


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("mode", ["RNN", "GRU", "LSTM"])
def test_recurrent_layers_over_a_packed_batch_match_pytorch(mode, bidirectional):
    h0 = rng.standard_normal((4 if bidirectional else 2, len(SEQS), 4))
    theirs = _run(torch, mode, bidirectional, None, h0)
    weights = {k: v.detach().numpy() for k, v in theirs[0].state_dict().items()}
    ours = _run(tnn, mode, bidirectional, weights, h0)
    for o, t in zip(ours[2], theirs[2]):  # data, batch_sizes, sorted and unsorted indices
        np.testing.assert_allclose(
            o.detach().numpy(), t.detach().numpy(), rtol=1e-10, atol=1e-13
        )  # float64 rounding, an element near 0
    np.testing.assert_allclose(
        ours[4].detach().numpy(), theirs[4].detach().numpy(), rtol=1e-10, atol=1e-13
    )
    g = rng.standard_normal(tuple(theirs[3].shape))
    for L, (_, _, _, padded, h_n) in ((tnn, ours), (torch, theirs)):
        ((padded * L.tensor(g)).sum() + h_n.sum()).backward()
    for o, t in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-9, atol=1e-12)
    for (name, p), q in zip(ours[0].named_parameters(), theirs[0].parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, err_msg=name)
