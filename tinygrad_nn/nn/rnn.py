r"""Recurrent layers with PyTorch's API: ``RNN``, ``LSTM``, ``GRU`` and their one-step
``RNNCell``, ``LSTMCell``, ``GRUCell``. The course notes have no section on recurrent
networks; the definitions are PyTorch's, with its parameter names, shapes and gate order.

One step of each cell, for an input $x$ and the previous state $h$ (and $c$):

- RNN: $h' = \tanh(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})$ (or ReLU);
- LSTM, gates in the order $i, f, g, o$ of the rows of $W_{ih}$, $W_{hh}$:
  $i, f, o = \sigma(\cdot)$, $g = \tanh(W_{ig} x + b_{ig} + W_{hg} h + b_{hg})$,
  $c' = f \odot c + i \odot g$, $h' = o \odot \tanh(c')$ (and $h' \leftarrow W_{hr} h'$
  with ``proj_size``);
- GRU, gates $r, z, n$: $r, z = \sigma(W_{i\cdot} x + b_{i\cdot} + W_{h\cdot} h + b_{h\cdot})$,
  $n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn}))$,
  $h' = (1 - z) \odot n + z \odot h = n + z \odot (h - n)$.

The layers are built from differentiable tensor ops (``linear``, ``sigmoid``, ``tanh``,
slicing, ``stack``/``cat``), so backpropagation through time is the engine's ordinary
backward over the unrolled graph. The work per time step is small: the input projections
$W_{ih} x_t + b_{ih}$ of all steps are one matmul over the whole sequence, done before the
time loop; inside it, one matmul $W_{hh} h + b_{hh}$ gives every gate of the step at once.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from .. import dtypes
from ..creation import cat, stack
from ..tensor import Tensor, where, wrap
from . import functional as F
from . import init
from .module import Module, Parameter
from .utils.rnn import PackedSequence, _lengths_of, _pack_sorted, _padded_sorted

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


class _Weights(NamedTuple):
    """The parameters of one layer in one direction (or of a cell)."""

    ih: Tensor
    hh: Tensor
    b_ih: Tensor | None
    b_hh: Tensor | None
    hr: Tensor | None = None


State = tuple[Tensor, ...]  # (h,) or, for an LSTM, (h, c)


def _rnn_tanh_step(xp: Tensor, state: State, w: _Weights) -> State:
    r"""$h' = \tanh(x_p + W_{hh} h + b_{hh})$, $x_p = W_{ih} x + b_{ih}$ given."""
    return ((xp + F.linear(state[0], w.hh, w.b_hh)).tanh(),)


def _rnn_relu_step(xp: Tensor, state: State, w: _Weights) -> State:
    r"""$h' = \max(0, x_p + W_{hh} h + b_{hh})$."""
    return ((xp + F.linear(state[0], w.hh, w.b_hh)).relu(),)


def _lstm_step(xp: Tensor, state: State, w: _Weights) -> State:
    r"""$(h', c')$ of the LSTM from the gates $x_p + W_{hh} h + b_{hh}$ in the order
    $i, f, g, o$ (one sigmoid over all four; $g$ takes the tanh of its own slice)."""
    h, c = state
    n = c.shape[-1]
    gates = xp + F.linear(h, w.hh, w.b_hh)
    s = gates.sigmoid()
    c = s[..., n : 2 * n] * c + s[..., :n] * gates[..., 2 * n : 3 * n].tanh()
    h = s[..., 3 * n :] * c.tanh()
    return (h if w.hr is None else F.linear(h, w.hr)), c


def _gru_step(xp: Tensor, state: State, w: _Weights) -> State:
    r"""$h'$ of the GRU, gates $r, z, n$: $r, z$ from $x_p + W_{hh} h + b_{hh}$, then
    $n = \tanh(x_{p,n} + r \odot (W_{hn} h + b_{hn}))$ and $h' = n + z \odot (h - n)$."""
    (h,) = state
    n = h.shape[-1]
    hp = F.linear(h, w.hh, w.b_hh)
    rz = (xp[..., : 2 * n] + hp[..., : 2 * n]).sigmoid()
    new = (xp[..., 2 * n :] + rz[..., :n] * hp[..., 2 * n :]).tanh()
    return (new + rz[..., n:] * (h - new),)


