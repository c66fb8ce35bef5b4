import gzip
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tinygrad_nn.datasets import (
    IDXFormatError,
    load_mnist,
    load_mnist_files,
    read_idx,
    write_idx,
)
from tinygrad_nn.tensor import Tensor


def _header(code, *dims):
    return bytes([0, 0, code, len(dims)]) + b"".join(d.to_bytes(4, "big") for d in dims)


def test_reads_hand_made_uint8_vector(tmp_path):
    path = tmp_path / "v.idx"
    path.write_bytes(_header(0x08, 3) + bytes([1, 2, 255]))
    out = read_idx(path)
    assert out.dtype == np.uint8 and out.tolist() == [1, 2, 255]


def test_reads_big_endian_int16_matrix(tmp_path):
    path = tmp_path / "m.idx"
    path.write_bytes(_header(0x0B, 2, 2) + bytes([0, 1, 1, 0, 255, 255, 128, 0]))
    out = read_idx(path)
    assert out.dtype == np.int16 and out.tolist() == [[1, 256], [-1, -32768]]
    assert out.dtype.byteorder in ("=", "<", "|")  # native order


def test_reads_big_endian_float64(tmp_path):
    path = tmp_path / "f.idx"
    path.write_bytes(_header(0x0E, 1) + bytes.fromhex("3ff8000000000000"))
    assert read_idx(path).tolist() == [1.5]


def test_detects_gzip_from_content_not_name(tmp_path):
    path = tmp_path / "no-suffix"
    path.write_bytes(gzip.compress(_header(0x08, 2) + bytes([7, 9])))
    assert read_idx(path).tolist() == [7, 9]


idx_arrays = st.sampled_from(["u1", "i1", ">i2", "<i4", "f4", ">f8"]).flatmap(
    lambda dt: arrays(dt, st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple))
)


@given(arr=idx_arrays, gz=st.booleans())
def test_write_then_read_round_trips(arr, gz):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("a.idx.gz" if gz else "a.idx")
        write_idx(path, arr)
        out = read_idx(path)
        assert (path.read_bytes()[:2] == b"\x1f\x8b") == gz
    assert out.shape == arr.shape and out.dtype == arr.dtype.newbyteorder("=")
    assert np.array_equal(out, arr, equal_nan=arr.dtype.kind == "f")


def test_missing_file_error_names_the_path(tmp_path):
    path = tmp_path / "nope-idx3-ubyte"
    with pytest.raises(FileNotFoundError, match="nope-idx3-ubyte"):
        read_idx(path)


def test_folder_instead_of_file_is_an_error(tmp_path):
    with pytest.raises(IsADirectoryError, match="expected an IDX file"):
        read_idx(tmp_path)


@pytest.mark.parametrize("head", [b"\x01\x00\x08\x01", b"PK\x03\x04", b"\x00\x00\x0a\x01"])
def test_bad_magic_is_an_error_naming_the_file(tmp_path, head):
    path = tmp_path / "bad.idx"
    path.write_bytes(head + bytes(8))
    with pytest.raises(IDXFormatError, match=r"bad\.idx.*bad IDX magic number 0x" + head.hex()):
        read_idx(path)


def test_file_shorter_than_magic_is_truncated(tmp_path):
    path = tmp_path / "t.idx"
    path.write_bytes(b"\x00\x00\x08")
    with pytest.raises(IDXFormatError, match="truncated header"):
        read_idx(path)


def test_missing_dims_is_a_truncated_header(tmp_path):
    path = tmp_path / "t.idx"
    path.write_bytes(_header(0x08, 5, 5)[:9])
    with pytest.raises(
        IDXFormatError, match="truncated header: 2 dims need 12 bytes, the file has 9"
    ):
        read_idx(path)


def test_short_data_is_truncated(tmp_path):
    path = tmp_path / "t.idx"
    path.write_bytes(_header(0x08, 2, 3) + bytes(5))
    with pytest.raises(
        IDXFormatError, match=r"truncated data: shape \(2, 3\) of uint8 needs 6 bytes"
    ):
        read_idx(path)


def test_extra_bytes_after_data_are_an_error(tmp_path):
    path = tmp_path / "t.idx"
    path.write_bytes(_header(0x08, 2) + bytes(3))
    with pytest.raises(IDXFormatError, match="1 unexpected bytes after the data"):
        read_idx(path)


def test_truncated_gzip_is_an_error(tmp_path):
    path = tmp_path / "t.idx.gz"
    path.write_bytes(gzip.compress(_header(0x08, 100) + bytes(100))[:-12])
    with pytest.raises(IDXFormatError, match="corrupt or truncated gzip"):
        read_idx(path)


def test_write_rejects_dtype_without_code(tmp_path):
    with pytest.raises(TypeError, match="dtype int64 has no IDX type code"):
        write_idx(tmp_path / "x.idx", np.zeros(3, dtype=np.int64))


def _mnist(tmp_path, n_images=5, n_labels=5, prefix="train", gz=True):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n_images, 4, 3), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n_labels, dtype=np.uint8)
    ext = ".gz" if gz else ""
    write_idx(tmp_path / f"{prefix}-images-idx3-ubyte{ext}", images)
    write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte{ext}", labels)
    return images, labels


def test_load_mnist_files_flattens_and_scales(tmp_path):
    images, labels = _mnist(tmp_path)
    X, y = load_mnist_files(
        tmp_path / "train-images-idx3-ubyte.gz", tmp_path / "train-labels-idx1-ubyte.gz"
    )
    assert X.shape == (5, 12) and X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(X, images.reshape(5, 12).astype(np.float32) / 255)
    assert y.tolist() == labels.tolist()


def test_image_and_label_count_mismatch_names_both(tmp_path):
    _mnist(tmp_path, n_images=5, n_labels=4)
    with pytest.raises(ValueError, match=r"5 images in .*images.* but 4 labels in .*labels"):
        load_mnist(tmp_path)


def test_images_must_be_3d_uint8(tmp_path):
    write_idx(tmp_path / "img", np.zeros((2, 3), dtype=np.uint8))
    write_idx(tmp_path / "lab", np.zeros(2, dtype=np.uint8))
    with pytest.raises(IDXFormatError, match=r"expected uint8 images of shape \(n, rows, cols\)"):
        load_mnist_files(tmp_path / "img", tmp_path / "lab")


def test_labels_must_be_1d_uint8(tmp_path):
    write_idx(tmp_path / "img", np.zeros((2, 3, 3), dtype=np.uint8))
    write_idx(tmp_path / "lab", np.zeros(2, dtype=np.int32))
    with pytest.raises(IDXFormatError, match=r"expected uint8 labels of shape \(n,\), got int32"):
        load_mnist_files(tmp_path / "img", tmp_path / "lab")


@pytest.mark.parametrize("gz", [True, False])
def test_load_mnist_finds_test_split_files_in_folder(tmp_path, gz):
    images, _ = _mnist(tmp_path, prefix="t10k", gz=gz)
    X, y = load_mnist(tmp_path, train=False, as_tensors=True)
    assert isinstance(X, Tensor) and X.shape == (5, 12) and y.shape == (5,)


def test_load_mnist_missing_files_lists_names_tried(tmp_path):
    _mnist(tmp_path, prefix="t10k")
    with pytest.raises(FileNotFoundError, match="looked for train-images-idx3-ubyte"):
        load_mnist(tmp_path, train=True)


def test_load_mnist_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="MNIST folder not found: .*nowhere"):
        load_mnist(tmp_path / "nowhere")
