"""Pattern helpers: {0,1} <-> {-1,1}, images, corruption, overlap."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_nn.hopfield import corrupt, from_image, letters, overlap, to_binary, to_bipolar


def test_to_bipolar_maps_zero_to_minus_one():
    np.testing.assert_array_equal(to_bipolar([0, 1, 1, 0]), [-1, 1, 1, -1])


@given(st.lists(st.sampled_from([-1, 1]), min_size=1, max_size=30))
def test_to_binary_inverts_to_bipolar(x):
    np.testing.assert_array_equal(to_bipolar(to_binary(x)), x)


def test_from_image_thresholds_at_half_range_and_flattens():
    img = np.array([[0, 255], [200, 10]])
    np.testing.assert_array_equal(from_image(img), [-1, 1, 1, -1])
    assert from_image(np.stack([img, img])).shape == (2, 4)


@given(noise=st.floats(0, 1), seed=st.integers(0, 1000))
def test_corrupt_flips_exactly_round_noise_times_n_entries(noise, seed):
    patterns = letters("AHX")
    cues = corrupt(patterns, noise, rng=seed)
    flipped = np.sum(cues != patterns, axis=1)
    np.testing.assert_array_equal(flipped, round(noise * 64))
    np.testing.assert_allclose(overlap(cues, patterns), 1 - 2 * round(noise * 64) / 64)


def test_letters_are_eight_by_eight_bipolar():
    p = letters("TX")
    assert p.shape == (2, 64) and set(np.unique(p)) == {-1.0, 1.0}
    assert p[0].reshape(8, 8)[0].tolist() == [1.0] * 8  # the bar of the T
