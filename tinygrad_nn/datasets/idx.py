"""Reading and writing IDX files, the format of MNIST (gzipped or not), and ``load_mnist``.

IDX layout (big-endian): two zero bytes, a type code, the number of dims ``d``; then ``d``
sizes as uint32; then the values, row-major. Type codes: 0x08 uint8, 0x09 int8, 0x0B int16,
0x0C int32, 0x0D float32, 0x0E float64. tinygrad_nn downloads nothing: give the path of files
you have, e.g. ``train-images-idx3-ubyte.gz`` and ``train-labels-idx1-ubyte.gz``.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from pathlib import Path
from typing import IO

import numpy as np

from ..atomic import atomic_write
from ..tensor import Tensor, wrap

__all__ = ["IDXFormatError", "load_mnist", "load_mnist_files", "read_idx", "write_idx"]

PathLike = str | os.PathLike

_CODES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"
_TRAILING_SHOWN = 1 << 20


class IDXFormatError(ValueError):
    """A file that is not a well-formed IDX file (the message names the file)."""


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise IsADirectoryError(f"expected an IDX file, got the folder {str(path)!r}")
    if not path.is_file():
        raise FileNotFoundError(
            f"IDX file not found: {str(path)!r} (tinygrad_nn does not download data sets; "
            "give the path of a file you have)"
        )


def read_idx(path: PathLike) -> np.ndarray:
    """The array stored in the IDX file at ``path`` (gzip detected from the content),
    in native byte order. Raises ``FileNotFoundError`` or ``IDXFormatError``.

    A gzipped file is decompressed only as far as its header says the data goes (plus one
    byte, to detect trailing data): a small file that inflates to gigabytes is refused
    without being inflated."""
    path = Path(path)
    _check_file(path)
    with path.open("rb") as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as fh:
            return _read_stream(fh, repr(str(path)))
    except (OSError, EOFError, zlib.error) as err:
        raise IDXFormatError(f"{str(path)!r}: corrupt or truncated gzip data ({err})") from None


def _read_stream(fh: IO[bytes], name: str) -> np.ndarray:
    head = fh.read(4)
    if len(head) < 4:
        raise IDXFormatError(f"{name}: truncated header ({len(head)} bytes, need at least 4)")
    if head[0] != 0 or head[1] != 0 or head[2] not in _CODES:
        raise IDXFormatError(
            f"{name}: bad IDX magic number 0x{head.hex()}: expected two zero bytes, a type "
            f"code among {', '.join(f'0x{c:02X}' for c in _CODES)}, and the number of dims"
        )
    dtype = np.dtype(_CODES[head[2]])
    ndim = head[3]
    sizes = fh.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise IDXFormatError(
            f"{name}: truncated header: {ndim} dims need {4 + 4 * ndim} bytes, the file has "
            f"{4 + len(sizes)}"
        )
    shape = tuple(int(s) for s in np.frombuffer(sizes, dtype=">u4"))
    expected = math.prod(shape) * dtype.itemsize
    data = fh.read(expected + 1)
    if len(data) < expected:
        raise IDXFormatError(
            f"{name}: truncated data: shape {shape} of {dtype.name} needs {expected} bytes "
            f"after the header, found {len(data)}"
        )
    if len(data) > expected:
        more = fh.read(_TRAILING_SHOWN)  # counted up to a bound: never inflate a bomb
        extra = f"{1 + len(more)}{'+' if len(more) == _TRAILING_SHOWN else ''}"
        raise IDXFormatError(f"{name}: {extra} unexpected bytes after the data of shape {shape}")
    array = np.frombuffer(data, dtype=dtype, count=math.prod(shape))
    return array.reshape(shape).astype(dtype.newbyteorder("="))


def write_idx(path: PathLike, array: np.ndarray, compress: bool | None = None) -> None:
    """Write ``array`` (uint8, int8, int16, int32, float32 or float64) as an IDX file,
    gzipped when ``compress`` is true (default: when ``path`` ends with ``.gz``)."""
    arr = np.asarray(array)
    codes = {np.dtype(v).newbyteorder("=").str: k for k, v in _CODES.items()}
    code = codes.get(arr.dtype.newbyteorder("=").str)
    if code is None:
        raise TypeError(f"write_idx: dtype {arr.dtype} has no IDX type code")
    if arr.ndim > 255 or any(s >= 2**32 for s in arr.shape):
        raise ValueError(f"write_idx: shape {arr.shape} does not fit an IDX header")
    header = bytes([0, 0, code, arr.ndim]) + np.array(arr.shape, dtype=">u4").tobytes()
    payload = header + np.ascontiguousarray(arr, dtype=np.dtype(_CODES[code])).tobytes()
    path = Path(path)
    if compress is None:
        compress = path.suffix == ".gz"
    data = gzip.compress(payload, mtime=0) if compress else payload
    atomic_write(path, lambda fh: fh.write(data))


def load_mnist_files(
    images_path: PathLike,
    labels_path: PathLike,
    dtype: np.dtype | type = np.float32,
    as_tensors: bool = False,
) -> tuple[np.ndarray, np.ndarray] | tuple[Tensor, Tensor]:
    """MNIST-style images and labels from two IDX files, as ``(X, y)``.

    ``X`` has shape (n, rows*cols), pixels/255 in [0, 1] of ``dtype``; ``y`` (n,) int64.
    """
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise IDXFormatError(
            f"{str(images_path)!r}: expected uint8 images of shape (n, rows, cols), "
            f"got {images.dtype} of shape {images.shape}"
        )
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise IDXFormatError(
            f"{str(labels_path)!r}: expected uint8 labels of shape (n,), "
            f"got {labels.dtype} of shape {labels.shape}"
        )
    if len(images) != len(labels):
        raise ValueError(
            f"MNIST files disagree: {len(images)} images in {str(images_path)!r} but "
            f"{len(labels)} labels in {str(labels_path)!r}"
        )
    dtype = np.dtype(dtype)
    X = images.reshape(len(images), -1).astype(dtype) / dtype.type(255)
    y = labels.astype(np.int64)
    return (wrap(X), wrap(y)) if as_tensors else (X, y)


def _find(root: Path, stems: list[str]) -> Path:
    names = [s + ext for s in stems for ext in ("", ".gz")]
    for name in names:
        if (root / name).is_file():
            return root / name
    raise FileNotFoundError(f"no MNIST file in {str(root)!r}: looked for {', '.join(names)}")


def load_mnist(
    root: PathLike,
    train: bool = True,
    dtype: np.dtype | type = np.float32,
    as_tensors: bool = False,
) -> tuple[np.ndarray, np.ndarray] | tuple[Tensor, Tensor]:
    """MNIST (or Fashion-MNIST) from the folder ``root`` holding the original IDX files,
    gzipped or not: ``train-*`` when ``train`` else ``t10k-*``. See ``load_mnist_files``."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"MNIST folder not found: {str(root)!r}")
    split = "train" if train else "t10k"
    images = _find(root, [f"{split}-images-idx3-ubyte", f"{split}-images.idx3-ubyte"])
    labels = _find(root, [f"{split}-labels-idx1-ubyte", f"{split}-labels.idx1-ubyte"])
    return load_mnist_files(images, labels, dtype=dtype, as_tensors=as_tensors)
