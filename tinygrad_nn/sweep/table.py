"""The results of a sweep: one row per finished trial, kept in ``out/results.csv`` and
summarised in ``out/summary.json``.

Why the file is never half-written: every save writes the whole table to a temporary file
beside it, fsyncs it and renames it over ``results.csv`` (``tinygrad_nn.atomic``). A rename is
atomic on POSIX file systems, so a reader, a crash, a ``kill -9`` or a Ctrl-C at any moment
finds either the previous complete table or the new one. An append would be cheaper but leaves
a torn last line when the process dies mid-write, and could not add a column that a later
trial returns; rewriting costs O(rows) per save, a few milliseconds for thousands of trials,
which is nothing next to a training run.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import atomic_write
from .space import RESERVED, Trial

__all__ = ["summarize"]  # ResultsTable and as_rows serve run() and plot()

RESULTS, SUMMARY = "results.csv", "summary.json"


def _cell(value: Any) -> Any:
    """A value as the CSV shows it: lists as JSON, floats in their shortest exact form."""
    return json.dumps(value) if isinstance(value, list) else value


def _number(text: str) -> int | float | bool | None:
    if text in ("", None):
        return None
    if text in ("True", "False"):
        return text == "True"
    try:
        return int(text)
    except ValueError:
        return float(text)


class ResultsTable:
    """The rows of one sweep's trials, merged with what ``out/results.csv`` already holds.

    Rows of earlier runs of the same trials are taken back (a trial is done when its row says
    ``ok``; failed trials run again). Rows of other trials in the file are kept as they are.
    """

    def __init__(self, out: str | Path | None, trials: Sequence[Trial]):
        self.out = None if out is None else Path(out)
        self.trials = {t.id: t for t in trials}
        self.config_keys = list(dict.fromkeys(k for t in trials for k in t.config))
        self.rows: dict[str, dict[str, Any]] = {}  # trial id -> row, in file order
        self.metric_keys: list[str] = []
        self.foreign_columns: list[str] = []
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            if (self.out / RESULTS).exists():
                self._load(self.out / RESULTS)

    def _load(self, path: Path) -> None:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = list(reader.fieldnames or [])
            if "trial" not in header or "status" not in header:
                raise ValueError(f"{path} is not a sweep's results table (no trial/status)")
            for raw in reader:
                trial = self.trials.get(raw["trial"])
                self.rows[raw["trial"]] = raw if trial is None else self._typed(trial, raw)
        known = {"trial", "status", "seed", "seconds", "error", *self.config_keys}
        self.foreign_columns = [c for c in header if c not in known and c not in self.metric_keys]

    def _typed(self, trial: Trial, raw: dict[str, str]) -> dict[str, Any]:
        """A row of this sweep read back: settings and seed from the trial, numbers parsed."""
        row: dict[str, Any] = {"trial": trial.id, "status": raw["status"], **trial.config}
        row["seed"] = trial.seed
        if raw["status"] == "ok":
            skip = {"trial", "status", "seed", "seconds", "error", *trial.config}
            for key, text in raw.items():
                if key not in skip and text not in ("", None):
                    row[key] = _number(text)
                    self._note_metric(key)
        row["seconds"] = _number(raw.get("seconds", ""))
        row["error"] = raw.get("error") or ""
        return row

    def _note_metric(self, key: str) -> None:
        if key not in self.metric_keys:
            self.metric_keys.append(key)

    def done(self, trial: Trial) -> bool:
        """Whether the trial has an ``ok`` row (a re-run skips it)."""
        return self.rows.get(trial.id, {}).get("status") == "ok"

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Take finished trials' rows (a re-run's row replaces the old one)."""
        for row in rows:
            self.rows.pop(row["trial"], None)
            self.rows[row["trial"]] = row
            for key in row:
                if key not in RESERVED and key not in self.config_keys:
                    self._note_metric(key)

    @property
    def columns(self) -> list[str]:
        """trial, status, settings, seed, metrics, other files' columns, seconds, error."""
        return [
            "trial",
            "status",
            *self.config_keys,
            "seed",
            *self.metric_keys,
            *[c for c in self.foreign_columns if c not in self.metric_keys],
            "seconds",
            "error",
        ]

    def results(self) -> list[dict[str, Any]]:
        """This sweep's finished rows (ok or failed) in plan order, all with every column."""
        columns = [c for c in self.columns if c not in self.foreign_columns]
        rows = (self.rows.get(tid) for tid in self.trials)
        return [{c: row.get(c) for c in columns} for row in rows if row is not None]

    def summary(self) -> dict[str, Any]:
        """Counts, the swept and fixed settings, and per setting mean/std/min/max over seeds."""
        rows = self.results()
        by_status = [sum(r["status"] == s for r in rows) for s in ("ok", "failed")]
        values = {
            k: _distinct(t.config.get(k) for t in self.trials.values()) for k in self.config_keys
        }
        return {
            "trials": len(self.trials),
            "ok": by_status[0],
            "failed": by_status[1],
            "pending": len(self.trials) - len(rows),
            "seeds": _distinct(t.seed for t in self.trials.values()),
            "swept": {k: v for k, v in values.items() if len(v) > 1},
            "fixed": {k: v[0] for k, v in values.items() if len(v) == 1},
            "metrics": self.metric_keys,
            "groups": summarize(rows, self.config_keys, self.metric_keys),
            "failures": [
                {"trial": r["trial"], "seed": r["seed"], "error": r["error"]}
                for r in rows
                if r["status"] == "failed"
            ],
        }

    def save(self) -> None:
        """Write results.csv and summary.json, each atomically (write, fsync, rename)."""
        if self.out is None:
            return
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, self.columns, restval="", lineterminator="\n")
        writer.writeheader()
        for row in self.rows.values():
            writer.writerow({k: _cell(v) for k, v in row.items()})
        data = text.getvalue().encode()
        atomic_write(self.out / RESULTS, lambda fh: fh.write(data))
        summary = (json.dumps(_plain(self.summary()), indent=1, allow_nan=False) + "\n").encode()
        atomic_write(self.out / SUMMARY, lambda fh: fh.write(summary))


