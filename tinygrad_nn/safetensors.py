r"""The safetensors format, read and written here without pickle and without the
``safetensors`` package, so that a ``state_dict`` moves between tinygrad_nn and PyTorch.

A file is an 8-byte little-endian unsigned length $N$, then $N$ bytes of JSON
``{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
"__metadata__": {...}}`` (padded with spaces), then the raw little-endian bytes of every
tensor in C order, ``begin``/``end`` counted from the end of the header. The header is
checked completely (dtypes, shapes, byte counts, offsets that tile the data exactly)
before any tensor is allocated.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import numpy as np

from .atomic import atomic_write
from .tensor import Tensor, wrap

__all__ = ["load_file", "save_file"]

#: the format's dtype names and the numpy dtypes (little-endian) they are read as
DTYPES = {
    "BOOL": np.dtype("?"),
    "U8": np.dtype("u1"),
    "I8": np.dtype("i1"),
    "U16": np.dtype("<u2"),
    "I16": np.dtype("<i2"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),  # no numpy bfloat16: read as bits, widened to float32
    "U32": np.dtype("<u4"),
    "I32": np.dtype("<i4"),
    "F32": np.dtype("<f4"),
    "U64": np.dtype("<u8"),
    "I64": np.dtype("<i8"),
    "F64": np.dtype("<f8"),
}
_NAMES = {(dt.kind, dt.itemsize): name for name, dt in DTYPES.items() if name != "BF16"}
MAX_HEADER = 100 * 1024 * 1024  # the reference implementation's limit


def save_file(
    tensors: Mapping[str, Tensor | np.ndarray],
    path: str | os.PathLike,
    metadata: Mapping[str, str] | None = None,
) -> None:
    """Write ``tensors`` (name → Tensor or array) to ``path`` as safetensors, atomically
    (a temporary file renamed into place), in the mapping's order; ``metadata`` is a
    str → str dict stored under ``__metadata__``."""
    header: dict[str, object] = {}
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise TypeError("save_file: metadata must map str to str")
        header["__metadata__"] = dict(metadata)
    arrays, offset = [], 0
    for name, value in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise TypeError(
                f"save_file: tensor names must be str other than __metadata__, got {name!r}"
            )
        arr = value._data if isinstance(value, Tensor) else value
        if not isinstance(arr, np.ndarray):
            raise TypeError(
                f"save_file: {name!r} is a {type(value).__name__}, not a Tensor or array"
            )
        key = (arr.dtype.kind, arr.dtype.itemsize)
        if key not in _NAMES:
            raise TypeError(
                f"save_file: {name!r} has dtype {arr.dtype}, which safetensors cannot hold"
            )
        arr = np.asarray(arr, dtype=arr.dtype.newbyteorder("<"), order="C")  # keeps 0-d
        header[name] = {
            "dtype": _NAMES[key],
            "shape": list(arr.shape),
            "data_offsets": [offset, offset + arr.nbytes],
        }
        arrays.append(arr)
        offset += arr.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned

    def write(fh: IO[bytes]) -> None:
        fh.write(struct.pack("<Q", len(text)))
        fh.write(text)
        for arr in arrays:
            fh.write(arr.tobytes())

    atomic_write(path, write)


def _bad(path: Path, reason: str) -> ValueError:
    return ValueError(f"{str(path)!r} is not a valid safetensors file: {reason}")


def read_header(fh: IO[bytes], path: Path, size: int) -> dict:
    """The header, checked: every entry's dtype, shape and byte count, and offsets that tile
    the data exactly (no gap, no overlap, nothing past the end of the file)."""
    head = fh.read(8)
    if len(head) < 8:
        raise _bad(path, "shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", head)
    if n > min(MAX_HEADER, size - 8):
        raise _bad(path, f"header length {n} exceeds the file ({size} bytes) or 100 MB")
    try:
        header = json.loads(fh.read(n))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _bad(path, f"header is not JSON ({err})") from None
    if not isinstance(header, dict):
        raise _bad(path, "header is not a JSON object")
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (
        isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())
    ):
        raise _bad(path, "__metadata__ must map str to str")
    spans = []
    for name, entry in header.items():
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
            raise _bad(path, f"entry {name!r} must have exactly dtype, shape and data_offsets")
        dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
        if dtype not in DTYPES:
            raise _bad(path, f"entry {name!r} has unknown dtype {dtype!r}")
        if not (isinstance(shape, list) and all(type(s) is int and s >= 0 for s in shape)):
            raise _bad(path, f"entry {name!r} has shape {shape!r}, not a list of sizes")
        if not (
            isinstance(offsets, list)
            and len(offsets) == 2
            and all(type(o) is int for o in offsets)
            and 0 <= offsets[0] <= offsets[1]
        ):
            raise _bad(path, f"entry {name!r} has data_offsets {offsets!r}")
        if offsets[1] - offsets[0] != math.prod(shape) * DTYPES[dtype].itemsize:
            raise _bad(
                path, f"entry {name!r}: {offsets} holds the wrong byte count for {dtype} {shape}"
            )
        spans.append((offsets[0], offsets[1], name))
    end = 0
    for begin, stop, name in sorted(spans):
        if begin != end:
            raise _bad(path, f"entry {name!r} starts at byte {begin}, expected {end}")
        end = stop
    if end != size - 8 - n:
        raise _bad(path, f"the tensors hold {end} bytes but the file has {size - 8 - n}")
    return header


def load_file(path: str | os.PathLike) -> dict[str, Tensor]:
    """Read a safetensors file into a dict of Tensors in the header's order. BF16 is widened
    to float32 (numpy has no bfloat16). Raises ``ValueError`` naming the path for a malformed
    file, before allocating anything."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"checkpoint not found: {str(path)!r}")
    size = path.stat().st_size
    out = {}
    with path.open("rb") as fh:
        header = read_header(fh, path, size)
        start = fh.tell()
        for name, entry in header.items():
            dtype = DTYPES[entry["dtype"]]
            begin, end = entry["data_offsets"]
            buf = bytearray(end - begin)
            fh.seek(start + begin)
            fh.readinto(buf)
            arr = np.frombuffer(buf, dtype).reshape(entry["shape"])
            if entry["dtype"] == "BF16":
                arr = (arr.astype(np.uint32) << 16).view(np.float32)
            out[name] = wrap(arr.astype(arr.dtype.newbyteorder("="), copy=False))
    return out
