"""``nn.utils.rnn``: padding and packing are gathers of rows, so their gradients and those of
a recurrent layer over a packed batch equal central differences in float64 (drawn lengths,
layouts and padding sides); a PackedSequence keeps its order and converts its data."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt
from tinygrad_nn.nn.utils import rnn

QUICK = settings(max_examples=15, deadline=None)
LENGTHS = st.lists(st.integers(1, 4), min_size=1, max_size=4)


def _sequences(lengths, features, seed):
    gen = np.random.default_rng(seed)
    return [tnn.tensor(gen.standard_normal((n, features)), requires_grad=True) for n in lengths]


@QUICK
@given(LENGTHS, st.integers(1, 2), st.booleans(), st.sampled_from(["right", "left"]))
def test_pad_sequence_gradient_matches_finite_differences(lengths, features, batch_first, side):
    seqs = _sequences(lengths, features, len(lengths))
    assert tt.check_grad(lambda *xs: rnn.pad_sequence(xs, batch_first, -2.0, side), seqs)


@QUICK
@given(LENGTHS, st.booleans(), st.integers(0, 2**16))
def test_pack_and_unpack_gradients_match_finite_differences(lengths, batch_first, seed):
    padded = rnn.pad_sequence(_sequences(lengths, 2, seed), batch_first).detach()
    padded.requires_grad_(True)

    def pack(x):
        return rnn.pack_padded_sequence(x, lengths, batch_first, enforce_sorted=False).data

    assert tt.check_grad(pack, [padded])
    packed = rnn.pack_padded_sequence(padded, lengths, batch_first, enforce_sorted=False)
    data = packed.data.detach().requires_grad_(True)

    def unpack(d):
        return rnn.pad_packed_sequence(packed._replace(data=d), batch_first, 0.5, 5)[0]

    assert tt.check_grad(unpack, [data])


@QUICK
@given(LENGTHS, st.sampled_from(["RNN", "GRU", "LSTM"]), st.booleans(), st.integers(0, 99))
def test_recurrent_layer_over_a_packed_batch_has_finite_difference_gradients(
    lengths, mode, bidirectional, seed
):
    tnn.manual_seed(seed)
    layer = getattr(tnn.nn, mode)(2, 2, bidirectional=bidirectional).double()
    seqs = _sequences(lengths, 2, seed)
    h0 = _sequences([2 if bidirectional else 1], len(lengths) * 2, seed + 1)[0]
    h0 = h0.detach().reshape(-1, len(lengths), 2).requires_grad_(True)

    def run(h0, *xs):
        hx = (h0, h0 * 0.5) if mode == "LSTM" else h0
        output, h_n = layer(rnn.pack_sequence(xs, enforce_sorted=False), hx)
        h_n = h_n[1] if mode == "LSTM" else h_n
        return tnn.cat([output.data.flatten(), h_n.flatten()])

    assert tt.check_grad(run, [h0, *seqs])


def test_each_sequence_steps_over_its_own_length_only():
    """Packed, a sequence gives what it gives alone, in both directions; the final states
    come back in the caller's order."""
    layer = tnn.nn.GRU(2, 3, bidirectional=True, batch_first=True).double()
    seqs = _sequences([2, 4, 1], 2, 0)
    output, h_n = layer(rnn.pack_sequence(seqs, enforce_sorted=False))
    padded, lengths = rnn.pad_packed_sequence(output, batch_first=True)
    assert lengths.tolist() == [2, 4, 1]
    for b, seq in enumerate(seqs):
        alone, h_alone = layer(seq.unsqueeze(0))
        n = seq.shape[0]
        np.testing.assert_allclose(padded[b, :n].detach().numpy(), alone[0].detach().numpy())
        np.testing.assert_allclose(h_n[:, b].detach().numpy(), h_alone[:, 0].detach().numpy())
        assert not padded[b, n:].detach().numpy().any()


def test_packed_sequence_knows_its_inverse_order_and_converts_its_data():
    packed = rnn.PackedSequence(tnn.ones(3, 2), tnn.tensor([2, 1]), tnn.tensor([1, 0]))
    assert packed.unsorted_indices.tolist() == [1, 0]
    as_double = packed.to(tnn.float64)
    assert as_double.data.dtype == tnn.float64 and as_double.batch_sizes is packed.batch_sizes
    assert packed.to(tnn.float32) is packed
