"""User-defined differentiable operations in PyTorch's form: ``tnn.autograd.Function``.

    class Square(tnn.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    y = Square.apply(x)

One notion of a graph node: this public ``Function`` is a thin adapter onto the node class of
``tinygrad_nn.function`` that the primitive ops of ``ops.py`` are written in, not a second
engine. Each subclass gets a node class of its own (``CustomNode``), and ``apply`` records one
such node, which the one traversal of ``engine.py`` visits like any op. The adapter goes this
way round (public form onto the node class, not the ops onto the public form) because an op's
node works on numpy arrays with ``__slots__`` and no context object, which keeps the cost per op
low (benchmark rows 3 and 4); the public form's Tensors and ``ctx`` are worth their cost for
the few user-defined functions of a model, not for every addition.

``backward`` is written in Tensor ops, so it also runs recorded (``create_graph=True``): the
result can be differentiated again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import function
from ..engine import sum_to
from ..grad_mode import no_grad, state
from ..tensor import Tensor, wrap

__all__ = ["Function", "FunctionCtx"]

_new = object.__new__


class FunctionCtx:
    """What ``forward`` tells ``backward``: saved tensors and flags (``ctx`` in both).

    Any other attribute may be set on it too (``ctx.scale = 2.0``)."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        #: one flag per argument of ``forward``: whether it is a Tensor that requires grad
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True
        self._to_save: tuple[Tensor | None, ...] = ()
        self._versions: tuple[int, ...] = ()
        self._non_differentiable: set[int] = set()
        self._node: CustomNode | None = None

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` (inputs, outputs or ``None``) for ``backward``; changing one of
        them in place afterwards makes ``saved_tensors`` raise."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward: argument {i} is a {type(t).__name__}; only Tensors "
                    "and None can be saved (store other values as attributes of ctx)"
                )
        self._to_save = tensors
        self._versions = tuple(-1 if t is None else t._version for t in tensors)

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to ``save_for_backward``, checked not to have changed since."""
        name = type(self._node).__name__ if self._node is not None else "Function"
        for i, (t, v) in enumerate(zip(self._to_save, self._versions)):
            if t is not None and t._version != v:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified "
                    f"by an inplace operation: [{t.dtype} {tuple(t.shape)}], which is saved "
                    f"tensor {i} of {name}Backward, is at version {t._version}; expected "
                    f"version {v} instead"
                )
        return self._to_save

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """Declare outputs (e.g. indices) that get no gradient; their ``requires_grad`` is
        False and ``backward`` receives zeros (or ``None``) for them."""
        self._non_differentiable.update(id(t) for t in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """With ``False``, ``backward`` gets ``None`` instead of zeros for an output that
        received no gradient."""
        self.materialize_grads = bool(value)


class CustomNode(function.Function):
    """The graph node of one call of a user ``Function``: ``saved`` holds the ctx, the
    outputs' shapes and dtypes and the positions of the Tensor arguments; ``backward`` calls
    the user's ``backward`` on Tensors."""

    __slots__ = ()
    saves_inputs = False  # the ctx checks the versions of what it saved, tensor by tensor
    #: the user's Function subclass (set on each generated node class)
    function: type[Function]

    def backward(
        self, g: Any, ctx: FunctionCtx, outputs: tuple, positions: tuple[int, ...]
    ) -> tuple[Any, ...]:
        graph = state.grad_enabled  # True only in a recorded (create_graph) backward
        if len(outputs) == 1:
            gs = [g]
        else:  # _Slots: the outputs that received a gradient
            gs = [g.get(i) for i in range(len(outputs))]
        grads_out = []
        for gi, (shape, dtype) in zip(gs, outputs):
            if gi is None:  # no gradient reached this output
                gi = np.zeros(shape, dtype) if ctx.materialize_grads else None
            grads_out.append(gi if gi is None or isinstance(gi, Tensor) else wrap(gi))
        result = self.function.backward(ctx, *grads_out)
        if not isinstance(result, tuple):
            result = (result,)
        n_args = len(ctx.needs_input_grad)
        if len(result) < n_args or any(r is not None for r in result[n_args:]):
            raise RuntimeError(
                f"function {type(self).__name__}Backward returned an incorrect number of "
                f"gradients (expected {n_args}, got {len(result)})"
            )
        grads = []
        for i, p in zip(positions, self.parents):
            r = result[i]
            if r is not None and not isinstance(r, Tensor):
                raise TypeError(
                    f"function {type(self).__name__}Backward returned a {type(r).__name__} "
                    f"as gradient {i}; expected a Tensor or None"
                )
            if r is not None and not _broadcasts_to(p.shape, r.shape):
                raise RuntimeError(
                    f"Function {type(self).__name__}Backward returned an invalid gradient at "
                    f"index {i} - got {list(r.shape)} but expected shape compatible with "
                    f"{list(p.shape)}"
                )
            if r is not None and not graph:
                # copied: a user's backward may return an input, a saved tensor or a view of
                # one, which must not become (part of) a .grad (PyTorch's never aliases them)
                r = np.array(r._data)
            if r is not None and r.shape != p.shape:  # PyTorch sums it back, as the engine
                r = sum_to(r, p.shape)  # does for ops of several inputs
            grads.append(r)
        return tuple(grads)

    def graph_saved(self) -> tuple[Any, ...]:
        return self.saved

    def __repr__(self) -> str:
        return f"<{type(self).__name__}Backward>"


class _Slots(dict):
    """The gradient of the hidden tensor that stands for the ``k`` outputs of a user Function
    (``_all_outputs``): output index -> its gradient, for the outputs one reached. The engine
    sums two of them with ``+`` as it sums arrays; here slot by slot, into the left one (the
    engine's own sum), so that k outputs cost O(k) additions, not O(k^2)."""

    __slots__ = ("shape",)
    dtype = np.dtype(object)  # no float to check for NaN (detect_anomaly)

    def __add__(self, other: _Slots) -> _Slots:
        for i, g in other.items():
            self[i] = self[i] + g if i in self else g
        return self


class _Pick(function.Function):
    """Output ``i`` of a user Function with several outputs: its gradient goes to slot ``i``
    of the hidden tensor that stands for all outputs."""

    saves_inputs = False

    def backward(self, g: Any, i: int, k: int) -> tuple[Any]:
        slots = _Slots({i: g})
        slots.shape = (k,)
        return (slots,)


def _broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    if len(shape) > len(target):
        return all(n == 1 for n in shape[: len(shape) - len(target)]) and _broadcasts_to(
            shape[len(shape) - len(target) :], target
        )
    return all(n in (1, m) for n, m in zip(shape, target[len(target) - len(shape) :]))


class Function:
    """Base class of user-defined differentiable operations, as ``torch.autograd.Function``:
    write the static methods ``forward(ctx, *args, **kwargs)`` and
    ``backward(ctx, *grad_outputs)`` (one gradient, or ``None``, per argument of
    ``forward``) and call ``apply``. ``forward`` runs without recording; ``backward`` gets
    and returns Tensors."""

    _node_class: type[CustomNode]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._node_class = type(cls.__name__, (CustomNode,), {"__slots__": (), "function": cls})

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define forward(ctx, *args)")

    @staticmethod
    def setup_context(ctx: FunctionCtx, inputs: tuple, output: Any) -> None:
        """Optional, as in PyTorch: when a subclass defines it, ``forward`` takes no ctx
        (``forward(*args)``) and this fills the ctx from the inputs and the output."""

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define backward(ctx, *grads)")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` and, when grad mode is on and a Tensor argument requires grad,
        record one graph node whose backward is this class's ``backward``."""
        if cls is Function:
            raise TypeError("apply: call it on a subclass of Function that defines forward")
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        tensors = tuple(args[i] for i in positions)
        needs = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        record = state.grad_enabled and True in needs
        ctx = FunctionCtx(needs if record else (False,) * len(args))
        with no_grad():
            if cls.setup_context is Function.setup_context:
                result = cls.forward(ctx, *args, **kwargs)
            else:  # PyTorch's other form: forward without ctx, then setup_context
                result = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, result)
        single = not isinstance(result, tuple)
        outs = (result,) if single else result
        if not record:
            return result
        outs = tuple(_own(o, tensors) for o in outs)
        node = _new(cls._node_class)
        ctx._node = node
        node.parents = tensors
        node.needs_input_grad = tuple(t._requires_grad for t in tensors)
        node.versions, node.hooks, node.retained = None, None, None
        meta = tuple((o.shape, o.dtype) for o in outs if isinstance(o, Tensor))
        node.saved = (ctx, meta, tuple(positions))
        node.sequence = next(function._sequence)
        tensor_outs = [o for o in outs if isinstance(o, Tensor)]
        if len(tensor_outs) == 1:
            _attach(tensor_outs[0], node, ctx)
        elif tensor_outs:
            hidden = _all_outputs(len(tensor_outs), node)
            for i, o in enumerate(tensor_outs):
                pick = _new(_Pick)
                pick.parents, pick.needs_input_grad, pick.saved = (hidden,), (True,), (i, len(meta))
                pick.versions, pick.hooks, pick.retained = None, None, None
                pick.sequence = next(function._sequence)
                _attach(o, pick, ctx)
        return outs[0] if single else outs


def _all_outputs(k: int, node: CustomNode) -> Tensor:
    """The hidden tensor that stands for the ``k`` outputs of ``node``: its gradient is a
    ``_Slots`` (see ``_Pick``)."""
    t = wrap(np.empty(k, dtype=object))
    t._requires_grad, t._ctx = True, node
    return t


def _own(out: Any, inputs: tuple[Tensor, ...]) -> Any:
    """An output that is one of the inputs returned as is becomes a new Tensor sharing its
    storage, so that recording the node does not change the input."""
    if isinstance(out, Tensor) and any(out is t for t in inputs):
        return out._share(wrap(out._data))
    return out


def _attach(out: Tensor, node: function.Function, ctx: FunctionCtx) -> None:
    if id(out) in ctx._non_differentiable or out._data.dtype.kind not in "fc":
        return
    out._requires_grad, out._ctx = True, node