def _distinct(values: Iterable[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for v in values:
        seen.setdefault(json.dumps(v, sort_keys=True), v)
    return list(seen.values())


def _plain(obj: Any) -> Any:
    """JSON-safe: NaN and infinities become null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def as_rows(table: Any) -> list[dict[str, Any]]:
    """A results table (list of dicts or pandas DataFrame) as a list of dicts."""
    if hasattr(table, "to_dict"):
        return table.to_dict("records")
    return list(table)


def _default_metrics(rows: list[dict[str, Any]], by: Sequence[str]) -> list[str]:
    """The columns between ``seed`` and ``seconds``: what the sweep's function returned."""
    keys = list(rows[0]) if rows else []
    if "seed" in keys and "seconds" in keys:
        keys = keys[keys.index("seed") + 1 : keys.index("seconds")]
    return [k for k in keys if k not in by and k not in RESERVED]


def summarize(
    table: Any, by: Sequence[str], metrics: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Mean, standard deviation (ddof=1; NaN for one value), min and max of each metric over
    the ``ok`` rows that share the values of ``by`` (usually: over the seeds).

    ``table`` is what :func:`tinygrad_nn.sweep.run` returned (or a list of dicts). One dict per
    group, in order of first appearance: the ``by`` values, ``n``, then ``<metric>_mean``,
    ``<metric>_std``, ``<metric>_min``, ``<metric>_max``. ``metrics`` defaults to the columns
    between ``seed`` and ``seconds``: what the sweep's function returned.
    """
    rows = [r for r in as_rows(table) if r.get("status", "ok") == "ok"]
    by = list(by)
    metrics = _default_metrics(rows, by) if metrics is None else list(metrics)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        key = json.dumps([row.get(k) for k in by], sort_keys=True, default=str)
        groups.setdefault(key, []).append(row)
    out = []
    for members in groups.values():
        entry: dict[str, Any] = {k: members[0].get(k) for k in by}
        entry["n"] = len(members)
        for m in metrics:
            v = np.array([r[m] for r in members if _is_number(r.get(m))], dtype=np.float64)
            stats = (v.mean(), v.std(ddof=1) if len(v) > 1 else math.nan, v.min(), v.max())
            names = ("mean", "std", "min", "max")
            for name, s in zip(names, stats if len(v) else (math.nan,) * 4):
                entry[f"{m}_{name}"] = float(s)
        out.append(entry)
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not (
        isinstance(value, float) and math.isnan(value)
    )
