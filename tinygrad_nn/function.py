"""The graph node: one op applied to its inputs, with the rule that sends the gradient back.

A ``Function`` subclass writes ``forward(*arrays)`` on numpy arrays and ``backward(grad,
*saved)``, the vector-Jacobian product of the chain rule (notes §9–10). ``backward`` is
written once and runs in two modes:

* plain backward: ``grad`` and ``saved`` are numpy arrays, so it costs what hand-written
  numpy costs;
* ``create_graph=True``: they are Tensors, so the backward pass is itself recorded and can
  be differentiated again (second derivatives, Hessian-vector products).

For the second mode to be right, ``forward`` saves only its own input arrays, its output
(at the index ``output_saved_at``) or constants (masks, indices) whose derivative is zero.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .grad_mode import state
from .tensor import Tensor


class Function:
    """A node of the computation graph. Subclasses are the primitive ops in ``ops.py``."""

    __slots__ = ("parents", "saved", "needs_input_grad", "versions", "hooks", "retained")

    #: ``saved[output_saved_at]`` is the op's output (used when re-differentiating).
    output_saved_at: ClassVar[int | None] = None
    #: whether ``saved`` holds input arrays, so that changing an input in place is an error.
    saves_inputs: ClassVar[bool] = True

    def forward(self, *args: Any) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: Any, *saved: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs: Tensor, **kwargs: Any) -> Tensor:
        """Run ``forward`` on the inputs' arrays and, when any input requires a gradient
        and grad mode is on, record the node on the output."""
        fn = object.__new__(cls)
        fn.saved = ()
        try:
            data = fn.forward(*[t.data for t in inputs], **kwargs)
        except ValueError as err:
            shapes = ", ".join(str(tuple(t.shape)) for t in inputs)
            raise ValueError(f"{cls.__name__}: cannot apply to shapes {shapes}: {err}") from None
        if type(data) is not np.ndarray:  # numpy returns scalars from 0-d ops and full reductions
            data = np.asarray(data)
        out = Tensor.__new__(Tensor)
        out.data = data
        out.grad = None
        out._version = 0
        out._hooks = None
        if state.anomaly:
            _check_finite(data, f"{cls.__name__} forward")
        if state.grad_enabled:
            needs = tuple([t.requires_grad for t in inputs])
            if True in needs:
                fn.parents = inputs
                fn.needs_input_grad = needs
                fn.versions = tuple([t._version for t in inputs]) if cls.saves_inputs else None
                fn.hooks = None
                fn.retained = None
                out.requires_grad = True
                out._ctx = fn
                return out
        out.requires_grad = False
        out._ctx = None
        return out

    def graph_saved(self) -> tuple[Any, ...]:
        """``saved`` for a recorded backward: input arrays become the input Tensors and the
        output a Tensor on this node; constants (masks, shapes, indices) stay as they are."""
        saved = list(self.saved)
        for i, a in enumerate(saved):
            if i == self.output_saved_at:
                saved[i] = Tensor._from_node(a, self)
            elif isinstance(a, np.ndarray):
                saved[i] = next((p for p in self.parents if p.data is a), a)
        return tuple(saved)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def _check_finite(a: np.ndarray, where: str) -> None:
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        bad = "NaN" if np.isnan(a).any() else "Inf"
        raise FloatingPointError(f"detect_anomaly: {where} produced {bad}")
