"""Plots of neurons and synapses render with labelled axes (matplotlib is optional)."""

import numpy as np
import pytest

from tinygrad_nn.neurons import LIF, HodgkinHuxley

pytest.importorskip("matplotlib")
plots = pytest.importorskip("tinygrad_nn.neurons.plots")


def test_hh_voltage_plot_marks_every_spike(tmp_path):
    res = HodgkinHuxley().simulate(10.0, 30.0, 0.02)
    ax = plots.plot_voltage(res).axes[0]
    assert ax.get_xlabel() == "t (ms)" and ax.get_ylabel() == "V (mV)"
    assert len(ax.lines[1].get_xdata()) == len(res.spike_times[0]) >= 2
    ax.figure.savefig(tmp_path / "hh.png")


def test_lif_voltage_plot_needs_the_recorded_voltage():
    with pytest.raises(ValueError, match="record_v=True"):
        plots.plot_voltage(LIF().simulate(2.0, 0.1))


def test_lif_voltage_plot_labels_its_axes():
    ax = plots.plot_voltage(LIF().simulate(2.0, 0.1, record_v=True)).axes[0]
    assert ax.get_xlabel() == "t (s)" and "threshold" in ax.get_ylabel()


def test_lif_rate_plot_is_the_rate_function():
    ax = plots.plot_lif_rate(v_in=np.array([0.5, 2.0])).axes[0]
    assert np.allclose(ax.lines[0].get_ydata(), LIF().rate([0.5, 2.0]))
    assert ax.get_xlabel() == "$v_{in}$"


def test_fi_curve_plot_labels_its_axes():
    ax = plots.plot_fi_curve([1, 2], [0, 50]).axes[0]
    assert "I" in ax.get_xlabel() and "Hz" in ax.get_ylabel()


def test_kernel_plot_draws_one_curve_per_order():
    ax = plots.plot_kernels(0.01, ns=(0, 1, 2)).axes[0]
    assert len(ax.lines) == 3 and ax.get_xlabel() == "t (s)"


def test_filtered_train_plot_labels_its_axes():
    ax = plots.plot_filtered_spike_train(np.array([0.01, 0.03]), 0.01, 1).axes[0]
    assert ax.get_xlabel() == "t (s)" and ax.get_ylabel() == "s(t) (1/s)"


def test_raster_has_one_row_per_neuron():
    res = LIF().simulate([2.0, 3.0, 4.0], 0.2)
    ax = plots.plot_raster(res.spike_times).axes[0]
    assert len(ax.collections) == 3 and ax.get_ylabel() == "neuron"
