"""Samplers, combined and iterable datasets and DataLoader's sampler arguments against
torch.utils.data: the same orders, lengths, batches and errors."""

import pytest

import tinygrad_nn as tnn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")


def data(lib):
    return lib.utils.data


def dataset(lib, n=7):
    return data(lib).TensorDataset(lib.arange(n))


@pytest.mark.parametrize("batch_size, drop_last", [(3, False), (3, True), (7, False), (10, True)])
def test_sequential_and_batch_samplers_match_pytorch(batch_size, drop_last):
    got = []
    for lib in (tnn, torch):
        sampler = data(lib).BatchSampler(
            data(lib).SequentialSampler(dataset(lib)), batch_size, drop_last
        )
        got.append((list(sampler), len(sampler)))
    assert got[0] == got[1]


@pytest.mark.parametrize(
    "kw",
    [
        dict(batch_size=2, sampler=[6, 0, 5, 1, 4]),
        dict(batch_sampler=[[3, 2], [0], [6, 5, 4]]),
        dict(batch_size=3, drop_last=True, sampler=range(6, -1, -1)),
        dict(batch_size=None, sampler=[4, 1]),
    ],
)
def test_dataloader_with_a_sampler_matches_pytorch(kw):
    got = []
    for lib in (tnn, torch):
        loader = data(lib).DataLoader(dataset(lib), **kw)
        got.append(([b[0].tolist() for b in loader], len(loader), loader.batch_size))
    assert got[0] == got[1]


BAD_LOADERS = [
    dict(shuffle=True, sampler=[0, 1]),
    dict(batch_size=2, batch_sampler=[[0]]),
    dict(shuffle=True, batch_sampler=[[0]]),
    dict(sampler=[0], batch_sampler=[[0]]),
    dict(drop_last=True, batch_sampler=[[0]]),
    dict(batch_size=None, drop_last=True),
]


@pytest.mark.parametrize("kw", BAD_LOADERS, ids=str)
def test_exclusive_dataloader_options_raise_pytorchs_error(kw):
    messages = []
    for lib in (tnn, torch):
        with pytest.raises(ValueError) as e:
            data(lib).DataLoader(dataset(lib), **kw)
        messages.append(str(e.value))
    assert messages[0] == messages[1]


BAD_SAMPLERS = [
    ("RandomSampler", lambda lib: (dataset(lib),), dict(replacement="yes")),
    ("RandomSampler", lambda lib: (dataset(lib),), dict(num_samples=-2)),
    ("WeightedRandomSampler", lambda lib: ([0.5, 0.5], 0), {}),
    ("WeightedRandomSampler", lambda lib: ([0.5, 0.5], 2), dict(replacement=0)),
    ("WeightedRandomSampler", lambda lib: ([[0.5, 0.5]], 2), {}),
    ("BatchSampler", lambda lib: (range(4), 2.0, False), {}),
    ("BatchSampler", lambda lib: (range(4), 2, 1), {}),
]


@pytest.mark.parametrize("name, args, kw", BAD_SAMPLERS, ids=lambda x: str(x)[:30])
def test_bad_sampler_arguments_raise_pytorchs_error(name, args, kw):
    found = []
    for lib in (tnn, torch):
        with pytest.raises((TypeError, ValueError)) as e:
            getattr(data(lib), name)(*args(lib), **kw)
        found.append((type(e.value), str(e.value)))
    assert found[0] == found[1]


def test_concat_dataset_matches_pytorch():
    got = []
    for lib in (tnn, torch):
        both = data(lib).ConcatDataset([dataset(lib, 3), dataset(lib, 0), dataset(lib, 4)])
        items = [both[i][0].item() for i in range(-len(both), len(both))]
        got.append((both.cumulative_sizes, len(both), items))
    assert got[0] == got[1]


class Shares:
    """A stream of ``sizes[w]`` numbers in worker ``w``: uneven shares."""

    def __init__(self, lib, sizes):
        self.lib, self.sizes = lib, sizes

    def __iter__(self):
        info = data(self.lib).get_worker_info()
        w = 0 if info is None else info.id
        return iter(range(100 * w, 100 * w + self.sizes[w]))


@pytest.mark.filterwarnings("ignore:This DataLoader will create 3 worker")
@pytest.mark.parametrize("sizes", [(5, 1, 3), (0, 4, 4)])
def test_workers_of_an_iterable_dataset_take_turns_as_in_pytorch(sizes):
    got = []
    for lib in (tnn, torch):
        stream = type("Stream", (Shares, data(lib).IterableDataset), {})(lib, sizes)
        loader = data(lib).DataLoader(stream, batch_size=2, num_workers=3)
        got.append([b.tolist() for b in loader])
    assert got[0] == got[1]
