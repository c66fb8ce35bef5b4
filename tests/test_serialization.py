import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import (
    array_shapes,
    arrays,
    boolean_dtypes,
    floating_dtypes,
    integer_dtypes,
    unsigned_integer_dtypes,
)

from tinygrad_nn.serialization import load, save
from tinygrad_nn.tensor import Tensor

# every dtype a tensor may hold (complex, strings and dates are refused), in both byte orders
numeric_dtypes = st.one_of(
    boolean_dtypes(),
    integer_dtypes(endianness="?"),
    unsigned_integer_dtypes(endianness="?"),
    floating_dtypes(endianness="?", sizes=(16, 32, 64)),
)
any_array = arrays(numeric_dtypes, array_shapes(min_dims=0, max_dims=3, min_side=0))


def _bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a).tobytes()


@given(arr=any_array)
def test_round_trip_is_bit_for_bit_with_dtype(arr):
    with tempfile.TemporaryDirectory() as tmp:
        save({"w": arr}, Path(tmp) / "ckpt.npz")
        out = load(Path(tmp) / "ckpt.npz")["w"]
    assert isinstance(out, Tensor)
    assert out.dtype == arr.dtype and out.shape == arr.shape
    assert _bits(out.data) == _bits(arr)


def test_nan_payloads_and_signed_zeros_survive(tmp_path):
    bits = np.array([0x7FC00001, 0xFFC12345, 0x80000000, 0x00000001], dtype=np.uint32)
    save({"x": bits.view(np.float32)}, tmp_path / "c.npz")
    assert np.array_equal(load(tmp_path / "c.npz")["x"].numpy().view(np.uint32), bits)


@given(
    keys=st.lists(
        st.text(min_size=0, max_size=12).filter(lambda k: "\x00" not in k), unique=True, max_size=8
    )
)
def test_keys_keep_their_order(keys):
    state = {k: np.full(2, i) for i, k in enumerate(keys)}
    with tempfile.TemporaryDirectory() as tmp:
        save(state, Path(tmp) / "c.npz")
        out = load(Path(tmp) / "c.npz")
    assert list(out) == keys
    assert all(np.array_equal(out[k].data, state[k]) for k in keys)


def test_pytorch_style_keys_and_lookalike_keys(tmp_path):
    state = {
        "0.weight": np.ones((2, 3)),
        "0.bias": np.zeros(2),
        "x": np.array(1),
        "x.npy": np.array(2),
    }
    save(state, tmp_path / "c.npz")
    out = load(tmp_path / "c.npz")
    assert list(out) == list(state)
    assert out["x"].data == 1 and out["x.npy"].data == 2


def test_tensor_values_are_saved_by_their_data(tmp_path):
    w = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    save({"w": w}, tmp_path / "c.npz")
    out = load(tmp_path / "c.npz")["w"]
    assert np.array_equal(out.data, w.data) and out.requires_grad is False


def test_non_contiguous_and_big_endian_arrays(tmp_path):
    a = np.arange(20.0).reshape(4, 5)[:, ::2]
    b = np.asfortranarray(np.arange(6).reshape(2, 3))
    c = np.arange(3, dtype=">i4")
    save({"a": a, "b": b, "c": c}, tmp_path / "c.npz")
    out = load(tmp_path / "c.npz")
    assert np.array_equal(out["a"].data, a) and np.array_equal(out["b"].data, b)
    assert out["c"].dtype == np.dtype(">i4") and out["c"].data.tolist() == [0, 1, 2]


def test_file_is_a_plain_npz_at_exactly_the_given_path(tmp_path):
    save({"0.weight": np.eye(2)}, tmp_path / "model.ckpt")
    assert os.listdir(tmp_path) == ["model.ckpt"]
    with np.load(tmp_path / "model.ckpt", allow_pickle=False) as npz:
        assert np.array_equal(npz["0.weight"], np.eye(2))


def test_permissions_follow_the_umask(tmp_path):
    save({"a": np.zeros(1)}, tmp_path / "c.npz")
    mask = os.umask(0)
    os.umask(mask)
    assert os.stat(tmp_path / "c.npz").st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("value", [1.5, [1, 2], "w", None])
def test_non_array_value_is_a_type_error_naming_the_key(tmp_path, value):
    with pytest.raises(TypeError, match="value of key 'layer.bias' is a"):
        save({"layer.weight": np.zeros(2), "layer.bias": value}, tmp_path / "c.npz")
    assert os.listdir(tmp_path) == []


