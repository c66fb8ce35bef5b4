"""Checkpoints: ``save(state_dict, path)`` and ``load(path)`` as ``.npz``, without pickle.

``save`` writes every array (a Tensor's ``.data``, or a numpy array) bit for bit, dtype and
byte order included, in the dict's key order, to a temporary file in the same folder, then
fsyncs and renames it over ``path``: a crash leaves either the old file or the new one,
never half of one. ``load`` reads with ``allow_pickle=False`` and returns a dict of Tensors
in the saved order, like ``torch.load`` of a state_dict.
"""

from __future__ import annotations

import math
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from . import dtypes, safetensors
from .atomic import atomic_write
from .device import resolve_device
from .tensor import Tensor, wrap

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
        dtypes.check(arr.dtype, f"save: value of key {key!r}")
        arrays[key] = arr
    return arrays


def save(state_dict: Mapping[str, Tensor | np.ndarray], path: PathLike) -> None:
    """Write ``state_dict`` to ``path`` (exactly that name; no suffix is added) atomically.

    Raises ``TypeError`` naming the key of a value that is not a Tensor or numpy array.
    """
    arrays = _arrays(state_dict)
    if _is_safetensors(path):
        safetensors.save_file(arrays, path)
        return

    def write(fh: IO[bytes]) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for key, arr in arrays.items():
                with zf.open(key + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, arr, allow_pickle=False)

    if not os.fspath(path):
        raise ValueError("save: the path is empty; give a file name such as 'model.npz'")
    try:
        atomic_write(path, write)
    except FileNotFoundError:
        raise FileNotFoundError(f"save: folder of {str(path)!r} does not exist") from None
    except (IsADirectoryError, NotADirectoryError) as err:
        raise type(err)(f"save: {err}") from None


class _Unreadable(ValueError):
    pass


def _is_safetensors(path: PathLike) -> bool:
    return Path(path).suffix == ".safetensors"


def _unreadable(path: Path, reason: object) -> ValueError:
    return _Unreadable(f"{str(path)!r} is not a readable tinygrad_nn checkpoint (.npz): {reason}")


_READ_ERRORS = (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile)


def load(path: PathLike, map_location: Any = None, weights_only: bool = True) -> dict[str, Tensor]:
    """Read a checkpoint written by :func:`save`: a dict of Tensors in the saved order.

    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` naming the path for
    a file that is not a readable ``.npz`` checkpoint (corrupt, truncated, pickled).
    PyTorch's ``map_location`` must name the CPU (or be None); ``weights_only`` is accepted
    for PyTorch's signature and changes nothing: a checkpoint holds only arrays.
    """
    resolve_device(map_location, "load: map_location")
    path = Path(path)
    if _is_safetensors(path):
        return safetensors.load_file(path)
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
            # read member by member, by the full name: NpzFile's lookup by key can pick the
            # wrong member when keys "x" and "x.npy" are both present
            return {
                info.filename.removesuffix(".npy"): wrap(_member(npz.zip, info, path))
                for info in npz.zip.infolist()
            }
        except _Unreadable:
            raise
        except _READ_ERRORS as err:
            raise _unreadable(path, err) from err


_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> np.ndarray:
    """One member's array, after checking that it is a .npy array of numbers whose header
    agrees with the member's size (a header claiming 10^12 elements is refused before any
    memory is allocated for them)."""
    name = info.filename
    if not name.endswith(".npy"):
        raise _unreadable(path, f"member {name!r} is not a .npy array")
    with zf.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        if version not in _HEADER_READERS:
            raise _unreadable(path, f"member {name!r} is a .npy file of version {version}")
        shape, _, dtype = _HEADER_READERS[version](fh)
        data_bytes = info.file_size - fh.tell()
    if dtype.hasobject:
        raise _unreadable(path, f"member {name!r} holds Python objects, which need pickle")
    try:
        dtypes.check(dtype, f"member {name!r}")
    except TypeError as err:
        raise _unreadable(path, err) from None
    need = math.prod(shape) * dtype.itemsize
    if need != data_bytes:
        raise _unreadable(
            path,
            f"member {name!r} claims shape {shape} of {dtype} ({need:,} bytes) but holds "
            f"{data_bytes:,} bytes of data",
        )
    with zf.open(info) as fh:
        return np.lib.format.read_array(fh, allow_pickle=False)
