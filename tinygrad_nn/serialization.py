"""Checkpoints: ``save(state_dict, path)`` and ``load(path)`` as ``.npz``, without pickle.

``save`` writes every array (a Tensor's ``.data``, or a numpy array) bit for bit, dtype and
byte order included, in the dict's key order, to a temporary file in the same folder, then
fsyncs and renames it over ``path``: a crash leaves either the old file or the new one,
never half of one. ``load`` reads with ``allow_pickle=False`` and returns a dict of Tensors
in the saved order, like ``torch.load`` of a state_dict.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import numpy as np

from .atomic import atomic_write
from .tensor import Tensor

__all__ = ["load", "save"]

PathLike = str | os.PathLike


def _arrays(state_dict: Mapping[str, Tensor | np.ndarray]) -> dict[str, np.ndarray]:
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"save: expected a dict of arrays, got {type(state_dict).__name__}")
    arrays = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise TypeError(f"save: keys must be str, got {type(key).__name__} {key!r}")
        if "\x00" in key:
            raise ValueError(f"save: key {key!r} contains a NUL character")
        arr = value._data if isinstance(value, Tensor) else value
        if not isinstance(arr, np.ndarray):
            raise TypeError(
                f"save: value of key {key!r} is a {type(value).__name__}, "
                "not a Tensor or numpy array"
            )
        if arr.dtype.hasobject:
            raise TypeError(f"save: value of key {key!r} has dtype object, which needs pickle")
        arrays[key] = arr
    return arrays


def save(state_dict: Mapping[str, Tensor | np.ndarray], path: PathLike) -> None:
    """Write ``state_dict`` to ``path`` (exactly that name; no suffix is added) atomically.

    Raises ``TypeError`` naming the key of a value that is not a Tensor or numpy array.
    """
    arrays = _arrays(state_dict)

    def write(fh: IO[bytes]) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for key, arr in arrays.items():
                with zf.open(key + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, arr, allow_pickle=False)

    try:
        atomic_write(path, write)
    except FileNotFoundError:
        raise FileNotFoundError(f"save: folder of {str(path)!r} does not exist") from None


def _unreadable(path: Path, reason: object) -> ValueError:
    return ValueError(f"{str(path)!r} is not a readable tinygrad_nn checkpoint (.npz): {reason}")


_READ_ERRORS = (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile)


def load(path: PathLike) -> dict[str, Tensor]:
    """Read a checkpoint written by :func:`save`: a dict of Tensors in the saved order.

    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` naming the path for
    a file that is not a readable ``.npz`` checkpoint (corrupt, truncated, pickled).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"checkpoint not found: {str(path)!r}")
    try:
        npz = np.load(path, allow_pickle=False)
    except _READ_ERRORS as err:
        raise _unreadable(path, err) from err
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise _unreadable(path, "it holds a single .npy array, not a dict of arrays")
    with npz:
        try:
            # index by the full member name: NpzFile's lookup by key can pick the wrong
            # member when keys "x" and "x.npy" are both present
            members = npz.zip.namelist()
            stray = [m for m in members if not m.endswith(".npy")]
            if stray:
                raise _unreadable(path, f"member {stray[0]!r} is not a .npy array")
            return {m.removesuffix(".npy"): Tensor(npz[m]) for m in members}
        except _READ_ERRORS as err:
            raise _unreadable(path, err) from err
