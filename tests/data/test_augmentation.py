import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tinygrad_nn.data import Compose, RandomRotation, RandomShift, rotate, shift
from tinygrad_nn.tensor import Tensor

images = arrays(
    np.float32,
    st.tuples(st.integers(0, 4), st.integers(1, 9), st.integers(1, 9)),
    elements=st.floats(-10, 10, width=32),
)


@given(x=images)
def test_shift_by_zero_is_identity(x):
    assert np.array_equal(shift(x, np.zeros(2, dtype=int)), x)


@given(x=images, interpolation=st.sampled_from(["bilinear", "nearest"]))
def test_rotate_by_zero_is_identity(x, interpolation):
    assert np.array_equal(rotate(x, 0.0, interpolation), x)


@given(x=images, seed=st.integers(0, 1000))
def test_random_transforms_with_zero_range_are_identity(x, seed):
    gen = np.random.default_rng(seed)
    assert np.array_equal(RandomShift(0, generator=gen)(x), x)
    assert np.array_equal(RandomRotation(0, generator=gen)(x), x)


@given(x=images, m=st.integers(0, 3), deg=st.floats(0, 30), seed=st.integers(0, 1000))
def test_random_transforms_keep_shape_and_dtype(x, m, deg, seed):
    gen = np.random.default_rng(seed)
    for t in (RandomShift(m, generator=gen), RandomRotation(deg, generator=gen)):
        out = t(x)
        assert out.shape == x.shape and out.dtype == x.dtype


@given(r=st.integers(0, 6), c=st.integers(0, 6), m=st.integers(0, 3), seed=st.integers(0, 10**6))
def test_random_shift_moves_a_pixel_at_most_max_shift(r, c, m, seed):
    x = np.zeros((7, 7), dtype=np.float32)
    x[r, c] = 1.0
    out = RandomShift(m, generator=np.random.default_rng(seed))(x)
    for rr, cc in zip(*np.nonzero(out), strict=True):
        assert abs(rr - r) <= m and abs(cc - c) <= m
    assert out.sum() <= 1.0


def test_shift_moves_down_and_right_with_zero_fill():
    x = np.zeros((1, 5, 5))
    x[0, 2, 3] = 7.0
    out = shift(x, np.array([[1, -2]]))
    assert out[0, 3, 1] == 7.0 and out.sum() == 7.0


def test_shift_off_the_edge_leaves_zeros():
    x = np.ones((4, 4))
    assert np.array_equal(shift(x, np.array([4, 0])), np.zeros((4, 4)))
    out = shift(x, np.array([0, 1]))
    assert np.array_equal(out[:, 0], np.zeros(4)) and np.array_equal(out[:, 1:], np.ones((4, 3)))


def test_shift_applies_one_shift_per_image():
    x = np.zeros((2, 3, 3))
    x[:, 1, 1] = 1.0
    out = shift(x, np.array([[1, 0], [0, -1]]))
    assert out[0, 2, 1] == 1.0 and out[1, 1, 0] == 1.0


def test_shift_rejects_float_shifts():
    with pytest.raises(TypeError, match="shifts must be integers"):
        shift(np.zeros((3, 3)), np.array([0.5, 0.0]))


@pytest.mark.parametrize("size", [4, 5])
def test_rotate_90_nearest_equals_rot90_counter_clockwise(size):
    x = np.arange(size * size, dtype=np.float64).reshape(size, size)
    assert np.array_equal(rotate(x, 90.0, "nearest"), np.rot90(x))


def test_rotate_90_bilinear_is_close_to_rot90():
    x = np.arange(36, dtype=np.float32).reshape(6, 6)
    np.testing.assert_allclose(rotate(x, 90.0), np.rot90(x), atol=1e-4)


def test_rotate_180_flips_both_axes():
    x = np.random.default_rng(0).random((5, 5))
    np.testing.assert_allclose(rotate(x, 180.0), x[::-1, ::-1], atol=1e-12)


def test_rotate_bilinear_reproduces_a_linear_ramp_at_the_source_point():
    # bilinear interpolation is exact for f(r, c) = 10 r + c, so each interior output pixel
    # equals f at its source point (r_s, c_s) of the rotation formula
    x = 10.0 * np.arange(3)[:, None] + np.arange(3)[None, :]
    t = np.deg2rad(30.0)
    out = rotate(x, 30.0)
    for r, c in [(0, 1), (1, 0), (1, 1), (1, 2), (2, 1)]:
        rs = 1 + np.sin(t) * (c - 1) + np.cos(t) * (r - 1)
        cs = 1 + np.cos(t) * (c - 1) - np.sin(t) * (r - 1)
        assert out[r, c] == pytest.approx(10 * rs + cs, abs=1e-12)


def test_rotate_applies_one_angle_per_image():
    x = np.stack([np.arange(16.0).reshape(4, 4)] * 2)
    out = rotate(x, np.array([90.0, -90.0]), "nearest")
    assert np.array_equal(out[0], np.rot90(x[0])) and np.array_equal(out[1], np.rot90(x[1], -1))


def test_rotate_keeps_integer_dtype():
    x = np.arange(25, dtype=np.uint8).reshape(5, 5)
    out = rotate(x, 10.0)
    assert out.dtype == np.uint8 and out.shape == (5, 5)


def test_flat_images_with_image_shape_keep_flat_layout():
    x = np.arange(2 * 16, dtype=np.float32).reshape(2, 16)
    out = rotate(x, 90.0, "nearest", image_shape=(4, 4))
    assert out.shape == (2, 16)
    assert np.array_equal(out[1].reshape(4, 4), np.rot90(x[1].reshape(4, 4)))
    assert RandomShift(1, image_shape=4)(x[0]).shape == (16,)


def test_tensor_in_gives_tensor_out():
    x = Tensor(np.ones((3, 4, 4), dtype=np.float32))
    out = RandomRotation(10, generator=np.random.default_rng(0))(x)
    assert isinstance(out, Tensor) and out.shape == (3, 4, 4)


def test_each_image_of_a_batch_draws_its_own_shift():
    x = np.zeros((20, 5, 5), dtype=np.float32)
    x[:, 2, 2] = 1.0
    out = RandomShift(2, generator=np.random.default_rng(0))(x)
    positions = {tuple(np.argwhere(img)[0]) for img in out}
    assert len(positions) > 1


def test_compose_applies_transforms_in_order():
    x = np.zeros((3, 3))
    x[0, 0] = 1.0
    out = Compose([lambda a: shift(a, np.array([0, 1])), lambda a: rotate(a, 90.0, "nearest")])(x)
    assert np.array_equal(out, np.rot90(shift(x, np.array([0, 1]))))


def test_compose_rejects_non_callable():
    with pytest.raises(TypeError, match="transform 1 is not callable"):
        Compose([abs, 3])


def test_image_shape_must_match_last_dim():
    with pytest.raises(ValueError, match=r"image_shape=\(8, 8\) needs a last dim of 64"):
        RandomShift(1, image_shape=8)(np.zeros((2, 63)))


def test_flat_input_without_image_shape_is_an_error():
    with pytest.raises(ValueError, match="for flat images pass image_shape"):
        rotate(np.zeros(16), 10.0)


def test_negative_ranges_are_errors():
    with pytest.raises(ValueError, match="max_shift must be >= 0"):
        RandomShift(-1)
    with pytest.raises(ValueError, match="max_degrees must be >= 0"):
        RandomRotation(-5)


def test_unknown_interpolation_is_an_error():
    with pytest.raises(ValueError, match="interpolation must be 'bilinear' or 'nearest'"):
        rotate(np.zeros((3, 3)), 5.0, "bicubic")
