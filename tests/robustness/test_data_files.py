"""Hostile inputs to datasets, loaders, checkpoints and IDX files."""

from __future__ import annotations

import gzip
import io
import zipfile

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn.data import DataLoader, Dataset, TensorDataset, default_collate, random_split
from tinygrad_nn.datasets import IDXFormatError, read_idx, write_idx

from .conftest import case, deadline, refused

NAN = float("nan")


class Nones(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return None


class Ragged(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return np.ones(i + 1), i


def ten():
    return TensorDataset(np.arange(10.0))


DATA = [
    case(lambda: next(iter(DataLoader(Nones(), 2))), TypeError, "NoneType", "none-samples"),
    case(lambda: next(iter(DataLoader(Ragged(), 2))), ValueError, "different shapes", "ragged"),
    case(lambda: default_collate([(1, None), (2, None)]), TypeError, "field 1", "none-field"),
    case(lambda: default_collate([("a",), ("b",)]), TypeError, "str", "string-field"),
    case(lambda: default_collate([(1,), (1, 2)]), ValueError, "numbers of fields", "widths"),
    case(lambda: default_collate([]), ValueError, "empty", "empty"),
    case(lambda: random_split(ten(), [NAN, 0.5]), ValueError, "finite", "split-nan"),
    case(lambda: random_split(ten(), [float("inf")]), ValueError, "finite", "split-inf"),
    case(lambda: random_split(ten(), ["a", "b"]), TypeError, "number", "split-strings"),
    case(lambda: random_split(ten(), [5, -2]), ValueError, "non-negative", "split-negative"),
    case(lambda: random_split(ten(), [3, 3]), ValueError, "sum of lengths", "split-sum"),
    case(lambda: random_split(ten(), []), ValueError, "empty", "split-empty"),
    case(lambda: DataLoader(ten(), batch_size=0), ValueError, ">= 1", "batch-0"),
    case(lambda: DataLoader(ten(), batch_size=2.5), TypeError, "integer", "batch-float"),
    case(lambda: DataLoader(ten(), batch_size=True), TypeError, "integer", "batch-bool"),
    case(lambda: DataLoader(5), TypeError, "__len__", "not-a-dataset"),
    case(lambda: DataLoader(ten(), generator="x"), TypeError, "generator", "generator"),
    case(lambda: TensorDataset([1, 2]), TypeError, "Tensor or numpy array", "list"),
    case(lambda: TensorDataset(np.ones(3), np.ones(4)), ValueError, "same size", "lengths"),
    case(lambda: TensorDataset(np.float64(1.0)), TypeError, "Tensor or numpy", "scalar"),
    case(lambda: tnn.manual_seed(-1), ValueError, ">= 0", "seed-negative"),
    case(lambda: tnn.manual_seed(1.5), TypeError, "integer", "seed-float"),
]


@pytest.mark.parametrize("call, error, keyword", DATA)
def test_bad_data_input_is_refused(call, error, keyword):
    refused(call, error, keyword)


# -- checkpoints ------------------------------------------------------------------------------


def _npz_with(path, name: str, header: dict, payload: bytes) -> None:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(name, buf.getvalue() + payload)


def test_header_claiming_a_huge_array_is_refused_before_allocating(tmp_path):
    path = tmp_path / "bomb.npz"
    header = {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}
    _npz_with(path, "w.npy", header, b"\0" * 64)
    with deadline(10):
        refused(lambda: tnn.load(path), ValueError, "claims shape (1000000, 1000000)")


def test_header_claiming_fewer_bytes_than_the_member_holds_is_refused(tmp_path):
    path = tmp_path / "extra.npz"
    _npz_with(path, "w.npy", {"descr": "<f4", "fortran_order": False, "shape": (2,)}, b"\0" * 16)
    refused(lambda: tnn.load(path), ValueError, "holds 16 bytes")


@pytest.mark.parametrize(
    "value, keyword",
    [
        (np.array(["1.5", "2"]), "strings"),
        (np.array([1 + 1j]), "complex"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "dates"),
        (np.array([b"ab"]), "bytes"),
    ],
    ids=["strings", "complex", "dates", "bytes"],
)
def test_checkpoint_member_that_is_not_numbers_is_refused_naming_file_and_member(
    tmp_path, value, keyword
):
    path = tmp_path / "odd.npz"
    np.savez(path, w=value)
    refused(lambda: tnn.load(path), ValueError, keyword)
    refused(lambda: tnn.load(path), ValueError, "odd.npz")
    refused(lambda: tnn.load(path), ValueError, "'w.npy'")


@pytest.mark.parametrize(
    "value", [np.array(["a"]), np.array([1j]), np.array([np.datetime64("2020")])]
)
def test_save_refuses_what_load_would_refuse(tmp_path, value):
    refused(lambda: tnn.save({"w": value}, tmp_path / "c.npz"), TypeError, "key 'w'")
    assert not (tmp_path / "c.npz").exists()


SAVE_PATHS = [
    case(lambda p: tnn.save({"w": np.ones(1)}, ""), ValueError, "empty", "empty-path"),
    case(lambda p: tnn.save({"w": np.ones(1)}, p), IsADirectoryError, "folder", "a-folder"),
    case(
        lambda p: tnn.save({"w": np.ones(1)}, p / "f" / "c.npz"),
        NotADirectoryError,
        "not a folder",
        "under-a-file",
    ),
    case(
        lambda p: tnn.save({"w": np.ones(1)}, p / "nowhere" / "c.npz"),
        FileNotFoundError,
        "does not exist",
        "missing-folder",
    ),
    case(lambda p: tnn.load(p / "f"), ValueError, "not a readable", "load-text-file"),
    case(lambda p: tnn.load(p / "absent.npz"), FileNotFoundError, "not found", "load-missing"),
]


@pytest.mark.parametrize("call, error, keyword", SAVE_PATHS)
def test_bad_checkpoint_path_is_refused(tmp_path, call, error, keyword):
    (tmp_path / "f").write_text("not a checkpoint")
    refused(lambda: call(tmp_path), error, keyword)


# -- IDX files ----------------------------------------------------------------------------------


def test_gzip_bomb_is_read_only_as_far_as_its_header_says(tmp_path, monkeypatch):
    """A 3-byte array followed by 200 MB of zeros, gzipped to about 200 KB."""
    path = tmp_path / "bomb.idx.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big") + b"abc")
        block = b"\0" * (1 << 20)
        for _ in range(200):
            fh.write(block)
    read = []
    original = gzip.GzipFile.read

    def counting(self, size=-1):
        out = original(self, size)
        read.append(len(out))
        return out

    monkeypatch.setattr(gzip.GzipFile, "read", counting)
    with deadline(10):
        refused(lambda: read_idx(path), IDXFormatError, "unexpected bytes")
    assert sum(read) <= 3 * (1 << 20)  # the header, the data, and a bounded look past it


IDX = [
    case(lambda p: read_idx(p / "absent.idx"), FileNotFoundError, "not found", "missing"),
    case(lambda p: read_idx(p), IsADirectoryError, "folder", "folder"),
    case(lambda p: read_idx(p / "junk"), IDXFormatError, "magic number", "junk"),
    case(lambda p: read_idx(p / "short"), IDXFormatError, "truncated", "truncated"),
    case(lambda p: read_idx(p / "badgz"), IDXFormatError, "gzip", "corrupt-gzip"),
    case(lambda p: write_idx(p / "c.idx", np.ones(2, complex)), TypeError, "type code", "complex"),
]


@pytest.mark.parametrize("call, error, keyword", IDX)
def test_bad_idx_file_is_refused(tmp_path, call, error, keyword):
    (tmp_path / "junk").write_bytes(b"hello world")
    (tmp_path / "short").write_bytes(bytes([0, 0, 0x08, 1]) + (9).to_bytes(4, "big") + b"ab")
    (tmp_path / "badgz").write_bytes(b"\x1f\x8b" + b"\x00" * 30)
    refused(lambda: call(tmp_path), error, keyword)
