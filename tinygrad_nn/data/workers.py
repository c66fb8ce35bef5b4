"""Worker processes for ``DataLoader(num_workers=n)``, as PyTorch runs them.

The main process decides the batches (the shuffled indices) and hands them out round-robin:
worker ``i`` fetches batches ``i, i + n, ...``, each with ``dataset.get_batch`` or the
loader's ``collate_fn``, and sends them back; the main process yields them in order. At most
``prefetch_factor * n`` batches are in flight. Each worker seeds its own random generators
once when it starts, with ``base_seed + worker_id`` (``base_seed`` drawn from the loader's
generator): ``tinygrad_nn``'s global generator, Python's ``random`` and numpy's legacy one,
so random augmentation differs between workers and repeats from run to run. Then it calls
``worker_init_fn(worker_id)``; inside a worker, :func:`get_worker_info` tells which one it is.

An exception in a worker is raised again in the main process with the worker's traceback; a
worker that dies raises a ``RuntimeError`` instead of a hang. The processes come from
``multiprocessing`` with its default start method (``fork`` on Linux, as PyTorch), or the
loader's ``multiprocessing_context``.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import random
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from ..random import manual_seed
from .dataset import fetch_batch

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


def fetch(dataset: Any, indices: np.ndarray, collate_fn: Callable | None) -> Any:
    """One batch: ``dataset.get_batch(indices)``, or ``collate_fn`` of the samples."""
    if collate_fn is None:
        return fetch_batch(dataset, indices)
    return collate_fn([dataset[int(i)] for i in indices])


def _worker_loop(dataset, collate_fn, tasks, results, worker_id, num_workers, seed, init_fn):
    global _info
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
    while (task := tasks.get()) is not None:
        epoch, number, indices = task
        try:  # pickled here, so that a batch that does not pickle is an error, not a hang
            payload = pickle.dumps(fetch(dataset, indices, collate_fn))
        except Exception as e:
            payload = pickle.dumps(_failure(e, worker_id))
        results.put((epoch, number, payload))


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
                args=(
                    loader.dataset,
                    loader.collate_fn,
                    self.tasks[i],
                    self.results,
                    i,
                    n,
                    seed + i,
                    loader.worker_init_fn,
                ),
                daemon=True,
            )
            for i in range(n)
        ]
        for p in self.processes:
            p.start()
        self.epochs = 0

    def epoch(self, batches: list[np.ndarray]) -> Iterator[Any]:
        """Yield the batches fetched by the workers, in the order of ``batches``."""
        self.epochs += 1
        epoch, n = self.epochs, len(self.tasks)
        sent, done, waiting = 0, 0, {}
        while done < len(batches):
            while sent < len(batches) and sent - done < self.prefetch:
                self.tasks[sent % n].put((epoch, sent, batches[sent]))
                sent += 1
            while done not in waiting:
                got_epoch, number, payload = self._receive()
                batch = pickle.loads(payload)
                if isinstance(batch, _Failure):
                    self.shutdown()
                    raise _rebuild(batch)
                if got_epoch == epoch:
                    waiting[number] = batch
            yield waiting.pop(done)
            done += 1

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
