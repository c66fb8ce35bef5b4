"""Samplers and DataLoader(sampler=, batch_sampler=): orders, lengths, reproducibility and
statistics (PyTorch comparisons are in tests/reference/test_data_against_torch.py)."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn.utils.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
)

DATA = TensorDataset(tnn.arange(10))


def test_sequential_sampler_is_the_indices_in_order():
    assert list(SequentialSampler(DATA)) == list(range(10))
    assert len(SequentialSampler(DATA)) == 10


def test_random_sampler_is_a_permutation_reproducible_from_the_seed():
    orders = [list(RandomSampler(DATA, generator=tnn.Generator().manual_seed(3))) for _ in "ab"]
    assert sorted(orders[0]) == list(range(10))
    assert orders[0] == orders[1]
    sampler = RandomSampler(DATA, generator=tnn.Generator().manual_seed(3))
    assert list(sampler) == orders[0]
    assert list(sampler) != orders[0]  # the next iteration draws a new order
    assert all(type(i) is int for i in sampler)


def test_random_sampler_with_more_samples_than_data_repeats_whole_permutations():
    drawn = list(RandomSampler(DATA, num_samples=23, generator=0))
    assert len(drawn) == 23
    assert sorted(drawn[:10]) == sorted(drawn[10:20]) == list(range(10))
    assert len(set(drawn[20:])) == 3


def test_random_sampler_with_replacement_draws_num_samples_uniform_indices():
    sampler = RandomSampler(DATA, replacement=True, num_samples=5000, generator=1)
    drawn = np.array(list(sampler))
    assert len(sampler) == 5000 and drawn.min() >= 0 and drawn.max() <= 9
    np.testing.assert_allclose(np.bincount(drawn) / 5000, 0.1, atol=0.02)


def test_subset_random_sampler_permutes_the_given_indices():
    indices = [7, 3, 9, 1]
    drawn = list(SubsetRandomSampler(indices, generator=5))
    assert sorted(drawn) == sorted(indices) and len(SubsetRandomSampler(indices)) == 4
    assert drawn == list(SubsetRandomSampler(indices, generator=5))


def test_weighted_sampler_draws_in_proportion_to_the_weights():
    weights = [1.0, 2.0, 3.0, 4.0, 0.0]
    drawn = np.array(list(WeightedRandomSampler(weights, 20000, generator=2)))
    freq = np.bincount(drawn, minlength=5) / 20000
    np.testing.assert_allclose(freq, [0.1, 0.2, 0.3, 0.4, 0.0], atol=0.015)


def test_weighted_sampler_without_replacement_draws_distinct_indices():
    drawn = list(WeightedRandomSampler([1.0, 5.0, 1.0, 0.0], 3, replacement=False, generator=4))
    assert sorted(drawn) == [0, 1, 2]
    with pytest.raises(RuntimeError, match="without replacement"):
        list(WeightedRandomSampler([1.0, 1.0], 3, replacement=False))


@pytest.mark.parametrize("drop_last, expected", [(False, [[0, 1, 2], [3, 4]]), (True, [[0, 1, 2]])])
def test_batch_sampler_cuts_the_sampler_into_lists(drop_last, expected):
    sampler = BatchSampler(range(5), 3, drop_last)
    assert list(sampler) == expected and len(sampler) == len(expected)


def test_dataloader_follows_its_sampler():
    loader = DataLoader(DATA, batch_size=4, sampler=[9, 0, 8, 1, 7])
    assert [b[0].tolist() for b in loader] == [[9, 0, 8, 1], [7]]
    assert len(loader) == 2 and loader.batch_sampler.sampler == [9, 0, 8, 1, 7]


def test_dataloader_takes_the_batches_of_its_batch_sampler():
    loader = DataLoader(DATA, batch_sampler=[[5, 6], [0], [1, 2, 3]])
    assert [b[0].tolist() for b in loader] == [[5, 6], [0], [1, 2, 3]]
    assert len(loader) == 3 and loader.batch_size is None


def test_dataloader_shuffle_is_a_random_sampler_with_the_loaders_generator():
    loader = DataLoader(DATA, batch_size=10, shuffle=True, generator=11)
    assert isinstance(loader.sampler, RandomSampler)
    order = next(iter(loader))[0].tolist()
    assert order == np.random.default_rng(11).permutation(10).tolist()


@pytest.mark.parametrize(
    "make, error",
    [
        (lambda: RandomSampler(DATA, replacement=1), TypeError),
        (lambda: RandomSampler(DATA, num_samples=0), ValueError),
        (lambda: WeightedRandomSampler([[1.0]], 2), ValueError),
        (lambda: WeightedRandomSampler([1.0], True), ValueError),
        (lambda: BatchSampler(range(3), 0, False), ValueError),
        (lambda: BatchSampler(range(3), 2, None), ValueError),
        (lambda: DataLoader(DATA, shuffle=True, sampler=[0]), ValueError),
        (lambda: DataLoader(DATA, batch_size=2, batch_sampler=[[0]]), ValueError),
        (lambda: DataLoader(DATA, drop_last=True, batch_sampler=[[0]]), ValueError),
    ],
)
def test_bad_arguments_are_refused(make, error):
    with pytest.raises(error):
        make()


class Arrays(tnn.utils.data.Dataset):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return {"x": np.full(2, i), "label": i}


@pytest.mark.parametrize("num_workers", [0, 2])
def test_batch_size_none_gives_single_samples_with_arrays_as_tensors(num_workers):
    loader = DataLoader(Arrays(), batch_size=None, sampler=[2, 0], num_workers=num_workers)
    items = list(loader)
    assert len(loader) == 2 and [item["label"] for item in items] == [2, 0]
    assert isinstance(items[0]["x"], tnn.Tensor) and items[0]["x"].tolist() == [2, 2]
    with pytest.raises(ValueError, match="drop_last"):
        DataLoader(Arrays(), batch_size=None, drop_last=True)
