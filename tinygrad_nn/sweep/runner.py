"""``run``: map a function over the trials of a sweep as Dask tasks and collect the rows.

Our part is configs in, rows out, files written atomically; placing the tasks, retrying those
whose worker died and scaling to a cluster is Dask's (``distributed``).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .space import Trial, plan
from .table import ResultsTable
from .trial import failed_row, run_trial

__all__ = ["run", "local_client"]

INSTALL_HINT = "pip install 'tinygrad_nn[sweep]'"
# Set in each worker before it starts (so before numpy is imported there): one BLAS thread per
# single-threaded worker process, or n workers would each start n BLAS threads on n cores.
BLAS_THREADS = {
    "OMP_NUM_THREADS": 1,
    "OPENBLAS_NUM_THREADS": 1,
    "MKL_NUM_THREADS": 1,
    "VECLIB_MAXIMUM_THREADS": 1,
    "NUMEXPR_NUM_THREADS": 1,
}


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ImportError(
            "tinygrad_nn.sweep runs its trials on Dask, which is not installed: "
            f"{INSTALL_HINT} (or pass client='serial' to run the trials in this process)"
        ) from None
    return distributed


def local_client(n_workers: int | None = None, **cluster_kwargs: Any) -> Any:
    """A ``distributed.Client`` of a new ``LocalCluster`` on this machine: ``n_workers``
    (default: one per core) single-threaded worker processes, each with one BLAS thread.
    Closing the client (``with local_client() as client: ...``) stops the cluster.

    Two of Dask's defaults are changed, for speed (benchmarks/bench_sweep.py): the workers'
    environment is exactly ``BLAS_THREADS`` (Dask also sets ``MALLOC_TRIM_THRESHOLD_``, which
    turns off glibc's adaptive mmap threshold and made the digits job 10–15% slower), and the
    workers do not sample their threads' stacks 100 times a second for the dashboard's
    profile (the cluster has no dashboard).
    """
    distributed = _distributed()  # first: its error says how to install Dask
    import dask

    kwargs = dict(threads_per_worker=1, processes=True, dashboard_address=None)
    settings = {
        # set by each nanny before it (re)starts its worker: before numpy is imported there
        "distributed.nanny.pre-spawn-environ": dict(BLAS_THREADS),
        "distributed.worker.profile.enabled": False,
    }
    with dask.config.set(settings):
        return distributed.Client(
            n_workers=n_workers or os.cpu_count() or 1, **{**kwargs, **cluster_kwargs}
        )


@contextlib.contextmanager
def _client(client: Any) -> Iterator[Any]:
    """The Dask client to use; one made here is closed when the sweep ends."""
    if client is None and os.environ.get("DASK_SCHEDULER_ADDRESS"):
        client = os.environ["DASK_SCHEDULER_ADDRESS"]
    if client is None:
        own = local_client()
    elif isinstance(client, str):
        own = _distributed().Client(client)
    else:
        yield client
        return
    try:
        yield own
    finally:
        own.close()


def _serial(fn: Callable[..., dict], trials: Sequence[Trial]) -> Iterator[list[dict]]:
    for trial in trials:
        yield [run_trial(fn, trial)]


def _on_dask(client: Any, fn: Callable[..., dict], trials: Sequence[Trial]) -> Iterator[list]:
    """Submit every trial, then yield the rows of those that finished, batch by batch."""
    distributed = _distributed()
    tag = uuid.uuid4().hex[:8]  # a fresh key per run: never reuse a stale result
    futures = {
        client.submit(run_trial, fn, trial, key=f"trial-{trial.id}-{tag}", pure=False): trial
        for trial in trials
    }
    try:
        for batch in distributed.as_completed(futures).batches():
            rows = []
            for future in batch:
                # A result lost with its worker after it finished is recomputed by Dask:
                # result() waits for it. What raises here is Dask's (KilledWorker once a trial
                # killed workers more often than Dask retries); run_trial catches fn's errors.
                try:
                    rows.append(future.result())
                except Exception as error:
                    rows.append(failed_row(futures[future], error))
                future.release()
            yield rows
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:
            client.cancel(pending)


def run(
    fn: Callable[..., dict],
    grid: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    seeds: int | Iterable[int] = 1,
    client: Any = None,
    out: str | os.PathLike | None = None,
    progress: bool = False,
) -> Any:
    """Run ``fn(**config, seed=seed)`` for every setting of ``grid`` and every seed, as Dask
    tasks, and return the table of results.

    Parameters
    ----------
    fn
        Returns a dict of numbers (the metrics). It runs in worker processes, so it must be
        importable there or picklable by cloudpickle (a function of a module, or of a script
        whose sweep starts under ``if __name__ == "__main__":``). Before each call the
        trial's seed re-seeds ``tinygrad_nn.manual_seed``, ``numpy.random.seed`` and
        ``random``.
    grid
        A dict of lists (every combination; other values are fixed), or a list of settings
        such as :func:`sample` draws.
    seeds
        How many seeds (``5``: seeds 0–4) or the list of seeds.
    client
        ``None``: the cluster at ``$DASK_SCHEDULER_ADDRESS`` if set, else a new
        ``LocalCluster`` with one single-threaded worker process per core
        (:func:`local_client`), closed at the end. A ``distributed.Client`` or a scheduler
        address (``"tcp://host:8786"``). Or ``"serial"``: one trial after another in this
        process, without Dask (for debugging).
    out
        A folder for ``results.csv`` (each finished trial's row, saved atomically) and
        ``summary.json``; ``None`` writes nothing. Trials that already have an ``ok`` row
        there are skipped: running the same sweep again resumes it.
    progress
        Show a progress bar of finished trials (needs tqdm).

    Returns
    -------
    table
        One row per finished trial in grid order (``trial``, ``status``, the settings,
        ``seed``, the metrics, ``seconds``, ``error``): a pandas DataFrame when pandas is
        installed, else a list of dicts. A trial that raises gets ``status`` ``"failed"``
        and its error; a trial whose worker died is run again elsewhere by Dask. On Ctrl-C
        the table holds every trial finished so far, and KeyboardInterrupt is raised again.
    """
    if not callable(fn):
        raise TypeError(f"sweep.run: fn must be callable, got {type(fn).__name__}")
    trials = plan(grid, seeds)
    table = ResultsTable(Path(out) if out is not None else None, trials)
    todo = [t for t in trials if not table.done(t)]
    bar = _progress(len(trials), len(trials) - len(todo), progress)
    try:
        if client == "serial":
            _collect(_serial(fn, todo), table, bar)
        else:
            _distributed()  # the install hint, with or without work left
            if todo:
                with _client(client) as dask_client:
                    # closing: unfinished trials are cancelled however _collect stops
                    with contextlib.closing(_on_dask(dask_client, fn, todo)) as batches:
                        _collect(batches, table, bar)
    finally:
        bar.close()
        table.save()
    return _frame(table.results())


def _collect(batches: Iterator[list[dict]], table: ResultsTable, bar: Any) -> None:
    for rows in batches:
        table.add(rows)
        table.save()
        bar.update(len(rows))
        failed = sum(r["status"] == "failed" for r in table.results())
        if failed:
            bar.set_postfix(failed=failed)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix(self, **kwargs: Any) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, done: int, enabled: bool) -> Any:
    if not enabled:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("the progress bar needs tqdm: pip install tqdm") from None
    return tqdm(total=total, initial=done, desc="sweep", unit="trial")


def _frame(rows: list[dict[str, Any]]) -> Any:
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame(rows)
