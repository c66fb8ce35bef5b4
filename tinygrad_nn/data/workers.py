"""Worker processes for ``DataLoader(num_workers=n)``, as PyTorch runs them.

The main process decides the batches (the shuffled indices) and hands them out round-robin:
worker ``i`` fetches batches ``i, i + n, ...``, each with ``dataset.get_batch`` or the
loader's ``collate_fn``, and sends them back; the main process yields them in order. At most
``prefetch_factor * n`` batches are in flight. Each worker seeds its own random generators
once when it starts, with ``base_seed + worker_id`` (``base_seed`` drawn from the loader's
generator): ``tinygrad_nn``'s global generator, Python's ``random`` and numpy's legacy one,
so random augmentation differs between workers and repeats from run to run. Then it calls
``worker_init_fn(worker_id)``; inside a worker, :func:`get_worker_info` tells which one it is.

For an ``IterableDataset`` each worker iterates its own copy of the whole dataset (a fresh
iterator each epoch) and cuts its stream into batches; the main process asks the workers
round-robin and drops a worker from the round when its stream ends, as PyTorch.

An exception in a worker is raised again in the main process with the worker's traceback; a
worker that dies raises a ``RuntimeError`` instead of a hang. The processes come from
``multiprocessing`` with its default start method (``fork`` on Linux, as PyTorch), or the
loader's ``multiprocessing_context``.
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
import queue
import random
import time
import traceback
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, NamedTuple

import numpy as np

from ..random import manual_seed
from .dataset import default_collate, default_convert, fetch_batch

__all__ = ["WorkerInfo", "get_worker_info"]


class WorkerInfo(NamedTuple):
    """What :func:`get_worker_info` returns inside a worker process."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Inside a DataLoader worker, its ``WorkerInfo(id, num_workers, seed, dataset)``;
    None in the main process."""
    return _info


class _Failure(NamedTuple):
    """An exception raised in a worker, carried back as text (tracebacks do not pickle);
    ``kind`` is the exception class when it is a builtin one (it then pickles), else None."""

    kind: type | None
    name: str
    message: str
    worker_id: int


def _failure(e: Exception, worker_id: int) -> _Failure:
    kind = type(e) if type(e).__module__ == "builtins" else None
    return _Failure(kind, type(e).__name__, traceback.format_exc(), worker_id)


def fetch(dataset: Any, indices: Any, collate_fn: Callable | None) -> Any:
    """One batch: ``dataset.get_batch(indices)``, or ``collate_fn`` of the samples; for an
    index that is not an array (``batch_size=None``), the one sample, converted."""
    if not isinstance(indices, np.ndarray):
        return (collate_fn or default_convert)(dataset[indices])
    if collate_fn is None:
        return fetch_batch(dataset, indices)
    return collate_fn([dataset[int(i)] for i in indices])


def next_batch(stream: Iterator[Any], batch_size: int | None, drop_last: bool, collate_fn) -> Any:
    """The next ``batch_size`` samples of ``stream`` collated (with ``batch_size=None``, the
    next sample converted), or ``_END`` when it has none left (or, with ``drop_last``,
    fewer than ``batch_size``)."""
    if batch_size is None:
        sample = next(stream, _END)
        return sample if sample is _END else (collate_fn or default_convert)(sample)
    samples = list(islice(stream, batch_size))
    if not samples or (drop_last and len(samples) < batch_size):
        return _END
    return (collate_fn or default_collate)(samples)


def stream_batches(
    stream: Iterator[Any], batch_size: int | None, drop_last: bool, collate_fn
) -> Any:
    """The batches of an ``IterableDataset``'s ``stream``, read in this process."""
    while (batch := next_batch(stream, batch_size, drop_last, collate_fn)) is not _END:
        yield batch


class _End:
    """Sent by a worker whose stream has ended (it pickles to itself)."""

    def __reduce__(self) -> str:
        return "_END"


_END = _End()


def _worker_loop(loader, tasks, results, worker_id, num_workers, seed):
    global _info
    dataset, collate_fn, init_fn = loader.dataset, loader.collate_fn, loader.worker_init_fn
    _info = WorkerInfo(worker_id, num_workers, seed, dataset)
    random.seed(seed)
    manual_seed(seed)
    np.random.seed(seed % 2**32)
    try:
        if init_fn is not None:
            init_fn(worker_id)
    except Exception as e:
        results.put((None, None, pickle.dumps(_failure(e, worker_id))))
        return
    streams: dict[int, Iterator[Any] | None] = {}  # an IterableDataset's, by epoch
    while (task := tasks.get()) is not None:
        epoch, number, indices = task
        try:  # pickled here, so that a batch that does not pickle is an error, not a hang
            if indices is not None:
                payload = pickle.dumps(fetch(dataset, indices, collate_fn))
            else:
                if epoch not in streams:
                    streams.clear()
                    streams[epoch] = iter(dataset)
                if (stream := streams[epoch]) is None:
                    continue  # ended: the main process no longer waits for this worker
                batch = next_batch(stream, loader.batch_size, loader.drop_last, collate_fn)
                if batch is _END:
                    streams[epoch] = None
                payload = pickle.dumps(batch)
        except Exception as e:
            payload = pickle.dumps(_failure(e, worker_id))
        results.put((epoch, number, payload))


