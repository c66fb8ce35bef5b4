"""What PyTorch programs ask a tensor about itself and about the runtime: strides and sizes,
memory formats, ``in``, the forms of ``where``, ``squeeze`` of several dims, inference mode,
dtype limits, and sampling from the global generator."""

import numpy as np
import pytest

import tinygrad_nn as tnn


def test_strides_sizes_and_addresses_are_the_arrays():
    x = tnn.ones(2, 3, dtype=tnn.float64)
    assert x.stride() == (3, 1) and x.t().stride() == (1, 3) and x.stride(-2) == 3
    assert (x.element_size(), x.itemsize, x.nbytes) == (8, 8, 48)
    assert (x.ndimension(), x.nelement()) == (2, 6)
    assert x[1].data_ptr() == x.data_ptr() + 24


def test_contiguous_copies_a_view_in_the_graph_and_keeps_a_contiguous_tensor():
    x = tnn.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    assert x.contiguous() is x
    t = x.t()
    c = t.contiguous()
    assert not t.is_contiguous() and c.is_contiguous() and c.stride() == (2, 1)
    (c * tnn.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 3.0], [2.0, 4.0]])


def test_clone_keeps_strides_or_makes_them_row_major():
    t = tnn.ones(2, 3).t()
    assert t.clone().stride() == (1, 3)
    assert t.clone(memory_format=tnn.contiguous_format).stride() == (2, 1)
    with pytest.raises(TypeError, match="memory_format"):
        t.clone(memory_format="C")


def test_in_compares_elements():
    x = tnn.tensor([1.0, 2.0])
    assert 2.0 in x and 3 not in x and tnn.tensor(1.0) in x
    with pytest.raises(RuntimeError, match="str"):
        "a" in x  # noqa: B015


def test_where_alone_gives_indices_and_numbers_give_their_dtype():
    cond = tnn.tensor([[True, False], [False, True]])
    rows, cols = tnn.where(cond)
    assert rows.tolist() == [0, 1] and cols.tolist() == [0, 1]
    assert tnn.where(cond, 1, 0).dtype == tnn.int64
    assert tnn.where(cond, 1, 0.5).dtype == tnn.float32
    assert tnn.ones(2, 2).where(cond, 0.0).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_squeeze_of_several_dims_drops_only_the_ones_of_size_1():
    x = tnn.ones(1, 2, 1)
    assert x.squeeze((0, 2)).shape == (2,) and x.squeeze([0, 1]).shape == (2, 1)
    assert x.squeeze(()).shape == (1, 2, 1)


def test_clamp_by_tensors_takes_max_where_min_is_above_it():
    x = tnn.tensor([1.0, 5.0])
    assert x.clamp(tnn.tensor(2.0), tnn.tensor([1.0, 9.0])).tolist() == [1.0, 5.0]
    with pytest.raises(TypeError, match="both be numbers or both be tensors"):
        x.clamp(tnn.tensor(2.0), 3.0)


def test_inference_mode_records_nothing_and_says_so():
    x = tnn.ones(2, requires_grad=True)
    with tnn.inference_mode():
        assert not (x * 2).requires_grad and tnn.is_inference_mode_enabled()
    with tnn.no_grad(), tnn.inference_mode(False):  # as PyTorch's: grad mode on
        assert (x * 2).requires_grad and not tnn.is_inference_mode_enabled()

    @tnn.inference_mode()
    def predict():
        return (x * 2).requires_grad

    assert predict() is False and (x * 2).requires_grad


def test_dtype_limits_are_python_numbers():
    assert tnn.finfo(tnn.float32).eps == 2.0**-23 and tnn.finfo().dtype == "float32"
    assert tnn.finfo(tnn.float64).max == np.finfo(np.float64).max
    assert (tnn.iinfo(tnn.int8).min, tnn.iinfo(tnn.int8).max) == (-128, 127)
    with pytest.raises(TypeError, match="iinfo"):
        tnn.finfo(tnn.int32)
    with pytest.raises(TypeError, match="finfo"):
        tnn.iinfo(tnn.float32)
    assert not tnn.can_cast(tnn.float32, tnn.int64) and tnn.can_cast(tnn.int64, tnn.float32)
    assert tnn.result_type(tnn.tensor([1]), 0.5) == tnn.float32


def test_bernoulli_and_multinomial_draw_with_the_given_probabilities():
    tnn.manual_seed(0)
    p = tnn.full((20_000,), 0.3)
    assert abs(tnn.bernoulli(p).mean().item() - 0.3) < 0.02
    assert abs(tnn.zeros(20_000).bernoulli_(0.7).mean().item() - 0.7) < 0.02
    counts = np.bincount(tnn.multinomial(tnn.tensor([1.0, 3.0]), 20_000, True).numpy())
    assert abs(counts[1] / 20_000 - 0.75) < 0.02
    rows = tnn.multinomial(tnn.tensor([[1.0, 0.0, 2.0]] * 50), 3)  # without replacement
    assert all(sorted(r) == [0, 1, 2] and r[2] == 1 for r in rows.tolist())  # weight 0 last


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: tnn.bernoulli(tnn.tensor([1.5])), "in \\[0, 1\\]"),
        (lambda: tnn.multinomial(tnn.tensor([0.2, -1.0]), 1), "element < 0"),
        (lambda: tnn.multinomial(tnn.tensor([0.0, 0.0]), 1), "sum of probabilities"),
        (lambda: tnn.multinomial(tnn.tensor([1.0, 1.0]), 3), "without replacement"),
        (lambda: tnn.multinomial(tnn.ones(2, 2, 2), 1), "1 or 2 dim"),
    ],
)
def test_bad_probabilities_are_refused(call, error):
    with pytest.raises(RuntimeError, match=error):
        call()


def test_rng_state_round_trips_and_seeds_are_reported():
    tnn.manual_seed(5)
    assert tnn.initial_seed() == 5
    state = tnn.get_rng_state()
    first = tnn.rand(3)
    tnn.set_rng_state(state)
    assert tnn.equal(tnn.rand(3), first) and tnn.initial_seed() == 5
    assert tnn.seed() == tnn.initial_seed()
    with pytest.raises(TypeError, match="uint8"):
        tnn.set_rng_state(tnn.ones(3))


def test_deterministic_flags_are_recorded():
    try:
        tnn.use_deterministic_algorithms(True, warn_only=True)
        assert tnn.are_deterministic_algorithms_enabled()
        assert tnn.is_deterministic_algorithms_warn_only_enabled()
    finally:
        tnn.use_deterministic_algorithms(False)
    with pytest.raises(TypeError, match="bool"):
        tnn.use_deterministic_algorithms(1)


def test_set_num_threads_limits_blas_or_says_it_cannot(monkeypatch):
    with pytest.raises(RuntimeError, match="positive"):
        tnn.set_num_threads(0)
    with pytest.raises(RuntimeError, match="int"):
        tnn.set_num_threads(2.5)
    before = tnn.get_num_threads()  # threadpoolctl is a test dependency: this part always runs
    try:
        tnn.set_num_threads(1)
        assert tnn.get_num_threads() == 1
    finally:
        tnn.set_num_threads(before)
    monkeypatch.setitem(__import__("sys").modules, "threadpoolctl", None)  # not installed
    with pytest.warns(RuntimeWarning, match="threadpoolctl"):
        tnn.set_num_threads(1)