Step = Callable[[Tensor, State, _Weights], State]
_STEPS: dict[str, Step] = {
    "RNN_TANH": _rnn_tanh_step,
    "RNN_RELU": _rnn_relu_step,
    "LSTM": _lstm_step,
    "GRU": _gru_step,
}
_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _uniform_init(module: Module, hidden_size: int) -> None:
    """Every parameter uniform in $\\pm 1/\\sqrt{\\text{hidden\\_size}}$, as PyTorch."""
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0.0
    for p in module.parameters():
        init.uniform_(p, -bound, bound)


def _check_nonlinearity(nonlinearity: str) -> str:
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
    return "RNN_" + nonlinearity.upper()


# -- whole sequences --------------------------------------------------------------------------


class RNNBase(Module):
    r"""The shared body of ``RNN``, ``LSTM`` and ``GRU``: ``num_layers`` stacked layers, each
    one or two directions; layer $l > 0$ reads the outputs of layer $l - 1$ (both directions
    concatenated, after dropout with probability ``dropout`` in training).

    Parameters per layer ``l`` and direction (suffix ``_reverse`` for the backward one):
    ``weight_ih_l{l}`` (G·hidden_size, input size of the layer), ``weight_hh_l{l}``
    (G·hidden_size, hidden_size), ``bias_ih_l{l}``, ``bias_hh_l{l}`` (G·hidden_size) with G
    gates (1, 4 for the LSTM, 3 for the GRU), and ``weight_hr_l{l}`` (proj_size,
    hidden_size) for an LSTM with ``proj_size``. All start uniform in
    $\pm 1/\sqrt{\text{hidden\_size}}$.

    Input (L, N, H_in), (N, L, H_in) with ``batch_first``, or unbatched (L, H_in); output
    (L, N, D·H_out) (likewise), D = 2 if ``bidirectional`` else 1; the states
    (D·num_layers, N, H_out), or (D·num_layers, H_out) unbatched.
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        dtype: object = None,
    ) -> None:
        super().__init__()
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + str(mode))
        _check_sizes(input_size, hidden_size, num_layers, proj_size, dropout, bias, batch_first)
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                f"num_layers={num_layers}",
                stacklevel=3,
            )
        self.mode = mode
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        dtype = dtypes.resolve(dtype)
        gates = _GATES[mode] * hidden_size
        out_size = proj_size or hidden_size
        directions = ("", "_reverse") if bidirectional else ("",)
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else out_size * len(directions)
            for suffix in directions:
                shapes = {
                    "weight_ih": (gates, layer_input),
                    "weight_hh": (gates, out_size),
                    **({"bias_ih": (gates,), "bias_hh": (gates,)} if bias else {}),
                    **({"weight_hr": (proj_size, hidden_size)} if proj_size else {}),
                }
                names = []
                for kind, shape in shapes.items():
                    names.append(f"{kind}_l{layer}{suffix}")
                    setattr(self, names[-1], Parameter(np.empty(shape, dtype)))
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _uniform_init(self, self.hidden_size)

    def flatten_parameters(self) -> None:
        """A no-op, as PyTorch's on the CPU (it packs the weights for cuDNN)."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters of each layer and direction, in ``state_dict`` order."""
        return [[self._parameters[n] for n in names] for names in self._all_weights]

    def _weights(self, k: int) -> _Weights:
        params = self._parameters
        prefix = self._all_weights[k][0][len("weight_ih") :]
        return _Weights(
            params[f"weight_ih{prefix}"],
            params[f"weight_hh{prefix}"],
            params.get(f"bias_ih{prefix}"),
            params.get(f"bias_hh{prefix}"),
            params.get(f"weight_hr{prefix}"),
        )

    def _state_shapes(self, batch: int) -> list[tuple[int, int, int]]:
        """The shapes of the initial states PyTorch expects: h (and c for the LSTM)."""
        layers = self.num_layers * (2 if self.bidirectional else 1)
        h = (layers, batch, self.proj_size or self.hidden_size)
        return [h, (layers, batch, self.hidden_size)] if self.mode == "LSTM" else [h]

    def _prepare(
        self, input: Tensor, hx: Sequence[Tensor] | None, batch_first: bool
    ) -> tuple[Tensor, list, bool]:
        """Check ``input`` and the initial states as PyTorch does; return the input as
        (L, N, H_in), the states as (layers, N, H) tensors (zeros when not given) and
        whether the input had a batch dim."""
        name = "RNN" if self.mode.startswith("RNN") else self.mode
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}: input must be a Tensor, got {type(input).__name__}")
        if input.ndim not in (2, 3):
            tensor = " tensor" if name == "RNN" else ""
            raise ValueError(
                f"{name}: Expected input to be 2D or 3D, got {input.ndim}D{tensor} instead"
            )
        batched = input.ndim == 3
        if self.mode == "LSTM":
            _check_pair(hx, name)
        if hx is not None:
            if not isinstance(hx[0], Tensor):
                raise TypeError(f"{name}: hx must be a Tensor, got {type(hx[0]).__name__}")
            want = 3 if batched else 2
            if any(h.ndim != want for h in hx):
                raise RuntimeError(_state_dims_message(hx, batched))
            if not batched:
                hx = [h.unsqueeze(1) for h in hx]
        if not batched:
            input = input.unsqueeze(1)
        elif batch_first:
            input = input.transpose(0, 1)
        w = self._parameters[self._all_weights[0][0]]
        if input.dtype != w.dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({w.dtype}). "
                f"Convert input: input.to({w.dtype}), or convert model: "
                f"model.to({input.dtype})"
            )
        if input.shape[0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                f"got {input.shape[-1]}"
            )
        shapes = self._state_shapes(input.shape[1])
        if hx is None:
            return input, [wrap(np.zeros(s, input.dtype)) for s in shapes], batched
        for k, (h, shape) in enumerate(zip(hx, shapes)):
            if tuple(h.shape) != shape:
                which = f"[{k}]" if self.mode == "LSTM" else ""
                raise RuntimeError(f"Expected hidden{which} size {shape}, got {list(h.shape)}")
        return input, list(hx), batched

    def _run(
        self, input: Tensor | PackedSequence, hx: Sequence[Tensor] | None
    ) -> tuple[Tensor | PackedSequence, list[Tensor]]:
        """The output (same layout as the input) and the final states, each
        (D·num_layers, N, H) or (D·num_layers, H) unbatched."""
        if isinstance(input, PackedSequence):
            return self._run_packed(input, hx)
        x, states, batched = self._prepare(input, hx, self.batch_first)
        x, finals = self._layers(x, states)
        if not batched:
            return x.squeeze(1), [h.squeeze(1) for h in finals]
        return (x.transpose(0, 1) if self.batch_first else x), finals

    def _run_packed(
        self, input: PackedSequence, hx: Sequence[Tensor] | None
    ) -> tuple[PackedSequence, list[Tensor]]:
        """A packed batch: run it padded (T, N, H_in), longest sequence first, each sequence
        stepping over its own length only (in reverse from its own last step); the states
        given and returned are in the caller's batch order, as PyTorch's."""
        if input.data.ndim != 2:
            raise ValueError(
                "RNN: the data of a PackedSequence must be 2-D (steps, input_size), got "
                f"shape {tuple(input.data.shape)}"
            )
        order, unorder = input.sorted_indices, input.unsorted_indices
        if hx is not None and order is not None:
            hx = [h[:, order._data] if isinstance(h, Tensor) and h.ndim == 3 else h for h in hx]
        x, states, _ = self._prepare(_padded_sorted(input), hx, batch_first=False)
        steps = np.arange(x.shape[0])[:, None, None]
        running = steps < _lengths_of(input.batch_sizes._data)[:, None]
        x, finals = self._layers(x, states, running)
        if unorder is not None:
            finals = [h[:, unorder._data] for h in finals]
        return input._replace(data=_pack_sorted(x, input.batch_sizes)), finals

    def _layers(
        self, x: Tensor, states: list[Tensor], running: np.ndarray | None = None
    ) -> tuple[Tensor, list[Tensor]]:
        """The stacked layers over ``x`` (L, N, H_in) from ``states`` (layers, N, H): the
        last layer's outputs (L, N, D·H) and the final states. Where ``running`` (L, N, 1)
        is False, a step keeps its state (the padding of a packed batch)."""
        step = _STEPS[self.mode]
        directions = 2 if self.bidirectional else 1
        first = [s.unbind(0) for s in states]  # the initial state of each layer and direction
        last: list[State] = []
        for layer in range(self.num_layers):
            if layer and self.dropout and self.training:
                x = F.dropout(x, self.dropout, True)
            outputs = []
            for d in range(directions):
                k = layer * directions + d
                w = self._weights(k)
                xs = F.linear(x, w.ih, w.b_ih).unbind(0)
                state = tuple(s[k] for s in first)
                hs = []
                for t in reversed(range(len(xs))) if d else range(len(xs)):
                    new = step(xs[t], state, w)
                    if running is not None:
                        new = tuple(where(running[t], n, s) for n, s in zip(new, state))
                    state = new
                    hs.append(state[0])
                last.append(state)
                outputs.append(stack(hs[::-1] if d else hs))
            x = outputs[0] if directions == 1 else cat(outputs, 2)
        return x, [stack([s[i] for s in last]) for i in range(len(states))]

    def forward(
        self, input: Tensor | PackedSequence, hx: Tensor | None = None
    ) -> tuple[Tensor | PackedSequence, Tensor]:
        """``(output, h_n)`` of the layers with one state (RNN, GRU; the LSTM overrides it);
        a ``PackedSequence`` input gives a ``PackedSequence`` output."""
        output, (h_n,) = self._run(input, None if hx is None else [hx])
        return output, h_n

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text


