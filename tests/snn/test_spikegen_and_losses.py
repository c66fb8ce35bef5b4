"""Spike encoders and the losses on spike trains: shapes, seeding, formulas, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import snn
from tinygrad_nn import testing as tt


def test_rate_code_follows_manual_seed():
    x = tnn.rand(4, 6)
    tnn.manual_seed(7)
    first = snn.spikegen.rate(x, num_steps=10)
    tnn.manual_seed(7)
    np.testing.assert_array_equal(snn.spikegen.rate(x, num_steps=10).numpy(), first.numpy())
    assert first.shape == (10, 4, 6) and first.dtype == np.float32


@given(tt.arrays(shape=st.just((50,)), elements=st.floats(0, 1)))
def test_rate_code_spikes_with_the_given_probability(p):
    spikes = snn.spikegen.rate(tnn.tensor(p), num_steps=4000, generator=0).numpy()
    assert set(np.unique(spikes)) <= {0.0, 1.0}
    np.testing.assert_allclose(spikes.mean(0), p, atol=0.035)  # > 4 standard deviations


def test_rate_code_applies_gain_and_offset_and_silences_the_first_steps():
    spikes = snn.spikegen.rate(tnn.tensor([-1.0, 1.0]), 6, gain=0.5, offset=0.5, first_spike_time=2)
    np.testing.assert_array_equal(spikes.numpy(), [[0, 0]] * 2 + [[0, 1]] * 4)


def test_latency_code_gives_snntorchs_documented_example():
    spikes = snn.spikegen.latency(tnn.tensor([0.02, 0.5, 1.0]), 5, normalize=True, linear=True)
    expected = [[0, 0, 1], [0, 0, 0], [0, 1, 0], [0, 0, 0], [1, 0, 0]]
    np.testing.assert_array_equal(spikes.numpy(), expected)


def test_latency_code_fires_once_per_feature_earlier_for_brighter_input():
    x = np.linspace(0.05, 1, 8)
    spikes = snn.spikegen.latency(tnn.tensor(x), 20, tau=3, normalize=True).numpy()
    assert (spikes.sum(0) == 1).all()
    times = spikes.argmax(0)
    assert (np.diff(times) <= 0).all() and times[0] == 19


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: snn.spikegen.rate(tnn.rand(3), 0), "num_steps"),
        (lambda: snn.spikegen.rate(tnn.tensor([1, 2]), 5), "floating point"),
        (lambda: snn.spikegen.latency(tnn.tensor([1.5]), 5), r"\[0, 1\]"),
        (lambda: snn.spikegen.latency(tnn.tensor([0.5]), 5, threshold=1.0), "threshold"),
    ],
)
def test_encoders_name_the_bad_argument(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


SPK = np.array(
    [
        [[1, 0, 0], [0, 1, 1]],
        [[1, 1, 0], [0, 0, 1]],
        [[0, 0, 0], [1, 0, 1]],
        [[1, 0, 1], [0, 0, 1]],
    ],
    dtype=np.float64,
)
Y = np.array([0, 2])


def _log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def test_ce_rate_loss_averages_the_cross_entropy_of_every_step():
    loss = snn.functional.ce_rate_loss()(tnn.tensor(SPK), tnn.tensor(Y))
    expected = -np.mean([_log_softmax(SPK[t])[np.arange(2), Y] for t in range(4)])
    assert loss.item() == pytest.approx(expected, rel=1e-12)


def test_ce_count_loss_is_the_cross_entropy_of_the_counts():
    loss = snn.functional.ce_count_loss()(tnn.tensor(SPK), tnn.tensor(Y))
    expected = -_log_softmax(SPK.sum(0))[np.arange(2), Y].mean()
    assert loss.item() == pytest.approx(expected, rel=1e-12)


def test_mse_count_loss_compares_counts_with_target_rates():
    loss = snn.functional.mse_count_loss(correct_rate=0.75, incorrect_rate=0.25)
    target = np.where(np.arange(3) == Y[:, None], 3, 1)
    expected = ((SPK.sum(0) - target) ** 2).mean() / 4
    assert loss(tnn.tensor(SPK), tnn.tensor(Y)).item() == pytest.approx(expected, rel=1e-12)


def test_mse_membrane_loss_pulls_the_target_membrane_to_on_and_the_rest_to_off():
    mem = SPK * 0.7
    loss = snn.functional.mse_membrane_loss(on_target=1, off_target=0)
    expected = ((mem - np.eye(3)[Y]) ** 2).mean()
    assert loss(tnn.tensor(mem), tnn.tensor(Y)).item() == pytest.approx(expected, rel=1e-12)


def test_accuracy_rate_counts_the_most_active_output():
    assert snn.functional.accuracy_rate(tnn.tensor(SPK), tnn.tensor(Y)) == 1.0
    assert snn.functional.accuracy_rate(tnn.tensor(SPK), tnn.tensor([1, 2])) == 0.5


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: snn.functional.ce_rate_loss()(tnn.tensor(SPK[0]), tnn.tensor(Y)), "num_steps"),
        (
            lambda: snn.functional.ce_count_loss()(tnn.tensor(SPK), tnn.tensor([0.0, 1.0])),
            "integer",
        ),
        (lambda: snn.functional.accuracy_rate(tnn.tensor(SPK), tnn.tensor([0, 1, 2])), r"\(2,\)"),
        (lambda: snn.functional.mse_count_loss(correct_rate=1.5), "correct_rate"),
    ],
)
def test_losses_name_the_bad_argument(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()
