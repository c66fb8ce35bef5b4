import numpy as np
import pytest

from tinygrad_nn.random import default_generator, manual_seed, resolve_generator


def test_manual_seed_makes_draws_repeat():
    manual_seed(123)
    first = default_generator().random(5)
    manual_seed(123)
    assert np.array_equal(default_generator().random(5), first)


def test_manual_seed_matches_a_fresh_pcg64_with_that_seed():
    manual_seed(7)
    expected = np.random.Generator(np.random.PCG64(7)).random(4)
    assert np.array_equal(default_generator().random(4), expected)


def test_manual_seed_reseeds_references_taken_before():
    gen = default_generator()
    manual_seed(5)
    a = gen.random(3)
    manual_seed(5)
    assert np.array_equal(gen.random(3), a)
    assert gen is default_generator()


def test_manual_seed_rejects_negative_seed():
    with pytest.raises(ValueError, match="seed must be >= 0, got -1"):
        manual_seed(-1)


@pytest.mark.parametrize("seed", [1.5, "3", True, None])
def test_manual_seed_rejects_non_integer_seed(seed):
    with pytest.raises(TypeError, match="seed must be an int"):
        manual_seed(seed)


def test_resolve_generator_rejects_legacy_random_state():
    with pytest.raises(
        TypeError, match=r"DataLoader: generator must be a numpy\.random\.Generator"
    ):
        resolve_generator(np.random.RandomState(0), "DataLoader")


def test_resolve_generator_returns_given_generator():
    gen = np.random.default_rng(0)
    assert resolve_generator(gen, "x") is gen
    assert resolve_generator(None, "x") is default_generator()
