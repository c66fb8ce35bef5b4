"""save/load of ``.safetensors`` paths: bit-exact round trips of every dtype in the saved
order, a header checked before anything is allocated, atomic writes; cross-checked with the
``safetensors`` package when it is installed (an optional test extra, not a dependency)."""

import json
import struct

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import safetensors as st

DTYPES = ["?", "u1", "i1", "u2", "i2", "f2", "u4", "i4", "f4", "u8", "i8", "f8"]


def _arrays():
    rng = np.random.default_rng(0)
    out = {
        f"t{i}.{dt}": (rng.standard_normal((2, 3)) * 50).astype(dt) for i, dt in enumerate(DTYPES)
    }
    out["scalar"] = np.array(3.5)
    out["empty"] = np.zeros((0, 4), np.float32)
    out["big_endian"] = np.arange(5, dtype=">f4")
    return out


def test_round_trip_is_bit_exact_for_every_dtype_and_keeps_order(tmp_path):
    arrays = _arrays()
    path = tmp_path / "w.safetensors"
    tnn.save(arrays, path)
    loaded = tnn.load(path)
    assert list(loaded) == list(arrays)
    for k, a in arrays.items():
        b = loaded[k].numpy()
        assert b.shape == a.shape and b.dtype == a.dtype.newbyteorder("=")
        np.testing.assert_array_equal(b, a)


def test_file_layout_is_the_format(tmp_path):
    path = tmp_path / "w.safetensors"
    st.save_file({"a": np.arange(3, dtype=np.float32)}, path, metadata={"format": "pt"})
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    assert n % 8 == 0
    assert header == {
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 12]},
    }
    assert raw[8 + n :] == np.arange(3, dtype="<f4").tobytes()


def test_a_model_state_dict_round_trips(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(2 * 4, 3))
    tnn.save(model.state_dict(), tmp_path / "m.safetensors")
    other = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(2 * 4, 3))
    other.load_state_dict(tnn.load(tmp_path / "m.safetensors"))
    x = tnn.randn(2, 1, 4, 4)
    model.eval(), other.eval()
    np.testing.assert_array_equal(model(x).detach().numpy(), other(x).detach().numpy())


def _file(tmp_path, header, data=b"", length=None):
    text = json.dumps(header).encode()
    path = tmp_path / "bad.safetensors"
    path.write_bytes(struct.pack("<Q", len(text) if length is None else length) + text + data)
    return path


ENTRY = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}


@pytest.mark.parametrize(
    "header, data, length, message",
    [
        ({"a": ENTRY}, b"\0" * 8, 10**12, "header length"),
        ({"a": ENTRY}, b"\0" * 4, None, "hold 8 bytes but the file has 4"),
        ({"a": {**ENTRY, "dtype": "F7"}}, b"\0" * 8, None, "unknown dtype"),
        ({"a": {**ENTRY, "shape": [-2]}}, b"\0" * 8, None, "not a list of sizes"),
        ({"a": {**ENTRY, "shape": [3]}}, b"\0" * 8, None, "wrong byte count"),
        ({"a": ENTRY, "b": ENTRY}, b"\0" * 16, None, "starts at byte 0, expected 8"),
        ({"a": {**ENTRY, "data_offsets": [8, 16]}}, b"\0" * 16, None, "starts at byte 8"),
        ({"a": {**ENTRY, "extra": 1}}, b"\0" * 8, None, "exactly dtype"),
        ({"__metadata__": {"k": 1}}, b"", None, "__metadata__"),
        ([1, 2], b"", None, "not a JSON object"),
    ],
)
def test_malformed_headers_are_refused_naming_the_file(tmp_path, header, data, length, message):
    path = _file(tmp_path, header, data, length)
    with pytest.raises(ValueError, match=message) as err:
        tnn.load(path)
    assert "bad.safetensors" in str(err.value)


def test_not_json_and_truncated_files_are_refused(tmp_path):
    path = tmp_path / "x.safetensors"
    path.write_bytes(struct.pack("<Q", 4) + b"{{{{")
    with pytest.raises(ValueError, match="not JSON"):
        tnn.load(path)
    path.write_bytes(b"\1\0")
    with pytest.raises(ValueError, match="8-byte"):
        tnn.load(path)
    with pytest.raises(FileNotFoundError):
        tnn.load(tmp_path / "missing.safetensors")


def test_unsupported_values_are_refused_before_writing(tmp_path):
    path = tmp_path / "w.safetensors"
    with pytest.raises(TypeError, match="complex"):
        st.save_file({"c": np.zeros(2, np.complex64)}, path)
    with pytest.raises(TypeError, match="'x' is a list"):
        tnn.save({"x": [1, 2]}, path)
    assert not path.exists()


def test_bf16_is_widened_to_float32(tmp_path):
    values = np.array([1.5, -2.25, 3.0], np.float32)
    bits = (values.view(np.uint32) >> 16).astype("<u2")
    header = {"w": {"dtype": "BF16", "shape": [3], "data_offsets": [0, 6]}}
    path = _file(tmp_path, header, bits.tobytes())
    np.testing.assert_array_equal(tnn.load(path)["w"].numpy(), values)


def test_the_safetensors_package_reads_ours_and_we_read_its(tmp_path):
    numpy_st = pytest.importorskip("safetensors.numpy")
    arrays = {k: v for k, v in _arrays().items() if k != "big_endian"}
    tnn.save(arrays, tmp_path / "ours.safetensors")
    theirs = numpy_st.load_file(str(tmp_path / "ours.safetensors"))
    for k, a in arrays.items():
        np.testing.assert_array_equal(theirs[k], a)
    numpy_st.save_file(arrays, str(tmp_path / "theirs.safetensors"), metadata={"m": "1"})
    for k, t in tnn.load(tmp_path / "theirs.safetensors").items():
        np.testing.assert_array_equal(t.numpy(), arrays[k])
