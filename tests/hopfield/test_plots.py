"""Plots render with labelled axes (matplotlib is optional)."""

import numpy as np
import pytest

from tinygrad_nn.hopfield import Hopfield, capacity_experiment, corrupt, letters

plots = pytest.importorskip("tinygrad_nn.hopfield.plots")
pytest.importorskip("matplotlib")


def test_plot_patterns_draws_one_image_per_pattern(tmp_path):
    p = letters("AHT")
    fig = plots.plot_patterns({"stored": p, "corrupted": corrupt(p, 0.1, 0)}, (8, 8), "AHT")
    assert sum(len(ax.images) for ax in fig.axes) == 6
    assert fig.axes[0].get_ylabel() == "stored"
    fig.savefig(tmp_path / "patterns.png")


def test_plot_patterns_rejects_a_wrong_shape():
    with pytest.raises(ValueError, match="needs 49"):
        plots.plot_patterns({"stored": letters("A")}, (7, 7))


def test_plot_energy_labels_its_axes(tmp_path):
    net = Hopfield(64).store(letters(), rule="storkey")
    r = net.recall(corrupt(letters("AC"), 0.2, 0), rng=0, record_energies=True)
    ax = plots.plot_energy(r.energies, labels=["A", "C"]).axes[0]
    assert ax.get_xlabel() == "updates" and "energy" in ax.get_ylabel()
    assert len(ax.lines) == 2


def test_plot_capacity_draws_both_panels():
    t = capacity_experiment(30, [0.1, 0.2], n_seeds=1)
    fig = plots.plot_capacity([t])
    assert [ax.get_xlabel() for ax in fig.axes] == [r"load $\alpha = n/N$"] * 2
    assert np.allclose(fig.axes[0].lines[0].get_xdata(), [0.1, 0.2])
