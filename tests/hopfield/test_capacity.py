"""Capacity: the Hebbian rule collapses near alpha = 0.14; Storkey's rule holds more.

Kept quick: N = 500, one seed, two loads. The full table is in docs/guide/hopfield.md.
"""

import numpy as np

from tinygrad_nn.hopfield import capacity_experiment


def test_hebbian_recalls_below_the_critical_load_and_collapses_above_it():
    table = capacity_experiment(500, [0.10, 0.20], rule="hebbian", noise=0.1, n_seeds=1)
    below, above = table.overlap
    assert below > 0.95
    assert above < 0.6
    assert table.fixed_fraction[1] < 0.1


def test_storkey_holds_a_load_where_hebbian_collapses():
    table = capacity_experiment(500, [0.20], rule="storkey", noise=0.1, n_seeds=1)
    assert table.overlap[0] > 0.95
    assert table.fixed_fraction[0] > 0.9


def test_capacity_table_renders_one_markdown_row_per_load():
    table = capacity_experiment(40, [0.05, 0.1, 0.2], n_seeds=2)
    rows = table.to_markdown().splitlines()
    assert len(rows) == 2 + 3
    np.testing.assert_array_equal(table.n_patterns, [2, 4, 8])