def _check_sizes(
    input_size: Any,
    hidden_size: Any,
    num_layers: Any,
    proj_size: Any,
    dropout: Any,
    bias: Any,
    batch_first: Any,
) -> None:
    """PyTorch's checks of the constructor arguments of the recurrent layers, with its
    messages."""
    if (
        not isinstance(dropout, numbers.Number)
        or isinstance(dropout, bool)
        or not 0 <= dropout <= 1
    ):
        raise ValueError(
            "dropout should be a number in range [0, 1] representing the probability of an "
            "element being zeroed"
        )
    for name, value in (("bias", bias), ("batch_first", batch_first)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int):
            raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


def _check_pair(hx: Any, who: str) -> None:
    """An LSTM's state is a pair of tensors (h, c), or None."""
    if hx is not None and not (
        isinstance(hx, (tuple, list)) and len(hx) == 2 and all(isinstance(h, Tensor) for h in hx)
    ):
        got = f"a {type(hx).__name__}" + (f" of {len(hx)}" if isinstance(hx, (tuple, list)) else "")
        raise TypeError(f"{who}: hx must be a tuple (h_0, c_0) of two tensors, got {got}")


def _state_dims_message(hx: Sequence[Tensor], batched: bool) -> str:
    want, dims = ("batched 3-D input", 3) if batched else ("unbatched 2-D input", 2)
    if len(hx) == 2:
        got = f"({hx[0].ndim}-D, {hx[1].ndim}-D) tensors"
        return f"For {want}, hx and cx should also be {dims}-D but got {got}"
    return f"For {want}, hx should also be {dims}-D but got {hx[0].ndim}-D tensor"


