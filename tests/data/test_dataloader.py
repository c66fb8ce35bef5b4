import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_nn.data import DataLoader, Dataset, TensorDataset
from tinygrad_nn.random import manual_seed
from tinygrad_nn.tensor import Tensor


def _ids(n):
    return TensorDataset(np.arange(n, dtype=np.int64), np.arange(n, dtype=np.float32) * 2)


@given(
    n=st.integers(0, 120),
    batch_size=st.integers(1, 40),
    shuffle=st.booleans(),
    drop_last=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_sample_once_per_epoch(n, batch_size, shuffle, drop_last, seed):
    loader = DataLoader(
        _ids(n),
        batch_size,
        shuffle=shuffle,
        drop_last=drop_last,
        generator=np.random.default_rng(seed),
    )
    for _epoch in range(2):
        batches = list(loader)
        assert len(batches) == len(loader)
        sizes = [len(b[0].data) for b in batches]
        seen = np.concatenate([b[0].data for b in batches]) if batches else np.array([], int)
        assert len(set(seen.tolist())) == len(seen)  # no sample twice
        for ids, doubled in batches:  # fields stay aligned
            assert np.array_equal(doubled.data, ids.data * 2)
        if drop_last:
            assert sizes == [batch_size] * (n // batch_size)
        else:
            assert sorted(seen.tolist()) == list(range(n))
            assert all(s == batch_size for s in sizes[:-1])
            assert sum(sizes) == n


@given(n=st.integers(0, 100), batch_size=st.integers(1, 30))
def test_len_is_ceil_or_floor_of_n_over_batch_size(n, batch_size):
    assert len(DataLoader(_ids(n), batch_size)) == -(-n // batch_size)
    assert len(DataLoader(_ids(n), batch_size, drop_last=True)) == n // batch_size


def test_without_shuffle_batches_come_in_order():
    batches = [b[0].data.tolist() for b in DataLoader(_ids(7), batch_size=3)]
    assert batches == [[0, 1, 2], [3, 4, 5], [6]]


def test_drop_last_drops_the_short_batch():
    batches = [b[0].data.tolist() for b in DataLoader(_ids(7), batch_size=3, drop_last=True)]
    assert batches == [[0, 1, 2], [3, 4, 5]]


def test_default_batch_size_is_one():
    loader = DataLoader(_ids(3))
    assert [b[0].data.tolist() for b in loader] == [[0], [1], [2]]


def test_shuffle_draws_a_new_order_each_epoch():
    loader = DataLoader(_ids(50), batch_size=50, shuffle=True, generator=np.random.default_rng(0))
    first, second = (next(iter(loader))[0].data.tolist() for _ in range(2))
    assert first != second
    assert sorted(first) == sorted(second) == list(range(50))


def test_same_seed_gives_same_order():
    def order(seed):
        loader = DataLoader(_ids(30), 4, shuffle=True, generator=np.random.default_rng(seed))
        return [b[0].data.tolist() for b in loader]

    assert order(3) == order(3)


def test_no_generator_uses_the_global_one_seeded_by_manual_seed():
    manual_seed(11)
    got = next(iter(DataLoader(_ids(20), batch_size=20, shuffle=True)))[0].data
    expected = np.random.Generator(np.random.PCG64(11)).permutation(20)
    assert np.array_equal(got, expected)


def test_batches_are_tuples_of_tensors_stacked_on_dim_0():
    X = np.zeros((10, 2, 3), dtype=np.float32)
    xb, yb = next(iter(DataLoader(TensorDataset(X, np.arange(10)), batch_size=4)))
    assert isinstance(xb, Tensor) and xb.shape == (4, 2, 3) and yb.shape == (4,)


class _Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i


def test_dataset_without_batch_method_is_collated_sample_by_sample():
    xb, yb = list(DataLoader(_Squares(), batch_size=2))[-1]
    assert xb.data.tolist() == [[4.0, 16.0]] and yb.data.tolist() == [4]


@pytest.mark.parametrize("bad", [0, -2])
def test_batch_size_must_be_positive(bad):
    with pytest.raises(ValueError, match=f"batch_size must be >= 1, got {bad}"):
        DataLoader(_ids(3), batch_size=bad)


@pytest.mark.parametrize("bad", [2.0, True, "4"])
def test_batch_size_must_be_an_int(bad):
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        DataLoader(_ids(3), batch_size=bad)


def test_generator_must_be_a_numpy_generator():
    with pytest.raises(TypeError, match="generator must be a numpy.random.Generator"):
        DataLoader(_ids(3), shuffle=True, generator="42")


def test_dataset_must_have_a_length():
    with pytest.raises(TypeError, match="dataset must define __len__"):
        DataLoader(iter([1, 2]))


def test_collate_fn_receives_the_samples_of_each_batch():
    seen = []
    loader = DataLoader(_ids(5), batch_size=2, collate_fn=lambda samples: seen.append(len(samples)))
    list(loader)
    assert seen == [2, 2, 1]


def test_int_seed_generator_gives_a_new_order_every_epoch():
    loader = DataLoader(_ids(50), batch_size=50, shuffle=True, generator=3)
    first, second = (next(iter(loader))[0].tolist() for _ in range(2))
    assert first != second and sorted(first) == sorted(second) == list(range(50))