def test_object_array_is_a_type_error_naming_the_key(tmp_path):
    with pytest.raises(TypeError, match="key 'o' has dtype object"):
        save({"o": np.array([{}, 1], dtype=object)}, tmp_path / "c.npz")


def test_non_string_key_is_a_type_error(tmp_path):
    with pytest.raises(TypeError, match="keys must be str, got int 0"):
        save({0: np.zeros(1)}, tmp_path / "c.npz")


def test_non_mapping_is_a_type_error(tmp_path):
    with pytest.raises(TypeError, match="expected a dict of arrays, got list"):
        save([np.zeros(1)], tmp_path / "c.npz")


def test_save_into_missing_folder_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="folder of .*nowhere/c.npz' does not exist"):
        save({"w": np.zeros(1)}, tmp_path / "nowhere" / "c.npz")


def test_missing_checkpoint_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="checkpoint not found: .*absent.npz"):
        load(tmp_path / "absent.npz")


@pytest.mark.parametrize("content", [b"", b"garbage, not a zip file", b"PK\x03\x04broken"])
def test_garbage_file_is_a_value_error_naming_the_path(tmp_path, content):
    path = tmp_path / "bad.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"bad\.npz' is not a readable tinygrad_nn checkpoint"):
        load(path)


def test_truncated_checkpoint_is_a_value_error(tmp_path):
    path = tmp_path / "c.npz"
    save({"w": np.arange(1000.0)}, path)
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(ValueError, match="not a readable tinygrad_nn checkpoint"):
        load(path)


def test_flipped_data_byte_is_caught_by_the_crc(tmp_path):
    path = tmp_path / "c.npz"
    save({"w": np.zeros(1000)}, path)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="not a readable tinygrad_nn checkpoint.*CRC"):
        load(path)


def test_single_npy_file_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "a.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array, not a dict"):
        load(path)


def test_pickled_member_is_refused(tmp_path):
    path = tmp_path / "p.npz"
    np.savez(path, o=np.array([{}], dtype=object))
    with pytest.raises(ValueError, match="not a readable tinygrad_nn checkpoint.*pickle"):
        load(path)


def test_save_leaves_no_temporary_files(tmp_path):
    for k in range(3):
        save({"w": np.full(3, k)}, tmp_path / "c.npz")
    assert os.listdir(tmp_path) == ["c.npz"]
    assert load(tmp_path / "c.npz")["w"].data.tolist() == [2, 2, 2]


def test_failure_mid_write_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "c.npz"
    save({"w": np.ones(100)}, path)
    before = path.read_bytes()
    real_write = np.lib.format.write_array

    def write_then_fail(fh, arr, **kw):
        real_write(fh, arr, **kw)
        raise OSError("disk full")

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        save({"w": np.zeros(100), "b": np.zeros(3)}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["c.npz"]


def test_failure_at_rename_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "c.npz"
    save({"w": np.ones(4)}, path)
    before = path.read_bytes()

    def fail_replace(src, dst):
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(OSError, match="rename failed"):
        save({"w": np.zeros(4)}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["c.npz"]


def test_file_is_synced_before_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(
        os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1]
    )
    save({"w": np.ones(2)}, tmp_path / "c.npz")
    assert events[:2] == ["fsync", "replace"]


def test_written_zip_members_are_npy_files(tmp_path):
    save({"a": np.zeros(1), "b.c": np.ones(1)}, tmp_path / "c.npz")
    with zipfile.ZipFile(tmp_path / "c.npz") as zf:
        assert zf.namelist() == ["a.npy", "b.c.npy"]


def test_loads_an_npz_written_by_numpy(tmp_path):
    np.savez(tmp_path / "n.npz", **{"0.weight": np.eye(3, dtype=np.float32), "0.bias": np.ones(3)})
    out = load(tmp_path / "n.npz")
    assert list(out) == ["0.weight", "0.bias"] and out["0.weight"].dtype == np.float32


def test_checkpoint_with_a_non_array_member_is_refused_naming_the_path(tmp_path):
    path = tmp_path / "odd.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", b"hello")
    with pytest.raises(ValueError, match=r"odd\.npz.*notes\.txt"):
        load(path)
