"""Energy and recall: async descends the energy to a fixed point, sync may 2-cycle (§15–§16)."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tinygrad_nn.hopfield import Hopfield, corrupt, letters, overlap

from .strategies import RULE_NAMES, bipolar, random_network, storable


def test_recall_of_a_corrupted_cue_in_the_notes_example():
    net = Hopfield(4).store([1, -1, 1, -1])
    for mode in ("async", "sync"):
        result = net.recall([1, 1, 1, -1], mode=mode, rng=0)
        np.testing.assert_array_equal(result.state, [1, -1, 1, -1])
        assert result.converged and result.sweeps == 1


def test_energy_matches_the_double_sum():
    rng = np.random.default_rng(0)
    net = Hopfield(7, thresholds=rng.normal(size=7)).store(rng.choice([-1, 1], (3, 7)))
    x = rng.choice([-1.0, 1.0], 7)
    w, b = net.weights, net.thresholds
    expected = -0.5 * sum(w[i, j] * x[i] * x[j] for i in range(7) for j in range(7)) + sum(
        b[i] * x[i] for i in range(7)
    )
    assert net.energy(x) == pytest.approx(expected)


def test_energy_of_a_stored_pattern_in_the_notes_example():
    # -1/2 x^T (x x^T - I) x = -1/2 (N^2 - N) = -6 for N = 4
    assert Hopfield(4).store([1, -1, 1, -1]).energy([1, -1, 1, -1]) == -6.0


def test_energy_is_vectorised_over_a_batch():
    net = Hopfield(8).store(letters("T")[:, :8])
    xs = np.random.default_rng(1).choice([-1.0, 1.0], (5, 8))
    np.testing.assert_allclose(net.energy(xs), [net.energy(x) for x in xs])


@given(
    data=bipolar(),
    rule=st.sampled_from(RULE_NAMES),
    threshold_scale=st.sampled_from([0.0, 0.3, 2.0]),
)
def test_async_updates_never_raise_the_energy(data, rule, threshold_scale):
    patterns, seed = data
    rng = np.random.default_rng(seed)
    n_neurons = patterns.shape[1]
    assume(storable(patterns, rule))
    net = Hopfield(n_neurons, thresholds=threshold_scale * rng.normal(size=n_neurons))
    net.store(patterns, rule=rule)
    cues = rng.choice([-1.0, 1.0], (4, n_neurons))
    result = net.recall(cues, rng=rng, record_energies=True)
    scale = 1.0 + np.abs(result.energies).max()
    assert np.all(np.diff(result.energies, axis=1) <= 1e-9 * scale)
    assert np.all(result.converged)
    assert np.all(net.is_fixed_point(result.state))


@given(n_neurons=st.integers(2, 20), seed=st.integers(0, 2**32 - 1))
def test_async_updates_never_raise_the_energy_for_any_symmetric_weights(n_neurons, seed):
    rng = np.random.default_rng(seed)
    net = random_network(rng, n_neurons)
    result = net.recall(rng.choice([-1.0, 1.0], (3, n_neurons)), rng=rng, record_energies=True)
    assert np.all(np.diff(result.energies, axis=1) <= 1e-9 * (1 + np.abs(result.energies).max()))
    assert np.all(result.converged)


@given(n_neurons=st.integers(2, 20), seed=st.integers(0, 2**32 - 1))
def test_sync_updates_end_in_a_fixed_point_or_a_two_cycle(n_neurons, seed):
    """Goles' theorem: with symmetric W, synchronous dynamics have period 1 or 2."""
    rng = np.random.default_rng(seed)
    net = random_network(rng, n_neurons)
    result = net.recall(rng.choice([-1.0, 1.0], (5, n_neurons)), mode="sync", max_sweeps=500)
    assert np.all(result.converged ^ result.cycle)


def test_sync_update_detects_a_two_cycle_where_async_converges():
    net = Hopfield(2).store([1, 1])  # W = [[0, 1], [1, 0]]
    sync = net.recall([1, -1], mode="sync")
    assert sync.cycle and not sync.converged
    assert sync.state.tolist() in ([1, -1], [-1, 1])
    asyn = net.recall([1, -1], mode="async", rng=0)
    assert asyn.converged and not asyn.cycle
    assert asyn.state.tolist() in ([1, 1], [-1, -1])


