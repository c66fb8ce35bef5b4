r"""What every spiking layer shares (snnTorch's ``SpikingNeuron`` and ``LIF``): the threshold,
the surrogate spike, the reset and the hidden state.

A layer fires $S[t] = \Theta(U[t] - U_{thr})$ through its surrogate ``spike_grad``
(default ``surrogate.atan()``). The reset of step $t$ is $R[t] = \Theta(U[t-1] - U_{thr})$,
computed from the *previous* membrane potential and detached from the graph, as snnTorch
does: no gradient flows through the decision to reset, only through the spikes.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..dtypes import get_default_dtype
from ..grad_mode import no_grad
from ..nn import Module, Parameter
from ..tensor import Tensor, wrap
from . import surrogate

__all__ = ["LIF", "SpikingNeuron"]

RESET_MECHANISMS = ("subtract", "zero", "none")


def _constant(module: Module, name: str, value: Any, learn: bool) -> None:
    """Register ``value`` as a Parameter (``learn``) or as a buffer, in the default float dtype
    unless it is already a float Tensor. NaN or infinite values are refused (snnTorch would
    carry them into every membrane potential)."""
    owner = type(module).__name__
    data = value._data if isinstance(value, Tensor) else np.asarray(value)
    if data.dtype.kind not in "fiub":
        raise TypeError(
            f"{owner}: {name} must be a number or a float Tensor, got {type(value).__name__} "
            f"{value!r}"
        )
    if data.dtype.kind != "f" or not isinstance(value, Tensor):
        data = data.astype(get_default_dtype())
    finite = np.isfinite(data)
    if not finite.all():
        raise ValueError(f"{owner}: {name} must be finite, got {data[~finite].ravel()[0]}")
    if learn:
        setattr(module, name, Parameter(data.copy()))
    else:
        module.register_buffer(name, wrap(data))


class SpikingNeuron(Module):
    r"""Base class of the spiking layers: threshold $U_{thr}$, surrogate spike and reset.

    ``fire(mem)`` $= $ ``spike_grad``$(U - U_{thr})$; ``mem_reset(mem)`` is the same step
    computed without recording (the detached reset). ``reset_mechanism`` is ``"subtract"``
    ($U \leftarrow U - R\,U_{thr}$), ``"zero"`` ($U \leftarrow (1 - R)\,U$) or ``"none"``."""

    #: names of the hidden state, in the order ``forward`` takes and returns them
    state_names: ClassVar[tuple[str, ...]] = ("mem",)

    def __init__(
        self,
        threshold: float | Tensor = 1.0,
        spike_grad: Any = None,
        *,
        init_hidden: bool = False,
        learn_threshold: bool = False,
        reset_mechanism: str = "subtract",
        output: bool = False,
        reset_delay: bool = True,
    ) -> None:
        super().__init__()
        if reset_mechanism not in RESET_MECHANISMS:
            raise ValueError(
                f"{type(self).__name__}: reset_mechanism must be one of {RESET_MECHANISMS}, "
                f"got {reset_mechanism!r}"
            )
        if spike_grad is not None and not callable(spike_grad):
            raise TypeError(
                f"{type(self).__name__}: spike_grad must be a callable such as "
                f"surrogate.atan(), got {type(spike_grad).__name__}"
            )
        self.spike_grad = surrogate.atan() if spike_grad is None else spike_grad
        self.init_hidden = init_hidden
        self.output = output
        self.reset_mechanism = reset_mechanism
        self.reset_delay = reset_delay
        _constant(self, "threshold", threshold, learn_threshold)
        for name in self.state_names:
            setattr(self, name, wrap(np.zeros(0, get_default_dtype())))

    def fire(self, mem: Tensor) -> Tensor:
        r"""The spike $S = \Theta(U - U_{thr})$, with the surrogate's gradient."""
        return self.spike_grad(mem - self.threshold)

    def mem_reset(self, mem: Tensor) -> Tensor:
        r"""The reset signal $R = \Theta(U - U_{thr})$, outside the graph (detached)."""
        if surrogate.is_builtin(self.spike_grad):  # the step itself, without two graph-free ops
            m, thr = mem._data, self.threshold._data
            return wrap(surrogate._step(np.subtract(m, thr, dtype=_kept(m, thr))))
        with no_grad():
            return self.spike_grad(mem - self.threshold)

    def reset_by_threshold(self, reset: Tensor) -> Tensor:
        r"""$R\,U_{thr}$, the amount ``"subtract"`` takes off; a constant (no graph node) unless
        the threshold is learned."""
        if self.threshold.requires_grad:
            return reset * self.threshold
        r, thr = reset._data, self.threshold._data
        return wrap(np.multiply(r, thr, dtype=_kept(r, thr)))

    def reset_mem(self) -> Any:
        """Set the hidden state to zeros (of its current shape) and return it."""
        for name in self.state_names:
            setattr(self, name, wrap(np.zeros_like(getattr(self, name)._data)))
        return self._state()

    def detach_hidden(self) -> None:
        """Cut the hidden state from the graph (truncated backpropagation through time)."""
        for name in self.state_names:
            setattr(self, name, getattr(self, name).detach())

    def _state(self) -> Any:
        states = tuple(getattr(self, name) for name in self.state_names)
        return states[0] if len(states) == 1 else states

    def _load_state(self, input_: Tensor, given: dict[str, Tensor | None]) -> None:
        """Take the states passed to ``forward``; a state whose shape differs from the
        input's (the empty one of a fresh layer or of ``reset_mem``) starts at zeros."""
        if not isinstance(input_, Tensor):
            raise TypeError(
                f"{type(self).__name__}: input must be a Tensor, got {type(input_).__name__}"
            )
        passed = [name for name, value in given.items() if value is not None]
        if self.init_hidden and passed:
            raise TypeError(
                f"{type(self).__name__}: {', '.join(passed)} must not be passed while "
                "init_hidden=True (the layer keeps its own state)"
            )
        for name, value in given.items():
            if value is not None:
                setattr(self, name, value)
            if getattr(self, name).shape != input_.shape:
                setattr(self, name, wrap(np.zeros_like(input_._data)))

    def _reset_now(self, spk: Tensor, reset: Tensor) -> None:
        """``reset_delay=False``: apply this step's reset at once, $D = S - R$, without
        repeating the delayed one."""
        if self.reset_delay or self.reset_mechanism == "none":
            return
        do_reset = spk - reset
        if self.reset_mechanism == "subtract":
            self.mem = self.mem - do_reset * self.threshold
        else:
            self.mem = self.mem - do_reset * self.mem

    def _outputs(self, spk: Tensor) -> Any:
        """``(spk, *state)`` (the state without ``spk`` itself, for ``RLeaky``), or ``spk``
        alone when ``init_hidden`` without ``output``."""
        if self.init_hidden and not self.output:
            return spk
        return (spk, *(getattr(self, name) for name in self.state_names if name != "spk"))

    def extra_repr(self) -> str:
        return f"threshold={_short(self.threshold)}, reset_mechanism={self.reset_mechanism!r}"


class LIF(SpikingNeuron):
    r"""A spiking layer with a membrane decay $\beta$ (clipped to $[0, 1]$ in forward),
    learnable with ``learn_beta``."""

    def __init__(
        self, beta: float | Tensor, *args: Any, learn_beta: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _constant(self, "beta", beta, learn_beta)

    def decay(self, name: str = "beta") -> Tensor:
        r"""The decay rate clipped to $[0, 1]$ (its gradient passes inside the interval)."""
        rate = getattr(self, name)
        if rate.requires_grad:
            return rate.clamp(0, 1)
        return wrap(np.clip(rate._data, 0, 1))  # a buffer: no graph node (benchmark snn_epoch)

    def extra_repr(self) -> str:
        return f"beta={_short(self.beta)}, " + super().extra_repr()


def _kept(a: np.ndarray, constant: np.ndarray) -> Any:
    """PyTorch's promotion for ``a`` with a layer constant: a 0-d one keeps ``a``'s dtype."""
    return a.dtype if constant.ndim == 0 and a.dtype.kind == "f" else None


def _short(t: Tensor) -> str:
    return f"{t.item():g}" if t.numel() == 1 else f"<{t.numel()} values>"
