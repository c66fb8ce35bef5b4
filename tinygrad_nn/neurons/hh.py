r"""The Hodgkin–Huxley model (notes §1.1), with the standard modern parameters.

$$C\frac{dV}{dt} = I - \bar g_{Na} m^3 h (V - E_{Na}) - \bar g_K n^4 (V - E_K)
    - \bar g_L (V - E_L)$$

and for each gate $x \in \{m, h, n\}$: $dx/dt = \alpha_x(V)(1 - x) - \beta_x(V) x
= (x_\infty(V) - x)/\tau_x(V)$ with $x_\infty = \alpha_x/(\alpha_x + \beta_x)$ and
$\tau_x = 1/(\alpha_x + \beta_x)$.

Units: V in mV, t in ms, rates α, β in 1/ms, I in µA/cm², C in µF/cm², g in mS/cm².
Rate functions (at 6.3 °C, rest at -65 mV):
$\alpha_m = 0.1(V+40)/(1 - e^{-(V+40)/10})$, $\beta_m = 4e^{-(V+65)/18}$,
$\alpha_h = 0.07e^{-(V+65)/20}$, $\beta_h = 1/(1 + e^{-(V+35)/10})$,
$\alpha_n = 0.01(V+55)/(1 - e^{-(V+55)/10})$, $\beta_n = 0.125e^{-(V+65)/80}$.
At another temperature all rates are multiplied by $3^{(T - 6.3)/10}$.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import checks
from . import solvers
from .spikes import SpikeRecorder, firing_rates

__all__ = ["HHResult", "HodgkinHuxley", "EXP_EULER_LIMIT", "STEP_WARNING", "VOLTAGE_RANGE"]

Current = float | np.ndarray | Callable[[float], float | np.ndarray]


# A derivative evaluation starts with one matrix product z = A @ (V + 40, V + 55, 1, I) whose
# rows are laid out so that each later numpy call works on one block of them (benchmark row
# hh_1k; a matrix product because numpy's broadcast loops of (rows, 1) against V cost three
# times as much at 1,000 neurons):
_ALPHAS = slice(0, 3)  # alpha_m, alpha_h, alpha_n
_BETAS = slice(3, 6)  # beta_m, beta_h, beta_n
_CURRENTS = slice(6, 9)  # over C: g_Na (E_Na - V), g_K (E_K - V), g_L (E_L - V) + I
_SINGULAR = slice(0, 3, 2)  # alpha_m, alpha_n = c z/(e^z - 1): c z in rows 0, 2, z in 9, 10
_SINGULAR_Z = slice(9, 11)
_TINY = 2.0**-1000  # added to z: at a singularity (z = 0) c tiny/expm1(tiny) = c, exactly


def _affine_map(phi: float, g: np.ndarray, E: np.ndarray, C: float) -> np.ndarray:
    """The matrix A of the rows above for the rate factor ``phi``, the maximal conductances
    ``g`` and reversal potentials ``E`` of (Na, K, leak) and the capacitance ``C``."""
    A = np.zeros((11, 4))
    # alpha_m = phi z/(e^z - 1), z = -(V + 40)/10; alpha_n = 0.1 phi z/(e^z - 1),
    # z = -(V + 55)/10: one coefficient each, so that z is exactly 0 at the singularity
    for row, z_row, column, c in ((0, 9, 0, phi), (2, 10, 1, 0.1 * phi)):
        A[z_row, column], A[z_row, 2] = -1 / 10, _TINY
        A[row] = c * A[z_row]
    # in the other rates' rows the exponent -(V - V_x)/s_x + log c: alpha_h = 0.07 phi
    # e^{-(V+65)/20}, beta_m = 4 phi e^{-(V+65)/18}, beta_n = 0.125 phi e^{-(V+65)/80}, and
    # beta_h = phi/(1 + e^{-(V+35)/10}) (c = 1, phi applied after)
    for row, V_x, s_x, c in (
        (1, -65, 20, 0.07 * phi),
        (3, -65, 18, 4 * phi),
        (4, -35, 10, 1.0),
        (5, -65, 80, 0.125 * phi),
    ):
        A[row, 0], A[row, 2] = -1 / s_x, (40 + V_x) / s_x + np.log(c)
    A[_CURRENTS, 0], A[_CURRENTS, 2] = -g / C, g * (E + 40) / C
    A[8, 3] = 1 / C
    return A


VOLTAGE_RANGE = (-100.0, 50.0)
"""The voltages (mV) over which ``fastest_time_constant`` is taken."""

STEP_WARNING = {"euler": 0.5, "rk4": 2.0, "exp_euler": 2.0}
"""``dt`` above this many ``fastest_time_constant`` makes ``simulate`` warn: spikes come
early, late or in other numbers (see the guide's page on errors and numerics)."""

EXP_EULER_LIMIT = 5.0
"""``dt`` above this many ``fastest_time_constant`` is refused with ``method="exp_euler"``:
the method stays bounded at any step but loses or merges spikes. Forward Euler and RK4
instead diverge past their limit, and ``simulate`` raises when they do."""


@dataclass
class HHResult:
    """A Hodgkin–Huxley simulation of ``N`` neurons on the grid ``t`` (ms).

    ``V`` (mV), ``m``, ``h``, ``n``: shape ``(n_steps + 1, N)``, or ``None`` when not recorded.
    ``spike_times``: per neuron, the upward crossings of 0 mV (ms, linearly interpolated).
    ``state``: the final state, shape ``(4, N)``.
    """

    t: np.ndarray
    V: np.ndarray | None
    m: np.ndarray | None
    h: np.ndarray | None
    n: np.ndarray | None
    spike_times: list[np.ndarray]
    state: np.ndarray

    @property
    def rates(self) -> np.ndarray:
        """Firing rate of each neuron in Hz, from its inter-spike intervals."""
        return 1000.0 * firing_rates(self.spike_times, self.t[-1])


class HodgkinHuxley:
    """Hodgkin–Huxley neurons with the standard modern parameters (see the module docstring)."""

    def __init__(
        self,
        C: float = 1.0,
        g_Na: float = 120.0,
        g_K: float = 36.0,
        g_L: float = 0.3,
        E_Na: float = 50.0,
        E_K: float = -77.0,
        E_L: float = -54.387,
        temperature: float = 6.3,
    ):
        self.C = checks.positive("C", C)
        self.g_Na = checks.non_negative("g_Na", g_Na)
        self.g_K = checks.non_negative("g_K", g_K)
        self.g_L = checks.positive("g_L", g_L)
        self.E_Na = checks.in_range("E_Na", E_Na)
        self.E_K = checks.in_range("E_K", E_K)
        self.E_L = checks.in_range("E_L", E_L)
        self.temperature = checks.in_range("temperature", temperature, -273.15, 100.0)
        self.phi = 3.0 ** ((self.temperature - 6.3) / 10.0)
        g = np.array([self.g_Na, self.g_K, self.g_L])
        E = np.array([self.E_Na, self.E_K, self.E_L])
        self._affine = _affine_map(self.phi, g, E, self.C)
        V = np.linspace(*VOLTAGE_RANGE, 1501)
        #: the shortest gate time constant (ms) over VOLTAGE_RANGE; the step limits scale with it
        self.fastest_time_constant = float(np.min(self.time_constants(V)))

    def __repr__(self) -> str:
        return (
            f"HodgkinHuxley(C={self.C}, g_Na={self.g_Na}, g_K={self.g_K}, g_L={self.g_L}, "
            f"E_Na={self.E_Na}, E_K={self.E_K}, E_L={self.E_L}, temperature={self.temperature})"
        )

    # --- rate functions (1/ms), V in mV -------------------------------------------------
    def _affine_rows(self, V, I: float | np.ndarray = 0.0) -> np.ndarray:
        """``self._affine @ (V + 40, V + 55, 1, I)`` for ``V`` of any shape (``I`` broadcast
        to it): the rows listed at the top of this module, shape ``(11, *V.shape)``."""
        V = np.asarray(V, dtype=np.float64)
        if V.ndim != 1:  # through a flat copy; a population (benchmark row hh_1k) needs none
            flat = self._affine_rows(V.reshape(-1), np.broadcast_to(I, V.shape).reshape(-1))
            return flat.reshape(-1, *V.shape)
        v = np.empty((4, V.size))
        np.add(V, 40.0, out=v[0])
        np.add(V, 55.0, out=v[1])
        v[2] = 1.0
        v[3] = I
        return self._affine @ v

    def _rates(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r"""$(\alpha, \beta)$ of the gates (m, h, n), each of shape ``(3, ...)``, computed in
        place from the rows ``z`` of ``_affine_rows``.

        The removable singularities of $\alpha_m$ at V = -40 and $\alpha_n$ at V = -55 mV
        are computed as $c z/(e^z - 1)$ with ``expm1``, exact near and at $z = 0$.
        """
        np.expm1(z[_SINGULAR_Z], out=z[_SINGULAR_Z])
        np.divide(z[_SINGULAR], z[_SINGULAR_Z], out=z[_SINGULAR])
        np.exp(z[1:2], out=z[1:2])  # alpha_h
        np.exp(z[_BETAS], out=z[_BETAS])
        beta_h = z[4:5]
        beta_h += 1.0
        np.divide(self.phi, beta_h, out=beta_h)
        return z[_ALPHAS], z[_BETAS]

    def _gates(self, V) -> tuple[np.ndarray, np.ndarray]:
        r"""$(\alpha, \beta)$ of the gates (m, h, n) at ``V``, stacked on a new first axis."""
        return self._rates(self._affine_rows(V))

    def alpha_m(self, V):
        r"""$\alpha_m(V) = 0.1(V+40)/(1 - e^{-(V+40)/10})$, equal to 1 at V = -40."""
        return self._gates(V)[0][0]

    def beta_m(self, V):
        r"""$\beta_m(V) = 4 e^{-(V+65)/18}$."""
        return self._gates(V)[1][0]

    def alpha_h(self, V):
        r"""$\alpha_h(V) = 0.07 e^{-(V+65)/20}$."""
        return self._gates(V)[0][1]

    def beta_h(self, V):
        r"""$\beta_h(V) = 1/(1 + e^{-(V+35)/10})$."""
        return self._gates(V)[1][1]

    def alpha_n(self, V):
        r"""$\alpha_n(V) = 0.01(V+55)/(1 - e^{-(V+55)/10})$, equal to 0.1 at V = -55."""
        return self._gates(V)[0][2]

    def beta_n(self, V):
        r"""$\beta_n(V) = 0.125 e^{-(V+65)/80}$."""
        return self._gates(V)[1][2]

    def steady_state(self, V) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""$(m_\infty, h_\infty, n_\infty)$ at voltage ``V``:
        $x_\infty = \alpha_x/(\alpha_x+\beta_x)$."""
        a, b = self._gates(V)
        return tuple(a / (a + b))

    def time_constants(self, V) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""$(\tau_m, \tau_h, \tau_n)$ in ms at voltage ``V``, $\tau_x = 1/(\alpha_x+\beta_x)$."""
        a, b = self._gates(V)
        return tuple(1.0 / (a + b))

    def m_inf(self, V):
        """Steady-state Na activation."""
        return self.steady_state(V)[0]

    def h_inf(self, V):
        """Steady-state Na inactivation."""
        return self.steady_state(V)[1]

    def n_inf(self, V):
        """Steady-state K activation."""
        return self.steady_state(V)[2]

    def tau_m(self, V):
        """Time constant of m (ms)."""
        return self.time_constants(V)[0]

    def tau_h(self, V):
        """Time constant of h (ms)."""
        return self.time_constants(V)[1]

    def tau_n(self, V):
        """Time constant of n (ms)."""
        return self.time_constants(V)[2]

    # --- dynamics -------------------------------------------------------------------------
    def currents(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r"""$(g, g_E)$ for a state $y = (V, m, h, n)$: the total conductance
        $g = \bar g_{Na} m^3 h + \bar g_K n^4 + \bar g_L$ and $g_E = \sum_x \bar g_x E_x$, so that
        the ionic current is $g V - g_E$."""
        _, m, h, n = y
        g_na = self.g_Na * h * m * m * m
        n2 = n * n
        g_k = self.g_K * n2 * n2
        g_total = g_na + g_k
        g_e = g_na * self.E_Na
        g_e += g_k * self.E_K
        g_e += self.g_L * self.E_L
        g_total += self.g_L
        return g_total, g_e

    def derivative(self, y: np.ndarray, I: float | np.ndarray) -> np.ndarray:
        r"""$d(V, m, h, n)/dt$ for a state ``y`` of shape ``(4, ...)`` and input current ``I``:

        $C\,dV/dt = I + \bar g_{Na} m^3 h (E_{Na} - V) + \bar g_K n^4 (E_K - V)
        + \bar g_L (E_L - V)$ and $dx/dt = \alpha_x - (\alpha_x + \beta_x) x$.

        The rate exponents and the currents come from one matrix product; the gates (m, h, n)
        and the channels (Na, K) are each one block of rows (benchmark row hh_1k).
        """
        z = self._affine_rows(y[0], I)
        a, b = self._rates(z)
        out = np.empty_like(y)
        gates = out[1:]
        np.add(a, b, out=gates)
        gates *= y[1:]
        np.subtract(a, gates, out=gates)
        m_n = y[1:4:2]  # (m, n), a view
        channels = m_n * m_n
        channels *= m_n
        channels *= y[2:4]  # the open fractions (m^3 h, n^4): times (h, n), a view
        channels *= z[6:8]  # times g_Na (E_Na - V)/C, g_K (E_K - V)/C
        dV = out[:1]  # slices of one row, also for a single neuron
        np.add(channels[:1], channels[1:], out=dV)
        dV += z[8:9]  # (g_L (E_L - V) + I)/C
        return out

    def relaxation(self, y: np.ndarray, I: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(y_inf, tau)`` for the exponential Euler method: every variable relaxes linearly
        towards its target while the others are held fixed."""
        a, b = self._gates(y[0])
        g_total, g_e = self.currents(y)
        y_inf, tau = np.empty_like(y), np.empty_like(y)
        y_inf[0] = (I + g_e) / g_total
        tau[0] = self.C / g_total
        tau[1:] = 1.0 / (a + b)
        y_inf[1:] = a * tau[1:]
        return y_inf, tau

    def resting_state(self, I: float = 0.0) -> tuple[float, float, float, float]:
        """The equilibrium ``(V, m, h, n)`` for a constant current ``I`` (default 0): the root
        of the steady-state current ``I - g(V) V + g_E(V)`` in [-100, 0] mV, by bisection."""

        def net(V):
            g_total, g_e = self.currents(np.array([V, *self.steady_state(V)]))
            return I + g_e - g_total * V

        lo, hi = -100.0, 0.0
        f_lo = net(lo)
        if f_lo * net(hi) > 0:
            raise ValueError(f"no equilibrium in [-100, 0] mV for I={I}")
        for _ in range(80):  # 100 mV / 2^80 is far below double precision
            mid = 0.5 * (lo + hi)
            f_mid = net(mid)
            if f_lo * f_mid <= 0:
                hi = mid
            else:
                lo, f_lo = mid, f_mid
        V = 0.5 * (lo + hi)
        m, h, n = (float(x) for x in self.steady_state(V))
        return V, m, h, n

    def simulate(
        self,
        I: Current,
        t_end: float,
        dt: float = 0.01,
        method: str = "rk4",
        state0: tuple | np.ndarray | None = None,
        record: bool = True,
    ) -> HHResult:
        """Simulate from ``t = 0`` to ``t_end`` (ms) with steps ``dt`` (ms).

        ``I`` (µA/cm²): a constant (one neuron), one constant per neuron (shape ``(N,)``), an
        array over (time steps, neurons) held over each step, or a function ``I(t)`` returning
        a scalar or an ``(N,)`` array. ``method``: ``"rk4"``, ``"euler"`` or ``"exp_euler"``.
        ``state0``: initial ``(V, m, h, n)``, each a scalar or ``(N,)`` (default: rest).
        ``record=False`` keeps only spike times and the final state (saves memory).
        """
        step = solvers.stepper(method)
        steps = checks.n_steps(t_end, dt)
        dt = float(dt)
        self._check_step(dt, method)
        model = self.relaxation if method == "exp_euler" else self.derivative
        if callable(I):
            given = 1 if state0 is None else max(map(np.size, state0))
            size = given if given > 1 else np.size(I(0.0))  # neurons: from state0, else I

            def current(t):
                value = checks.finite_array("I(t)", I(t))
                if value.ndim > 1 or value.size not in (1, size):
                    raise ValueError(
                        f"I(t) returned shape {value.shape} at t={t:g} ms; expected a scalar "
                        f"or shape ({size},), one current per neuron"
                    )
                return value

            def forcing(i):  # the current at every stage time
                return lambda t, y: model(y, current(t))
        else:
            drive = checks.drive("I", I, steps)
            size = drive.shape[-1]

            def forcing(i):  # the current held over step i
                I_i = drive[i] if drive.ndim == 2 else drive
                return lambda t, y: model(y, I_i)

        y = self._initial_state(state0, size)
        records = np.empty((steps + 1, *y.shape)) if record else None
        if records is not None:
            records[0] = y
        recorder = SpikeRecorder(size)
        for i in range(steps):
            V_old = y[0]
            y = step(forcing(i), i * dt, y, dt)
            up = np.flatnonzero((V_old < 0.0) & (y[0] >= 0.0))
            if up.size:
                frac = V_old[up] / (V_old[up] - y[0][up])
                recorder.add(up, (i + frac) * dt)
            if records is not None:
                records[i + 1] = y
        if not np.all(np.isfinite(y)):
            raise FloatingPointError(
                f"HodgkinHuxley: the {method} simulation diverged (NaN or inf) with dt={dt:g} "
                f"ms, past the method's stability limit: use a smaller dt (e.g. "
                f"{STEP_WARNING['euler'] * self.fastest_time_constant:.2g} ms) or "
                "method='exp_euler'"
            )
        t = np.arange(steps + 1) * dt
        spikes = recorder.spike_times()
        if records is None:
            return HHResult(t, None, None, None, None, spikes, y)
        V, m, h, n = np.moveaxis(records, 1, 0)
        return HHResult(t, V, m, h, n, spikes, y)

    def fi_curve(
        self,
        I: np.ndarray,
        t_end: float = 500.0,
        dt: float = 0.01,
        t_transient: float = 100.0,
        method: str = "rk4",
    ) -> np.ndarray:
        """Sustained firing rate (Hz) for each constant current in ``I`` (µA/cm²), all simulated
        at once from rest: the rate from the inter-spike intervals after ``t_transient`` ms
        (0 when the neuron stops firing, e.g. after a single onset spike)."""
        I = checks.finite_array("I", I)
        if I.ndim != 1:
            raise ValueError(f"I must be a 1-D array of currents, got shape {I.shape}")
        checks.positive("t_end - t_transient", t_end - t_transient)
        res = self.simulate(I, t_end, dt, method=method, record=False)
        return 1000.0 * firing_rates(res.spike_times, res.t[-1], t_start=t_transient)

    def _check_step(self, dt: float, method: str) -> None:
        """Refuse ``dt`` past ``EXP_EULER_LIMIT`` (exponential Euler) and warn past
        ``STEP_WARNING`` (both in units of ``fastest_time_constant``)."""
        tau = self.fastest_time_constant
        if method == "exp_euler" and dt > EXP_EULER_LIMIT * tau:
            raise ValueError(
                f"HodgkinHuxley: dt={dt:g} ms is past the limit of the exp_euler method, "
                f"dt <= {EXP_EULER_LIMIT * tau:.3g} ms ({EXP_EULER_LIMIT:g} times the fastest "
                f"gate time constant {tau:.3g} ms at {self.temperature:g} °C): spikes would "
                "be lost or merged; use a smaller dt"
            )
        if dt > STEP_WARNING[method] * tau:
            warnings.warn(
                f"HodgkinHuxley: dt={dt:g} ms is inaccurate for the {method} method "
                f"(above {STEP_WARNING[method] * tau:.3g} ms); use a smaller dt",
                RuntimeWarning,
                stacklevel=3,
            )

    def _initial_state(self, state0, size: int) -> np.ndarray:
        if state0 is None:
            state0 = self.resting_state()
        if len(state0) != 4:
            raise ValueError(f"state0 must hold 4 entries (V, m, h, n), got {len(state0)}")
        try:
            y = np.stack([np.broadcast_to(np.asarray(x, np.float64), (size,)) for x in state0])
        except ValueError:
            shapes = [np.shape(x) for x in state0]
            raise ValueError(
                f"state0 entries must be scalars or shape ({size},) for {size} neurons, "
                f"got shapes {shapes}"
            ) from None
        y = checks.finite_array("state0", y).copy()
        if np.any((y[1:] < 0) | (y[1:] > 1)):
            gate = "mhn"[int(np.argwhere((y[1:] < 0) | (y[1:] > 1))[0, 0])]
            raise ValueError(f"state0: the gate {gate} must lie in [0, 1] (it is a fraction)")
        return y
