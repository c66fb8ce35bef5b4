"""``Optimizer``: parameter groups, per-parameter state, ``zero_grad`` and ``state_dict``,
with PyTorch's semantics. ``step`` walks the parameters that have a gradient; subclasses
write ``_update(p, grad, state, group)``, the rule for one parameter."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any

import numpy as np

from ..grad_mode import enable_grad
from ..tensor import Tensor, zero_grad_in_place

__all__ = ["Optimizer"]


class Optimizer:
    """Base class of the optimizers, as ``torch.optim.Optimizer``.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        The parameters to update, or parameter groups: dicts with a ``"params"`` list and
        options that override ``defaults`` for that group.
    defaults : dict
        The options of every group that does not set its own (``lr``, ``momentum``, ...).

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> model = tnn.nn.Linear(2, 1)
    >>> opt = tnn.optim.SGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.0}],
    ...                     lr=0.1)
    >>> [group["lr"] for group in opt.param_groups]
    [0.1, 0.0]
    """

    defaults: dict[str, Any]

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[int, dict[str, Any]] = {}
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add parameters with their own settings (any not given take the defaults)."""
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for p in params:
            if not isinstance(p, Tensor) or not p.requires_grad:
                raise TypeError(
                    f"{type(self).__name__}: parameters must be tensors that require grad"
                )
            if id(p) in seen:
                raise ValueError("a parameter appears twice in the parameter groups")
            seen.add(id(p))
        unknown = set(group) - set(self.defaults) - {"params"}
        if unknown:
            raise TypeError(f"{type(self).__name__}: unknown options {sorted(unknown)}")
        full = {**self.defaults, **group, "params": params}
        self._check(full)
        self.param_groups.append(full)

    def _check(self, group: dict[str, Any]) -> None:
        """Validate one group's settings (subclasses name their bad values)."""
        if not 0 <= group["lr"]:  # written so that NaN is refused too, as in PyTorch
            raise ValueError(f"Invalid learning rate: {group['lr']}")
        if not 0 <= group.get("weight_decay", 0):
            raise ValueError(f"Invalid weight_decay value: {group['weight_decay']}")

    def zero_grad(self, set_to_none: bool = True) -> None:
        # ``_grad``, not the ``grad`` property: these loops run every step (row 1)
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p._grad = None
                elif p._grad is not None:
                    zero_grad_in_place(p._grad)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; as PyTorch, ``closure`` (which
        recomputes the loss and its gradients) is called first, with grad mode on, and its
        loss is returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        state = self.state
        for group in self.param_groups:
            maximize = group.get("maximize")
            for p in group["params"]:
                if (grad := p._grad) is None:
                    continue
                grad = grad._data
                if grad.shape != p._data.shape:  # only via .grad.data = ...
                    raise RuntimeError(
                        f"{type(self).__name__}.step: a parameter of shape {p.shape} has "
                        f"a gradient of shape {p._grad.shape}; they must be equal"
                    )
                if (own := state.get(id(p))) is None:
                    own = state[id(p)] = {}
                self._update(p, -grad if maximize else grad, own, group)
                # stale graphs (and detached aliases) must notice: Tensor._changed_in_place,
                # with its first case (a lone leaf, the usual parameter) inlined (rows 1-2)
                if p._alias is None and p._ctx is None:
                    p._version += 1
                else:
                    p._changed_in_place()
        return loss

    def _update(self, p: Tensor, grad: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``
        with parameters numbered in order, as PyTorch."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {index[k]: deepcopy(v) for k, v in self.state.items() if k in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
            len(g["params"]) != len(o["params"]) for g, o in zip(groups, self.param_groups)
        ):
            raise ValueError("loaded state dict has a different number of parameters or groups")
        params = [p for g in self.param_groups for p in g["params"]]
        self.state = {id(params[int(i)]): deepcopy(v) for i, v in state_dict["state"].items()}
        for g, own in zip(groups, self.param_groups):
            own.update({k: v for k, v in g.items() if k != "params"})

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(g.items()) if k != "params"]
        return "\n".join(lines + [")"])
