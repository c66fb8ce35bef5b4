import numpy as np
import pytest

from tinygrad_nn import from_numpy
from tinygrad_nn.data import DataLoader, Dataset, Subset, TensorDataset, default_collate
from tinygrad_nn.tensor import Tensor


def _xy(n=6):
    X = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.int64) * 10
    return X, y


def test_getitem_returns_tuple_of_tensors_of_the_sample():
    X, y = _xy()
    x2, y2 = TensorDataset(from_numpy(X), from_numpy(y))[2]
    assert isinstance(x2, Tensor) and isinstance(y2, Tensor)
    assert np.array_equal(x2.data, X[2]) and y2.data == 20
    assert x2.dtype == np.float32 and y2.dtype == np.int64 and y2.shape == ()


def test_len_is_size_of_dim_0():
    assert len(TensorDataset(*_xy(7))) == 7


def test_accepts_numpy_arrays_and_wraps_them_without_copy():
    X, y = _xy()
    ds = TensorDataset(X, y)
    assert all(isinstance(t, Tensor) for t in ds.tensors)
    assert ds.tensors[0]._data is X


def test_mismatched_first_dims_error_names_both_sizes():
    with pytest.raises(ValueError, match="tensor 0 has 5 and tensor 1 has 4"):
        TensorDataset(np.zeros((5, 2)), np.zeros(4))


def test_needs_at_least_one_tensor():
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()


def test_rejects_0d_tensor():
    with pytest.raises(ValueError, match="tensor 1 is 0-d"):
        TensorDataset(np.zeros(3), np.array(1.0))


def test_rejects_list_argument():
    with pytest.raises(TypeError, match="argument 0 must be a Tensor or numpy array, got list"):
        TensorDataset([1, 2, 3])


def test_get_batch_equals_stacked_samples():
    X, y = _xy()
    ds = TensorDataset(X, y)
    idx = np.array([4, 0, 4, 2])
    bx, by = ds.get_batch(idx)
    assert np.array_equal(bx.data, np.stack([ds[i][0].data for i in idx]))
    assert np.array_equal(by.data, y[idx])


def test_loader_batches_tensor_dataset_without_per_sample_getitem(monkeypatch):
    ds = TensorDataset(*_xy(10))

    def no_getitem(self, index):
        raise AssertionError("per-sample __getitem__ called")

    monkeypatch.setattr(TensorDataset, "__getitem__", no_getitem)
    batches = list(DataLoader(Subset(ds, [9, 1, 5, 3]), batch_size=3))
    assert [b[1].data.tolist() for b in batches] == [[90, 10, 50], [30]]


def test_transform_applies_to_inputs_only_in_getitem_and_batches():
    X, y = _xy()
    ds = TensorDataset(X, y, transform=lambda a: a * 2)
    assert np.array_equal(ds[1][0].data, X[1] * 2) and ds[1][1].data == 10
    bx, by = ds.get_batch(np.array([0, 1]))
    assert np.array_equal(bx.data, X[:2] * 2) and np.array_equal(by.data, y[:2])


def test_target_transform_applies_to_targets():
    X, y = _xy()
    ds = TensorDataset(X, y, target_transform=lambda t: t + 1)
    assert ds[3][1].data == 31 and np.array_equal(ds[3][0].data, X[3])


def test_target_transform_without_targets_is_an_error():
    with pytest.raises(ValueError, match="target_transform needs a second tensor"):
        TensorDataset(np.zeros(3), target_transform=abs)


def test_subset_maps_indices_in_order():
    X, y = _xy()
    sub = Subset(TensorDataset(X, y), [5, 0, 3])
    assert len(sub) == 3
    assert [int(sub[i][1].data) for i in range(3)] == [50, 0, 30]
    assert int(sub[-1][1].data) == 30


def test_subset_get_batch_composes_indices():
    X, y = _xy()
    sub = Subset(TensorDataset(X, y), [5, 0, 3])
    assert sub.get_batch(np.array([2, 0]))[1].data.tolist() == [30, 50]


def test_subset_rejects_float_indices():
    with pytest.raises(TypeError, match="indices must be a 1-d sequence of ints"):
        Subset(TensorDataset(*_xy()), [0.5, 1.0])


def test_subset_of_plain_sequence_collates_samples():
    sub = Subset([(1, 2.0), (3, 4.0), (5, 6.0)], [2, 0])
    a, b = sub.get_batch(np.array([0, 1]))
    assert a.data.tolist() == [5, 1] and b.data.tolist() == [6.0, 2.0]


def test_default_collate_stacks_fields_with_torch_dtypes():
    a, b = default_collate([(1, 0.5), (2, 1.5)])
    assert a.dtype == np.int64 and b.dtype == np.float64
    assert a.data.tolist() == [1, 2]


def test_default_collate_single_tensor_samples_give_one_tensor():
    out = default_collate([from_numpy(np.ones(2)), from_numpy(np.zeros(2))])
    assert isinstance(out, Tensor) and out.shape == (2, 2)


def test_default_collate_rejects_empty_list():
    with pytest.raises(ValueError, match="empty"):
        default_collate([])


def test_default_collate_rejects_ragged_samples():
    with pytest.raises(ValueError, match="different numbers of fields"):
        default_collate([(1, 2), (3,)])


def test_dataset_base_class_requires_getitem_and_len():
    with pytest.raises(NotImplementedError, match="must define __getitem__"):
        Dataset()[0]
    with pytest.raises(NotImplementedError, match="must define __len__"):
        len(Dataset())
