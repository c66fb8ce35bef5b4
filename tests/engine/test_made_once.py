"""dtypes.MadeOnce: the read-only arrays the fused ops and backward formulas make once."""

import numpy as np
import pytest

from tinygrad_nn import dtypes


def test_made_once_makes_read_only_arrays_once_and_stays_small():
    calls = []
    cache = dtypes.MadeOnce(lambda n, dtype: calls.append(n) or np.ones(n, dtype))
    first = cache[3, np.dtype("float32")]
    assert cache[3, np.dtype("float32")] is first and calls == [3]
    with pytest.raises(ValueError):
        first[0] = 2.0
    for n in range(100):
        np.testing.assert_array_equal(cache[n, np.dtype("float64")], np.ones(n))
    assert len(cache) <= 64


def test_one_is_a_0d_one_of_each_dtype():
    for dtype in (np.float16, np.float32, np.float64):
        one = dtypes.ONE[np.dtype(dtype)]
        assert one.shape == () and one.dtype == dtype and one == 1
