"""Bad input gets a clear ValueError naming the problem."""

import numpy as np
import pytest

from tinygrad_nn.hopfield import Hopfield, capacity_experiment, corrupt, from_image, letters
from tinygrad_nn.hopfield import network as network_module


def test_store_rejects_values_other_than_plus_minus_one():
    with pytest.raises(ValueError, match=r"only the values -1 and 1, found 0.*binary=True"):
        Hopfield(3).store([[1, 0, -1]])


def test_store_rejects_non_binary_values_when_declared_binary():
    with pytest.raises(ValueError, match=r"only the values 0 and 1, found -1"):
        Hopfield(3, binary=True).store([[1, -1, 0]])


def test_recall_rejects_real_valued_cues():
    with pytest.raises(ValueError, match="found 0.5"):
        Hopfield(3).recall([1, 0.5, -1])


def test_store_rejects_patterns_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"shape \(5,\) or \(batch, 5\).*got shape \(2, 4\)"):
        Hopfield(5).store(np.ones((2, 4)))


def test_recall_rejects_cues_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"got shape \(6,\)"):
        Hopfield(5).recall(np.ones(6))


def test_too_many_neurons_for_the_memory(monkeypatch):
    monkeypatch.setattr(network_module, "_available_memory", lambda: 2**30)
    with pytest.raises(ValueError, match=r"n_neurons=20000 .* GiB.*fewer neurons"):
        Hopfield(20_000)


def test_many_more_neurons_than_any_memory():
    with pytest.raises(ValueError, match="GiB"):
        Hopfield(10**8)


@pytest.mark.parametrize("n", [0, -3])
def test_n_neurons_must_be_positive(n):
    with pytest.raises(ValueError, match="n_neurons must be >= 1"):
        Hopfield(n)


@pytest.mark.parametrize("n", [2.5, True])
def test_n_neurons_must_be_an_integer(n):
    with pytest.raises(TypeError, match="n_neurons must be an integer"):
        Hopfield(n)


def test_unknown_rule():
    with pytest.raises(ValueError, match="unknown rule 'oja'"):
        Hopfield(4).store([1, 1, 1, 1], rule="oja")


def test_unknown_mode_and_negative_sweeps():
    with pytest.raises(ValueError, match="mode"):
        Hopfield(4).recall([1, 1, 1, 1], mode="parallel")
    with pytest.raises(ValueError, match="max_sweeps"):
        Hopfield(4).recall([1, 1, 1, 1], max_sweeps=-1)


def test_weights_must_be_symmetric_the_printed_matrix_of_the_notes_is_not():
    printed = np.array([[0, -1, 1, -1], [-1, 0, -1, 1], [1, -1, 0, -1], [1, 1, -1, 0]])
    with pytest.raises(ValueError, match=r"symmetric; W\[0, 3\] = -1.0 but W\[3, 0\] = 1.0"):
        Hopfield(4).weights = printed


def test_weights_must_have_a_zero_diagonal():
    with pytest.raises(ValueError, match="diagonal"):
        Hopfield(2).weights = np.ones((2, 2))


def test_weights_cannot_be_changed_in_place():
    net = Hopfield(4).store([1, -1, 1, -1])
    with pytest.raises(ValueError, match="read-only"):
        net.weights[0, 1] = 5.0


def test_thresholds_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"thresholds must have shape \(3,\)"):
        Hopfield(3, thresholds=[0.0, 1.0])


def test_corrupt_rejects_a_noise_outside_zero_one():
    with pytest.raises(ValueError, match="noise"):
        corrupt(letters("A"), 1.5)


def test_from_image_rejects_a_vector():
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        from_image(np.zeros(5))


def test_capacity_experiment_rejects_unknown_rule():
    with pytest.raises(ValueError, match="unknown rule"):
        capacity_experiment(50, [0.1], rule="hebb")