def test_recorded_energies_track_the_state():
    patterns = letters()
    net = Hopfield(64).store(patterns, rule="storkey")
    cues = corrupt(patterns, 0.2, rng=0)
    for mode in ("async", "sync"):
        result = net.recall(cues, mode=mode, rng=1, record_energies=True)
        np.testing.assert_allclose(result.energies[:, 0], net.energy(cues))
        np.testing.assert_allclose(result.energies[:, -1], net.energy(result.state))


def test_async_energies_are_recorded_after_each_neuron_update():
    net = Hopfield(64).store(letters("AT"))
    result = net.recall(corrupt(letters("AT"), 0.2, rng=0), rng=0, record_energies=True)
    assert result.energies.shape == (2, 1 + 64 * result.sweeps.max())


def test_sweeps_count_is_zero_for_a_stored_pattern():
    net = Hopfield(64).store(letters("AL"), rule="pseudoinverse")
    result = net.recall(letters("AL"), rng=0)
    assert result.sweeps.tolist() == [0, 0] and result.converged.all()


def test_recall_restores_letters_stored_with_storkey():
    patterns = letters()
    net = Hopfield(64).store(patterns, rule="storkey")
    result = net.recall(corrupt(patterns, 0.15, rng=0), rng=0)
    np.testing.assert_array_equal(overlap(result.state, patterns), 1.0)


def test_recall_stops_after_max_sweeps():
    rng = np.random.default_rng(0)
    net = Hopfield(200).store(rng.choice([-1.0, 1.0], (60, 200)))
    result = net.recall(rng.choice([-1.0, 1.0], (8, 200)), max_sweeps=1, rng=0)
    assert np.all(result.sweeps <= 1)
    assert not np.all(result.converged)


def test_sync_batch_rows_equal_single_recalls():
    rng = np.random.default_rng(2)
    net = Hopfield(30).store(rng.choice([-1.0, 1.0], (5, 30)))
    cues = rng.choice([-1.0, 1.0], (6, 30))
    batch = net.recall(cues, mode="sync")
    for k, cue in enumerate(cues):
        single = net.recall(cue, mode="sync")
        np.testing.assert_array_equal(batch.state[k], single.state)
        assert (batch.sweeps[k], batch.cycle[k]) == (single.sweeps, single.cycle)


def test_ties_go_to_plus_one():
    """Notes §15.1: x_i = 1 when sum_j W_ij x_j >= b_i."""
    result = Hopfield(3).recall([-1, -1, -1], rng=0)
    np.testing.assert_array_equal(result.state, [1, 1, 1])


def test_positive_thresholds_favour_minus_one():
    net = Hopfield(3, thresholds=[0.5, 0.5, 0.5])
    np.testing.assert_array_equal(net.recall([1, 1, 1], rng=0).state, [-1, -1, -1])
    assert net.energy([1, 1, 1]) == 1.5


def test_binary_network_takes_and_returns_zero_one_states():
    net = Hopfield(4, binary=True).store([1, 0, 1, 0])
    np.testing.assert_array_equal(net.weights, Hopfield(4).store([1, -1, 1, -1]).weights)
    np.testing.assert_array_equal(net.recall([1, 1, 1, 0], rng=0).state, [1, 0, 1, 0])


def test_recall_and_corrupt_follow_manual_seed():
    import tinygrad_nn as tnn
    from tinygrad_nn.hopfield import Hopfield, corrupt, letters

    def run(seed):
        tnn.manual_seed(seed)
        net = Hopfield(64)
        net.store(letters(), rule="storkey")
        cues = corrupt(letters(), 0.2)
        return cues, net.recall(cues, record_energies=True).energies

    (c1, e1), (c2, e2), (c3, _) = run(3), run(3), run(4)
    np.testing.assert_array_equal(c1, c2)
    np.testing.assert_array_equal(e1, e2)  # the same update order, step by step
    assert not np.array_equal(c1, c3)  # and the seed is really used
