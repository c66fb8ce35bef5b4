"""Module hooks that act on the gradient, as PyTorch's ``register_full_backward_hook`` and
``register_full_backward_pre_hook``.

A module with such hooks passes its input and output tensors through identity nodes
(``view_as``) whose tensor hooks see the gradients: ``grad_output`` at the outputs, then
``grad_input`` at the inputs. The backward pre-hooks run once every output that requires
grad has its gradient, the backward hooks once every input that requires grad has its own
(or right after the pre-hooks when no input requires grad, as PyTorch's). A gradient a hook
returns replaces the one handed on; with several inputs or outputs only the one that arrived
last can still be replaced, where PyTorch replaces them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..grad_mode import state
from ..tensor import Tensor


def _needing(values: tuple) -> list[int]:
    return [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]


class BackwardHooks:
    """The gradient hooks of one call of ``module``."""

    def __init__(self, module: Any, pre_hooks: list[Callable], hooks: list[Callable]) -> None:
        self.module, self.pre_hooks, self.hooks = module, pre_hooks, hooks
        self.inputs: list[int] = []
        self.n_inputs = 0
        self.grad_inputs: dict[int, Any] = {}
        self.grad_outputs: dict[int, Any] = {}
        self.outputs: list[int] = []
        self.n_outputs = 0

    def wrap_inputs(self, args: tuple) -> tuple:
        """``args`` with each tensor that requires grad passed through an identity node."""
        if not state.grad_enabled:
            return args
        self.inputs, self.n_inputs = _needing(args), len(args)
        args = list(args)
        for i in self.inputs:
            args[i] = args[i].view_as(args[i])
            args[i].register_hook(self._at_input(i))
        return tuple(args)

    def wrap_outputs(self, out: Any) -> Any:
        """``out`` (a tensor or a tuple of them) with each tensor that requires grad passed
        through an identity node."""
        single = isinstance(out, Tensor)
        outs = [out] if single else list(out) if isinstance(out, tuple) else None
        if outs is None or not state.grad_enabled:
            return out
        self.outputs, self.n_outputs = _needing(tuple(outs)), len(outs)
        for j in self.outputs:
            outs[j] = outs[j].view_as(outs[j])
            outs[j].register_hook(self._at_output(j))
        return outs[0] if single else tuple(outs)

    def _at_output(self, j: int) -> Callable:
        def hook(g: Tensor) -> Tensor | None:
            self.grad_outputs[j] = g
            if len(self.grad_outputs) < len(self.outputs):
                return None
            grads = self._tuple(self.grad_outputs, self.n_outputs)
            for pre in self.pre_hooks:
                new = pre(self.module, grads)
                if new is not None:
                    grads = tuple(new)
            if self.inputs:  # the hooks run when the inputs' gradients are in
                self.grad_outputs = dict(enumerate(grads))
            else:  # no input needs a gradient: the hooks run now
                self._run_hooks((None,) * self.n_inputs, grads)
                self.grad_outputs = {}
            return grads[j]

        return hook

    def _at_input(self, i: int) -> Callable:
        def hook(g: Tensor) -> Tensor | None:
            self.grad_inputs[i] = g
            if len(self.grad_inputs) < len(self.inputs):
                return None
            grads = self._run_hooks(
                self._tuple(self.grad_inputs, self.n_inputs),
                self._tuple(self.grad_outputs, self.n_outputs),
            )
            self.grad_inputs, self.grad_outputs = {}, {}
            return grads[i]

        return hook

    def _run_hooks(self, grad_input: tuple, grad_output: tuple) -> tuple:
        for hook in self.hooks:
            new = hook(self.module, grad_input, grad_output)
            if new is not None:
                if len(new) != len(grad_input):
                    raise RuntimeError(
                        f"backward hook {getattr(hook, '__name__', hook)!r} returned "
                        f"{len(new)} gradients for {len(grad_input)} inputs"
                    )
                grad_input = tuple(new)
        return grad_input

    @staticmethod
    def _tuple(grads: dict[int, Any], n: int) -> tuple:
        return tuple(grads.get(k) for k in range(n))
