import numpy as np
import pytest

from tinygrad_nn.datasets import logic_gate, noisy_line, xor

INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]


@pytest.mark.parametrize(
    ("gate", "targets"),
    [("OR", [0, 1, 1, 1]), ("AND", [0, 0, 0, 1]), ("NAND", [1, 1, 1, 0]), ("XOR", [0, 1, 1, 0])],
)
def test_gate_truth_tables(gate, targets):
    X, t = logic_gate(gate)
    assert X.tolist() == INPUTS
    assert t.shape == (4, 1) and t[:, 0].tolist() == targets


def test_gate_names_are_case_insensitive():
    assert np.array_equal(logic_gate("or")[1], logic_gate("OR")[1])


def test_xor_is_the_xor_gate_in_float32():
    X, t = xor()
    assert X.dtype == t.dtype == np.float32
    assert t[:, 0].tolist() == [0, 1, 1, 0]


def test_unknown_gate_error_lists_the_choices():
    with pytest.raises(ValueError, match=r"unknown gate 'IMPLIES'; choose one of \['AND'"):
        logic_gate("IMPLIES")


def test_noisy_line_default_is_five_samples_as_columns():
    x, u = noisy_line(generator=np.random.default_rng(0))
    assert x.shape == u.shape == (5, 1) and x.dtype == u.dtype == np.float32


def test_noisy_line_without_noise_lies_on_the_line():
    x, u = noisy_line(50, noise_std=0.0, generator=np.random.default_rng(1), dtype=np.float64)
    np.testing.assert_allclose(u, 0.4 * x - 0.9, rtol=0, atol=1e-15)
    assert x.min() >= -1.0 and x.max() <= 1.0


def test_noisy_line_noise_has_the_asked_std_and_fit_recovers_the_line():
    x, u = noisy_line(20000, noise_std=0.1, generator=np.random.default_rng(2), dtype=np.float64)
    slope, intercept = np.polyfit(x[:, 0], u[:, 0], 1)
    assert slope == pytest.approx(0.4, abs=0.01) and intercept == pytest.approx(-0.9, abs=0.01)
    assert np.std(u - (0.4 * x - 0.9)) == pytest.approx(0.1, rel=0.03)


def test_noisy_line_x_range_is_respected():
    x, _ = noisy_line(100, x_range=(2.0, 3.0), generator=np.random.default_rng(3))
    assert x.min() >= 2.0 and x.max() <= 3.0


def test_noisy_line_is_reproducible_with_a_seeded_generator():
    a = noisy_line(generator=np.random.default_rng(4))
    b = noisy_line(generator=np.random.default_rng(4))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": -1}, "n_samples must be a non-negative int"),
        ({"n_samples": 2.5}, "n_samples must be a non-negative int"),
        ({"x_range": (1.0, 1.0)}, "low < high"),
        ({"noise_std": -0.1}, "noise_std must be >= 0"),
    ],
)
def test_noisy_line_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        noisy_line(**kwargs)