class _Spec(NamedTuple):
    """What a worker needs of its loader (the loader itself holds the pool)."""

    dataset: Any
    collate_fn: Callable | None
    worker_init_fn: Callable | None
    batch_size: int | None
    drop_last: bool

    @classmethod
    def of(cls, loader: Any) -> _Spec:
        return cls(
            loader.dataset,
            loader.collate_fn,
            loader.worker_init_fn,
            loader.batch_size,
            loader.drop_last,
        )


class WorkerPool:
    """``num_workers`` processes serving one loader; ``epoch(batches)`` runs one epoch.

    A pool lives for one epoch, or across epochs with ``persistent_workers=True``; results
    of an epoch left early are told apart by the epoch number and dropped.
    """

    def __init__(self, loader: Any, seed: int) -> None:
        ctx = multiprocessing.get_context(loader.multiprocessing_context)
        n = loader.num_workers
        self.prefetch = loader.prefetch_factor * n
        self.timeout = loader.timeout
        self.results = ctx.Queue()
        self.tasks = [ctx.Queue() for _ in range(n)]
        self.processes = [
            ctx.Process(
                target=_worker_loop,
                args=(_Spec.of(loader), self.tasks[i], self.results, i, n, seed + i),
                daemon=True,
            )
            for i in range(n)
        ]
        for p in self.processes:
            p.start()
        self.epochs = 0

    def epoch(self, batches: list[np.ndarray] | None) -> Iterator[Any]:
        """Yield the batches fetched by the workers, in the order of ``batches``; for an
        ``IterableDataset`` (``batches`` None) the workers' next batches, round-robin over
        the workers whose streams have not ended."""
        self.epochs += 1
        epoch, n = self.epochs, len(self.tasks)
        total = math.inf if batches is None else len(batches)
        active = set(range(n))
        owner: dict[int, int] = {}  # number of a task not answered yet -> its worker
        sent, done, turn, waiting = 0, 0, 0, {}
        while done < sent or (sent < total and active):
            while sent < total and active and sent - done < self.prefetch:
                while turn % n not in active:
                    turn += 1
                owner[sent] = turn % n
                self.tasks[turn % n].put((epoch, sent, None if batches is None else batches[sent]))
                sent, turn = sent + 1, turn + 1
            if done in waiting:
                yield waiting.pop(done)
                done += 1
                continue
            if done not in owner:  # a task of a worker whose stream ended: no batch
                done += 1
                continue
            got_epoch, number, payload = self._receive()
            batch = pickle.loads(payload)
            if isinstance(batch, _Failure):
                self.shutdown()
                raise _rebuild(batch)
            if got_epoch != epoch:
                continue
            worker = owner.pop(number)
            if batch is _END:
                active.discard(worker)
                for k in [k for k, w in owner.items() if w == worker]:
                    del owner[k]
            else:
                waiting[number] = batch

    def _receive(self) -> tuple:
        start = time.monotonic()
        while True:
            try:
                return self.results.get(timeout=0.5)
            except queue.Empty:
                dead = [p for p in self.processes if not p.is_alive()]
                if dead:
                    self.shutdown()
                    raise RuntimeError(
                        f"DataLoader worker (pid {dead[0].pid}) exited unexpectedly with exit "
                        f"code {dead[0].exitcode}"
                    ) from None
                if self.timeout and time.monotonic() - start > self.timeout:
                    self.shutdown()
                    raise RuntimeError(
                        f"DataLoader timed out after {self.timeout} seconds"
                    ) from None

    def shutdown(self) -> None:
        """Stop the workers (a sentinel each, then join; terminate what does not stop)."""
        for q, p in zip(self.tasks, self.processes):
            if p.is_alive():
                q.put(None)
        for p in self.processes:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join()
        for q in [*self.tasks, self.results]:
            q.cancel_join_thread()
            q.close()
        self.processes = []


def _rebuild(failure: _Failure) -> BaseException:
    """The worker's exception for the main process: its class when builtin, with PyTorch's
    message ("Caught ValueError in DataLoader worker process 0" and the traceback)."""
    message = (
        f"Caught {failure.name} in DataLoader worker process {failure.worker_id}.\n"
        f"Original {failure.message}"
    )
    try:
        return (failure.kind or RuntimeError)(message)
    except Exception:  # an exception class that wants other arguments
        return RuntimeError(message)
