import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tinygrad_nn.data import Subset, TensorDataset, random_split
from tinygrad_nn.random import manual_seed


def _ids(n):
    return TensorDataset(np.arange(n))


def _assert_partition(parts, n):
    ids = np.concatenate([p.indices for p in parts]) if parts else np.array([])
    assert sorted(ids.tolist()) == list(range(n))


@given(data=st.data(), n=st.integers(0, 200), seed=st.integers(0, 2**32 - 1))
def test_integer_lengths_give_a_partition_of_those_sizes(data, n, seed):
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=4)))
    lengths = np.diff([0, *cuts, n]).tolist()
    parts = random_split(_ids(n), lengths, generator=np.random.default_rng(seed))
    assert [len(p) for p in parts] == lengths
    assert all(isinstance(p, Subset) for p in parts)
    _assert_partition(parts, n)


@given(
    n=st.integers(0, 200),
    weights=st.lists(st.integers(1, 20), min_size=1, max_size=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_fractions_give_floor_sizes_plus_remainder_round_robin(n, weights, seed):
    fractions = [w / sum(weights) for w in weights]
    assume(sum(fractions) <= 1)  # a sum rounded above 1 is read as counts, as in PyTorch
    parts = random_split(_ids(n), fractions, generator=np.random.default_rng(seed))
    sizes = [len(p) for p in parts]
    floors = [math.floor(n * f) for f in fractions]
    remainder = n - sum(floors)
    assert sizes == [f + (k < remainder) for k, f in enumerate(floors)]
    _assert_partition(parts, n)


@pytest.mark.parametrize(
    ("n", "fractions", "sizes"),
    [
        (30, [0.3, 0.3, 0.4], [9, 9, 12]),
        (11, [0.5, 0.5], [6, 5]),
        (7, [1 / 3, 1 / 3, 1 / 3], [3, 2, 2]),
        (10, [0.7, 0.15, 0.15], [8, 1, 1]),
    ],
)
def test_fraction_sizes_worked_examples(n, fractions, sizes):
    assert [len(p) for p in random_split(_ids(n), fractions)] == sizes


def test_same_seed_gives_same_split():
    a = random_split(_ids(20), [15, 5], generator=np.random.default_rng(1))
    b = random_split(_ids(20), [15, 5], generator=np.random.default_rng(1))
    assert all(np.array_equal(p.indices, q.indices) for p, q in zip(a, b, strict=True))


def test_no_generator_uses_manual_seed():
    manual_seed(4)
    parts = random_split(_ids(12), [12])
    assert np.array_equal(parts[0].indices, np.random.Generator(np.random.PCG64(4)).permutation(12))


def test_subsets_read_the_underlying_samples():
    X = np.arange(10) * 3
    train, _ = random_split(TensorDataset(X), [6, 4], generator=np.random.default_rng(0))
    assert [int(train[i][0].data) for i in range(6)] == (train.indices * 3).tolist()


def test_lengths_not_summing_to_dataset_size_is_an_error():
    with pytest.raises(ValueError, match=r"sum of lengths \[3, 3\] is 6, but the dataset has 10"):
        random_split(_ids(10), [3, 3])


def test_negative_length_is_an_error():
    with pytest.raises(ValueError, match="non-negative ints or fractions"):
        random_split(_ids(3), [5, -2])


def test_fraction_outside_unit_interval_is_an_error():
    with pytest.raises(ValueError, match=r"fraction at index 0 is not in \[0, 1\]"):
        random_split(_ids(10), [1.5, -0.5])


def test_non_integer_count_is_an_error():
    with pytest.raises(ValueError, match="got 2.5 at index 0"):
        random_split(_ids(5), [2.5, 2.5])


def test_empty_lengths_is_an_error():
    with pytest.raises(ValueError, match="lengths must not be empty"):
        random_split(_ids(5), [])
