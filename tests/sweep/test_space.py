"""The trials of a sweep: grid order, seeds, random draws and trial names."""

import math
import subprocess
import sys

import numpy as np
import pytest

from tinygrad_nn import sweep


def test_grid_is_every_combination_with_seeds_varying_fastest():
    trials = sweep.plan({"lr": [0.1, 0.01], "act": ["relu", "tanh"]}, seeds=2)
    assert [(t.config["lr"], t.config["act"], t.seed) for t in trials] == [
        (lr, act, s) for lr in (0.1, 0.01) for act in ("relu", "tanh") for s in (0, 1)
    ]


def test_a_value_that_is_not_a_list_is_fixed():
    trials = sweep.plan({"epochs": 3, "hidden": [[8], [16, 8]]})
    assert [t.config for t in trials] == [
        {"epochs": 3, "hidden": [8]},
        {"epochs": 3, "hidden": [16, 8]},
    ]


def test_a_list_of_settings_runs_as_given():
    trials = sweep.plan([{"lr": 0.3}, {"lr": 0.1, "momentum": 0.5}], seeds=[7])
    assert [(t.config, t.seed) for t in trials] == [
        ({"lr": 0.3}, 7),
        ({"lr": 0.1, "momentum": 0.5}, 7),
    ]


def test_numpy_scalars_become_plain_numbers():
    (trial,) = sweep.plan({"lr": [np.float32(0.5)], "n": np.int64(3)})
    assert type(trial.config["lr"]) is float and type(trial.config["n"]) is int


@pytest.mark.parametrize("name", ["seed", "status", "trial", "error", "seconds"])
def test_setting_names_that_are_columns_of_the_table_are_refused(name):
    with pytest.raises(ValueError, match=repr(name)):
        sweep.plan({name: [1, 2]})


def test_a_setting_that_cannot_name_a_trial_is_refused():
    with pytest.raises(TypeError, match="'activation'.*function"):
        sweep.plan({"activation": [math.tanh]})


@pytest.mark.parametrize("seeds", [0, [], [1, 1], [-1], 2.5])
def test_bad_seeds_are_refused(seeds):
    with pytest.raises((TypeError, ValueError), match="seed"):
        sweep.plan({"lr": [0.1]}, seeds=seeds)


def test_an_empty_list_of_values_is_refused():
    with pytest.raises(ValueError, match="'lr'"):
        sweep.plan({"lr": []})


def test_trial_name_depends_on_settings_and_seed_not_on_key_order():
    a = sweep.trial_id({"lr": 0.1, "dropout": 0.2}, 0)
    assert a == sweep.trial_id({"dropout": 0.2, "lr": 0.1}, 0)
    assert len(a) == 16 and int(a, 16) >= 0
    assert a != sweep.trial_id({"lr": 0.1, "dropout": 0.2}, 1)
    assert a != sweep.trial_id({"lr": 0.1, "dropout": 0.3}, 0)


def test_trial_name_is_the_same_in_another_process():
    code = "from tinygrad_nn import sweep; print(sweep.trial_id({'lr': 0.1, 'h': [8]}, 3))"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONHASHSEED": "123"},
    )  # fmt: skip
    assert other.stdout.strip() == sweep.trial_id({"lr": 0.1, "h": [8]}, 3)


def test_sample_draws_from_each_kind_of_range():
    space = {
        "lr": sweep.loguniform(1e-4, 1e-1),
        "dropout": sweep.uniform(0.0, 0.5),
        "width": sweep.randint(4, 8),
        "act": ["relu", "tanh"],
        "epochs": 5,
    }
    configs = sweep.sample(space, 400, seed=1)
    lr = np.array([c["lr"] for c in configs])
    assert lr.min() >= 1e-4 and lr.max() < 1e-1
    # uniform in log space: each decade gets about a third of the draws
    assert all(100 < np.sum((lr >= 10.0**k) & (lr < 10.0 ** (k + 1))) < 170 for k in (-4, -3, -2))
    assert all(0 <= c["dropout"] < 0.5 for c in configs)
    assert {c["width"] for c in configs} == {4, 5, 6, 7}
    assert {c["act"] for c in configs} == {"relu", "tanh"}
    assert {c["epochs"] for c in configs} == {5}


def test_sample_depends_on_its_seed_alone():
    space = {"lr": sweep.uniform(0, 1)}
    assert sweep.sample(space, 3, seed=4) == sweep.sample(space, 3, seed=4)
    assert sweep.sample(space, 3, seed=4) != sweep.sample(space, 3, seed=5)


@pytest.mark.parametrize(
    "make", [lambda: sweep.uniform(1, 1), lambda: sweep.loguniform(0, 1),
             lambda: sweep.uniform(0, math.inf), lambda: sweep.randint(1.5, 3)],
)  # fmt: skip
def test_bad_ranges_are_refused(make):
    with pytest.raises((TypeError, ValueError)):
        make()