class RNN(RNNBase):
    r"""Elman network: each layer computes $h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh}
    h_{t-1} + b_{hh})$ (``nonlinearity="relu"``: $\max(0, \cdot)$) over the sequence.

    ``RNN(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
    batch_first=False, dropout=0.0, bidirectional=False)``; ``rnn(input, h_0=None)``
    returns ``(output, h_n)``: the last layer's $h_t$ of every step, and every layer's last
    $h$. Shapes and parameters as in ``RNNBase``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> rnn = tnn.nn.RNN(3, 5, num_layers=2)
    >>> output, h_n = rnn(tnn.zeros(7, 4, 3))
    >>> output.shape, h_n.shape
    ((7, 4, 5), (2, 4, 5))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        dtype: object = None,
    ) -> None:
        mode = _check_nonlinearity(nonlinearity)
        super().__init__(
            mode, input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, 0, dtype,
        )  # fmt: skip
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    r"""Long short-term memory: each layer carries a cell state $c_t$ beside $h_t$, with
    the input, forget, cell and output gates $i, f, g, o$ (that order in the rows of the
    weights): $c_t = f \odot c_{t-1} + i \odot g$, $h_t = o \odot \tanh(c_t)$; with
    ``proj_size`` > 0, $h_t \leftarrow W_{hr} h_t$ of that size.

    ``LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, proj_size=0)``; ``lstm(input, (h_0, c_0)=None)``
    returns ``(output, (h_n, c_n))``. Shapes and parameters as in ``RNNBase``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> lstm = tnn.nn.LSTM(3, 5, batch_first=True, bidirectional=True)
    >>> output, (h_n, c_n) = lstm(tnn.zeros(4, 7, 3))
    >>> output.shape, h_n.shape, c_n.shape
    ((4, 7, 10), (2, 4, 5), (2, 4, 5))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        dtype: object = None,
    ) -> None:
        super().__init__(
            "LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, proj_size, dtype,
        )  # fmt: skip

    def forward(
        self, input: Tensor | PackedSequence, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Tensor | PackedSequence, tuple[Tensor, Tensor]]:
        output, (h_n, c_n) = self._run(input, hx)
        return output, (h_n, c_n)


