"""sweep.run on a real two-worker Dask LocalCluster (worker processes): the same rows as a
serial run, resume, a worker killed by a signal, failures, and a table never half-written."""

import csv
import functools
import io
import os
import threading

import pytest

from tinygrad_nn import sweep
from tinygrad_nn.sweep.table import as_rows

distributed = pytest.importorskip("distributed", reason="Dask is the optional extra [sweep]")

GRID = {"width": [2, 3, 4], "lr": [0.1, 0.3]}


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes, shared by the tests of this module."""
    with sweep.local_client(2) as client:
        client.wait_for_workers(2, timeout=120)
        yield client


def without_timing(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


def test_the_cluster_gives_the_rows_of_a_serial_run(trials, client, tmp_path):
    on_dask = as_rows(sweep.run(trials.fit, GRID, seeds=2, client=client, out=tmp_path))
    serial = as_rows(sweep.run(trials.fit, GRID, seeds=2, client="serial"))
    assert len(on_dask) == 12 and {r["status"] for r in on_dask} == {"ok"}
    assert without_timing(on_dask) == without_timing(serial)


def test_workers_run_one_blas_thread(trials, client):
    rows = as_rows(sweep.run(trials.blas_threads, {"width": [1, 2]}, client=client))
    assert [r["openblas_threads"] for r in rows] == [1, 1]


def test_a_rerun_skips_the_finished_trials(trials, client, tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    fn = functools.partial(trials.counted, calls=str(calls))
    first = sweep.run(fn, {"width": [2, 3]}, seeds=2, client=client, out=tmp_path / "out")
    assert len(os.listdir(calls)) == 4
    again = sweep.run(fn, {"width": [2, 3, 4]}, seeds=2, client=client, out=tmp_path / "out")
    assert sorted(p.split("-")[0] for p in os.listdir(calls)) == ["2", "2", "3", "3", "4", "4"]
    assert as_rows(again)[:4] == as_rows(first)


def test_a_worker_killed_by_a_signal_loses_no_trial(trials, client, tmp_path):
    fn = functools.partial(trials.mortal, marker=str(tmp_path / "killed"))
    rows = as_rows(sweep.run(fn, GRID, seeds=2, client=client, out=tmp_path))
    assert (tmp_path / "killed").exists()  # a worker did die with its trial
    assert len(rows) == 12 and {r["status"] for r in rows} == {"ok"}
    serial = as_rows(sweep.run(trials.fit, GRID, seeds=2, client="serial"))
    assert without_timing(rows) == without_timing(serial)
    client.wait_for_workers(2, timeout=120)  # the nanny restarted it


def test_a_failing_trial_is_recorded_and_the_others_finish(trials, client, tmp_path):
    rows = as_rows(sweep.run(trials.fragile, GRID, client=client, out=tmp_path))
    failed = [r for r in rows if r["status"] == "failed"]
    assert [r["width"] for r in failed] == [3, 3]
    assert all("ValueError: width 3 is not allowed" in r["error"] for r in failed)
    assert sum(r["status"] == "ok" for r in rows) == 4


def test_a_reader_never_sees_a_half_written_table(trials, client, tmp_path):
    """Read results.csv over and over while the workers finish trials: every read is a whole
    table (header, complete rows, final newline) and rows are never lost."""
    path, seen, torn, stop = tmp_path / "results.csv", [], [], threading.Event()

    def watch():  # records what it sees: an assert in this thread could not fail the test
        while not stop.is_set():
            try:
                text = path.read_text()
            except FileNotFoundError:
                continue
            rows = list(csv.reader(io.StringIO(text)))
            whole = text.endswith("\n") and rows[0][:2] == ["trial", "status"]
            if not (whole and all(len(r) == len(rows[0]) and r[1] == "ok" for r in rows[1:])):
                torn.append(text)
            seen.append(len(rows) - 1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        fn = functools.partial(trials.counted, calls=str(tmp_path), pause=0.05)
        sweep.run(fn, {"width": list(range(12))}, client=client, out=tmp_path)
    finally:
        stop.set()
        watcher.join()
    assert not torn, f"a reader saw a half-written table: {torn[0]!r}"
    assert seen == sorted(seen) and seen[-1] == 12


def test_a_scheduler_address_or_dask_scheduler_address_reaches_the_same_cluster(
    trials, client, monkeypatch
):
    address = client.scheduler.address
    by_address = as_rows(sweep.run(trials.fit, {"width": [2]}, seeds=2, client=address))
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address)
    by_variable = as_rows(sweep.run(trials.fit, {"width": [2]}, seeds=2))
    serial = as_rows(sweep.run(trials.fit, {"width": [2]}, seeds=2, client="serial"))
    assert without_timing(by_address) == without_timing(by_variable) == without_timing(serial)
