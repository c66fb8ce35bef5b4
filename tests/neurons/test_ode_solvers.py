"""Fixed-step ODE solvers over state arrays (notes §5.2)."""

import numpy as np
import pytest

from tinygrad_nn.neurons import solvers


def decay(t, y):
    return -y


def forced(t, y):
    """dy/dt = cos t - y, y(0) = 0: y = (cos t + sin t - e^-t) / 2."""
    return np.cos(t) - y


def forced_exact(t):
    return 0.5 * (np.cos(t) + np.sin(t) - np.exp(-t))


def test_euler_step_is_y_plus_dt_times_slope():
    assert solvers.euler_step(decay, 0.0, np.array([2.0]), 0.1) == pytest.approx([1.8])


def test_rk4_step_matches_the_taylor_series_of_exp():
    # one RK4 step of y' = -y is 1 - h + h^2/2 - h^3/6 + h^4/24
    h = 0.1
    expected = 1 - h + h**2 / 2 - h**3 / 6 + h**4 / 24
    assert solvers.rk4_step(decay, 0.0, np.array([1.0]), h)[0] == pytest.approx(expected, 1e-15)


def test_exponential_euler_is_exact_for_a_linear_relaxation():
    relax = lambda t, y: (np.full_like(y, 3.0), np.full_like(y, 0.5))  # noqa: E731
    t, ys = solvers.integrate(relax, np.array([1.0]), 2.0, 0.25, method="exp_euler")
    assert np.allclose(ys[:, 0], 3.0 - 2.0 * np.exp(-t / 0.5), rtol=1e-14)


@pytest.mark.parametrize("method, order", [("euler", 1), ("rk4", 4)])
def test_measured_order_of_convergence(method, order):
    errors = []
    for dt in (0.1, 0.05, 0.025):
        t, ys = solvers.integrate(forced, np.zeros(1), 2.0, dt, method=method)
        errors.append(abs(ys[-1, 0] - forced_exact(t[-1])))
    measured = np.log2(np.array(errors[:-1]) / errors[1:])
    assert np.allclose(measured, order, atol=0.15)


def test_integrate_advances_every_entry_of_a_state_array():
    y0 = np.arange(12.0).reshape(3, 4)
    t, ys = solvers.integrate(decay, y0, 1.0, 0.01, method="rk4")
    assert ys.shape == (101, 3, 4)
    assert np.allclose(ys[-1], y0 * np.exp(-1.0), rtol=1e-9)


def test_integrate_without_recording_returns_the_final_state():
    _, full = solvers.integrate(decay, np.ones(2), 1.0, 0.1)
    t, last = solvers.integrate(decay, np.ones(2), 1.0, 0.1, record=False)
    assert last.shape == (1, 2) and np.array_equal(last[0], full[-1]) and t[-1] == 1.0


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="method must be one of"):
        solvers.integrate(decay, np.ones(1), 1.0, 0.1, method="heun")


@pytest.mark.parametrize("dt", [0.0, -0.1])
def test_bad_dt_is_rejected(dt):
    with pytest.raises(ValueError, match="dt"):
        solvers.integrate(decay, np.ones(1), 1.0, dt)
