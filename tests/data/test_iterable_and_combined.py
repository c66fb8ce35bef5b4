"""IterableDataset (in the main process and in workers), ConcatDataset, ChainDataset and
StackDataset."""

import pytest

import tinygrad_nn as tnn
from tinygrad_nn.utils.data import (
    ChainDataset,
    ConcatDataset,
    DataLoader,
    IterableDataset,
    StackDataset,
    TensorDataset,
    get_worker_info,
)


class Count(IterableDataset):
    """``start, start + 1, ..., stop - 1``; in a worker, only its share (every n-th)."""

    def __init__(self, start, stop, split=False):
        self.start, self.stop, self.split = start, stop, split

    def __iter__(self):
        info = get_worker_info() if self.split else None
        first, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(self.start + first, self.stop, step))


class Sized(Count):
    def __len__(self):
        return self.stop - self.start


def batches(loader):
    return [b.tolist() for b in loader]


@pytest.mark.parametrize(
    "drop_last, expected", [(False, [[0, 1, 2], [3, 4, 5], [6]]), (True, [[0, 1, 2], [3, 4, 5]])]
)
def test_an_iterable_dataset_is_batched_as_it_streams(drop_last, expected):
    assert batches(DataLoader(Count(0, 7), batch_size=3, drop_last=drop_last)) == expected


def test_the_length_of_a_loader_over_a_stream_needs_the_streams_length():
    assert len(DataLoader(Sized(0, 7), batch_size=3)) == 3
    with pytest.raises(TypeError):
        len(DataLoader(Count(0, 7), batch_size=3))


def test_each_worker_iterates_the_whole_dataset():
    got = batches(DataLoader(Count(0, 4), batch_size=2, num_workers=2))
    assert got == [[0, 1], [0, 1], [2, 3], [2, 3]]


def test_workers_that_split_by_worker_info_give_each_sample_once_round_robin():
    """Worker 0 has 0, 2, 4, 6, 8 (three batches), worker 1 has 1, 3, 5, 7 (two): the
    batches alternate until worker 1 is done, then worker 0's last one."""
    loader = DataLoader(Count(0, 9, split=True), batch_size=2, num_workers=2)
    for _ in range(2):  # a new stream every epoch
        assert batches(loader) == [[0, 2], [1, 3], [4, 6], [5, 7], [8]]


def test_an_iterable_dataset_takes_no_sampler_or_shuffle():
    for kw in (dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])):
        with pytest.raises(ValueError, match="IterableDataset"):
            DataLoader(Count(0, 3), **kw)


def test_concat_dataset_numbers_the_samples_one_dataset_after_another():
    a, b = TensorDataset(tnn.arange(3)), TensorDataset(tnn.arange(10, 15))
    both = ConcatDataset([a, b])
    assert both.cumulative_sizes == [3, 8] and len(both) == 8
    assert [both[i][0].item() for i in range(8)] == [0, 1, 2, 10, 11, 12, 13, 14]
    assert both[-1][0].item() == 14 and (a + b).cumulative_sizes == [3, 8]
    assert [x.tolist() for (x,) in DataLoader(both, batch_size=4)] == [
        [0, 1, 2, 10],
        [11, 12, 13, 14],
    ]
    with pytest.raises(ValueError, match="absolute value"):
        both[-9]


def test_concat_dataset_refuses_no_datasets_and_streams():
    with pytest.raises(AssertionError):
        ConcatDataset([])
    with pytest.raises(AssertionError):
        ConcatDataset([Count(0, 2)])


def test_chain_dataset_streams_one_after_another():
    chained = ChainDataset([Sized(0, 2), Sized(5, 7)])
    assert list(chained) == [0, 1, 5, 6] and len(chained) == 4
    assert list(Count(0, 2) + Count(3, 4)) == [0, 1, 3]
    with pytest.raises(AssertionError):
        list(ChainDataset([TensorDataset(tnn.arange(2))]))


def test_stack_dataset_puts_samples_side_by_side():
    a, b = TensorDataset(tnn.arange(4)), TensorDataset(tnn.arange(4) * 10)
    pairs, named = StackDataset(a, b), StackDataset(x=a, y=b)
    assert len(pairs) == 4 and pairs[2][1][0].item() == 20 and named[1]["y"][0].item() == 10
    (xa,), (xb,) = next(iter(DataLoader(pairs, batch_size=3)))
    assert xa.tolist() == [0, 1, 2] and xb.tolist() == [0, 10, 20]
    batch = next(iter(DataLoader(named, batch_size=2)))
    assert batch["x"][0].tolist() == [0, 1] and batch["y"][0].tolist() == [0, 10]


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((), {}, "At least one"),
        ((TensorDataset(tnn.arange(2)),), {"y": TensorDataset(tnn.arange(2))}, "either"),
        ((TensorDataset(tnn.arange(2)), TensorDataset(tnn.arange(3))), {}, "Size mismatch"),
    ],
)
def test_stack_dataset_refuses_what_pytorch_refuses(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        StackDataset(*args, **kwargs)