class GRU(RNNBase):
    r"""Gated recurrent unit: reset and update gates $r, z$ and the candidate $n$ (that
    order in the rows of the weights), $n = \tanh(W_{in} x_t + b_{in} + r \odot (W_{hn}
    h_{t-1} + b_{hn}))$, $h_t = (1 - z) \odot n + z \odot h_{t-1}$.

    ``GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
    dropout=0.0, bidirectional=False)``; ``gru(input, h_0=None)`` returns
    ``(output, h_n)``. Shapes and parameters as in ``RNNBase``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> gru = tnn.nn.GRU(3, 5)
    >>> output, h_n = gru(tnn.zeros(7, 3))
    >>> output.shape, h_n.shape
    ((7, 5), (1, 5))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        dtype: object = None,
    ) -> None:
        super().__init__(
            "GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, 0, dtype,
        )  # fmt: skip


# -- one step ---------------------------------------------------------------------------------


class RNNCellBase(Module):
    r"""The shared body of the cells: ``weight_ih`` (G·hidden_size, input_size),
    ``weight_hh`` (G·hidden_size, hidden_size), ``bias_ih`` and ``bias_hh``
    (G·hidden_size; ``None`` without bias) for G = ``num_chunks`` gates, all uniform in
    $\pm 1/\sqrt{\text{hidden\_size}}$. Input (N, input_size) or unbatched (input_size,);
    states (N, hidden_size) or (hidden_size,), zeros when not given."""

    mode = ""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        dtype: object = None,
    ) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        dtype = dtypes.resolve(dtype)
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(np.empty((gates, input_size), dtype))
        self.weight_hh = Parameter(np.empty((gates, hidden_size), dtype))
        for name in ("bias_ih", "bias_hh"):
            self.register_parameter(name, Parameter(np.empty(gates, dtype)) if bias else None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _uniform_init(self, self.hidden_size)

    def _cell(self, input: Tensor, hx: Sequence[Tensor] | None, hx_names: list[str]) -> State:
        """One step from ``input`` and the states ``hx`` (checked as PyTorch does)."""
        who = type(self).__name__
        if not isinstance(input, Tensor):
            raise TypeError(f"{who}: input must be a Tensor, got {type(input).__name__}")
        if input.ndim not in (1, 2):
            raise ValueError(f"{who}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        for name, h in zip(hx_names, hx or ()):
            if not isinstance(h, Tensor):
                raise TypeError(f"{who}: {name} must be a Tensor, got {type(h).__name__}")
            if h.ndim not in (1, 2):
                raise ValueError(f"{who}: Expected {name} to be 1D or 2D, got {h.ndim}D instead")
        batched = input.ndim == 2
        if not batched:
            input = input.unsqueeze(0)
            hx = hx and [h.unsqueeze(0) for h in hx]
        n = input.shape[0]
        if hx is None:
            hx = [wrap(np.zeros((n, self.hidden_size), input.dtype))] * len(hx_names)
        if input.shape[1] != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.shape[1]} expected "
                f"{self.input_size}"
            )
        for i, h in enumerate(hx):
            if h.shape[0] != n:
                raise RuntimeError(
                    f"Input batch size {n} doesn't match hidden{i} batch size {h.shape[0]}"
                )
            if h.shape[1] != self.hidden_size:
                raise RuntimeError(
                    f"hidden{i} has inconsistent hidden_size: got {h.shape[1]}, expected "
                    f"{self.hidden_size}"
                )
        p = self._parameters
        w = _Weights(p["weight_ih"], p["weight_hh"], p["bias_ih"], p["bias_hh"])
        state = _STEPS[self.mode](F.linear(input, w.ih, w.b_ih), tuple(hx), w)
        return state if batched else tuple(s.squeeze(0) for s in state)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """$h'$ of the cells with one state (RNNCell, GRUCell; LSTMCell overrides it)."""
        return self._cell(input, None if hx is None else [hx], ["hidden"])[0]

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(RNNCellBase):
    r"""One step of ``RNN``: $h' = \tanh(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})$ (or
    ReLU). ``RNNCell(input_size, hidden_size, bias=True, nonlinearity="tanh")``;
    ``cell(input, hx=None)`` returns $h'$.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> cell = tnn.nn.RNNCell(3, 5)
    >>> cell(tnn.zeros(4, 3)).shape
    (4, 5)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        dtype: object = None,
    ) -> None:
        mode = _check_nonlinearity(nonlinearity)
        super().__init__(input_size, hidden_size, bias, 1, dtype)
        self.nonlinearity, self.mode = nonlinearity, mode


class LSTMCell(RNNCellBase):
    r"""One step of ``LSTM``: gates $i, f, g, o$ from $W_{ih} x + b_{ih} + W_{hh} h +
    b_{hh}$, $c' = f \odot c + i \odot g$, $h' = o \odot \tanh(c')$.
    ``LSTMCell(input_size, hidden_size, bias=True)``; ``cell(input, (h, c)=None)`` returns
    ``(h', c')``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> cell = tnn.nn.LSTMCell(3, 5)
    >>> h, c = cell(tnn.zeros(3))
    >>> h.shape, c.shape
    ((5,), (5,))
    """

    mode = "LSTM"

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, dtype: object = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 4, dtype)

    def forward(
        self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Tensor, Tensor]:
        _check_pair(hx, "LSTMCell")
        h, c = self._cell(input, hx, ["hx[0]", "hx[1]"])
        return h, c


class GRUCell(RNNCellBase):
    r"""One step of ``GRU``: $r, z$ and $n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h +
    b_{hn}))$, $h' = (1 - z) \odot n + z \odot h$. ``GRUCell(input_size, hidden_size,
    bias=True)``; ``cell(input, hx=None)`` returns $h'$.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> cell = tnn.nn.GRUCell(3, 5)
    >>> cell(tnn.zeros(4, 3), tnn.zeros(4, 5)).shape
    (4, 5)
    """

    mode = "GRU"

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, dtype: object = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 3, dtype)
