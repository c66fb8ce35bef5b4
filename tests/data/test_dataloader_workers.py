"""DataLoader(num_workers=n): real worker processes, as PyTorch's, and the other options
PyTorch programs pass (pin_memory, persistent_workers, worker_init_fn, timeout)."""

import multiprocessing
import os
import random

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn.utils.data import DataLoader, Dataset, TensorDataset, get_worker_info

DATA = TensorDataset(tnn.arange(40).float().reshape(20, 2), tnn.arange(20))


class Probe(Dataset):
    """Each sample tells who fetched it: (index, worker id, pid, three random draws)."""

    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = get_worker_info()
        draws = [random.random(), np.random.rand(), tnn.rand(1).item()]
        return tnn.tensor(
            [i, -1 if info is None else info.id, os.getpid(), *draws], dtype=tnn.double
        )


class Failing(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 1:
            raise KeyError(f"no sample {i}")
        return tnn.tensor([1.0])


def as_lists(loader):
    return [[t.tolist() for t in batch] for batch in loader]


@pytest.mark.parametrize("drop_last", [False, True])
def test_workers_give_the_same_batches_in_the_same_order(drop_last):
    def run(n):
        return as_lists(
            DataLoader(
                DATA, batch_size=3, shuffle=True, drop_last=drop_last, generator=4, num_workers=n
            )
        )

    assert run(0) == run(2)


@pytest.mark.parametrize("persistent", [False, True])
def test_workers_keep_the_shuffle_order_of_later_epochs(persistent):
    def epochs(n):
        loader = DataLoader(
            DATA, batch_size=3, shuffle=True, generator=0, num_workers=n,
            persistent_workers=persistent and n > 0,
        )  # fmt: skip
        return [as_lists(loader) for _ in range(3)]

    assert epochs(0) == epochs(2)


def test_batches_go_to_workers_round_robin_in_other_processes():
    rows = np.concatenate([b.numpy() for b in DataLoader(Probe(), batch_size=2, num_workers=2)])
    assert rows[:, 1].tolist() == [0, 0, 1, 1, 0, 0, 1, 1]
    assert os.getpid() not in rows[:, 2] and len(set(rows[:, 2])) == 2


def test_worker_seeds_differ_between_workers_and_repeat_with_the_generator():
    def draws(seed):
        loader = DataLoader(Probe(), batch_size=1, num_workers=2, generator=seed)
        return np.concatenate([b.numpy() for b in loader])[:, 3:]

    first = draws(3)
    assert np.array_equal(first, draws(3))
    assert (first[0] != first[1]).all()  # each generator draws differently in each worker


def test_worker_init_fn_runs_in_each_worker():
    def init(worker_id):
        np.random.seed(100 + worker_id)

    rows = np.concatenate(
        [b.numpy() for b in DataLoader(Probe(), batch_size=4, num_workers=2, worker_init_fn=init)]
    )
    assert rows[0, 4] == np.random.RandomState(100).rand()
    assert rows[4, 4] == np.random.RandomState(101).rand()


def test_persistent_workers_are_kept_between_epochs():
    loader = DataLoader(Probe(), batch_size=4, num_workers=2, persistent_workers=True)
    pids = [set(np.concatenate([b.numpy() for b in loader])[:, 2]) for _ in range(2)]
    assert pids[0] == pids[1]


def test_a_loop_left_early_stops_its_workers():
    for _ in DataLoader(DATA, batch_size=2, num_workers=2):
        break
    import gc

    gc.collect()
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]


def test_worker_exception_is_raised_with_the_worker_traceback():
    with pytest.raises(KeyError, match=r"Caught KeyError in DataLoader worker process 1"):
        list(DataLoader(Failing(), batch_size=1, num_workers=2))


def test_persistent_workers_start_again_after_a_worker_error():
    loader = DataLoader(Probe(), batch_size=4, num_workers=2, persistent_workers=True)
    loader.dataset = Failing()  # the workers were not started yet: they get this dataset
    with pytest.raises(KeyError):
        list(loader)
    loader.dataset = Probe()
    assert len(list(loader)) == 2


def test_options_pytorch_programs_pass_are_accepted_and_checked():
    loader = DataLoader(DATA, batch_size=5, pin_memory=True, num_workers=0)
    assert len(as_lists(loader)) == 4 and loader.pin_memory
    with pytest.raises(ValueError, match="persistent_workers"):
        DataLoader(DATA, persistent_workers=True)
    with pytest.raises(ValueError, match="num_workers must be >= 0"):
        DataLoader(DATA, num_workers=-1)
    assert get_worker_info() is None


def test_generator_object_drives_the_shuffle():
    def order(g):
        return [b[1].tolist() for b in DataLoader(DATA, batch_size=20, shuffle=True, generator=g)]

    first = order(tnn.Generator().manual_seed(1))
    assert first == order(tnn.Generator().manual_seed(1))
    assert first != order(tnn.Generator().manual_seed(2))  # the seed decides the order
    assert first != [b[1].tolist() for b in DataLoader(DATA, batch_size=20)]  # shuffled
