"""``Module`` and ``Parameter``: the containers networks are built from, with PyTorch's
semantics (parameters registered by attribute assignment, ``state_dict`` keys such as
``0.weight``, ``train()``/``eval()``)."""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..device import no_gpu, parse_to
from ..grad_mode import no_grad
from ..tensor import Tensor, _fill, array_of, wrap, zero_grad_in_place
from . import _hooks

__all__ = ["Parameter", "IncompatibleKeys", "Module", "Sequential", "ModuleList"]


class Parameter(Tensor):
    """A Tensor that a ``Module`` registers as one of its parameters (requires grad)."""

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        if isinstance(data, (Tensor, np.ndarray)):  # its dtype kept, as torch's Parameter
            _fill(self, array_of(data), requires_grad)
        else:
            super().__init__(data, requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict) -> Parameter:
        """A parameter holding a copy of the data, without the gradient, as torch's (a
        module's deep copy, e.g. the layers of ``TransformerEncoder``, starts unused)."""
        if id(self) not in memo:
            memo[id(self)] = Parameter(self._data.copy(), self.requires_grad)
        return memo[id(self)]


class _Handle:
    def __init__(self, hooks: dict, key: int, module: Module | None = None) -> None:
        self._hooks, self._key, self._module = hooks, key, module

    def remove(self) -> None:
        self._hooks.pop(self._key, None)
        if self._module is not None:
            self._module._count_hooks()


_hook_ids = itertools.count()


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match, as in PyTorch."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of layers and networks. Subclasses assign parameters and submodules as
    attributes in ``__init__`` and compute in ``forward``; call the module, not ``forward``."""

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_backward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_wrapped", False)  # pre- or backward hooks: _call_wrapped
        object.__setattr__(self, "training", True)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._wrapped:
            return self._call_wrapped(args, kwargs)
        # no **{} when there are no keywords: it costs a tenth of a microsecond (row 1)
        out = self.forward(*args, **kwargs) if kwargs else self.forward(*args)
        if not self._forward_hooks:  # the common case, on every layer of every step (row 1)
            return out
        return self._after_forward(args, kwargs, out)

    def _after_forward(self, args: tuple, kwargs: dict, out: Any) -> Any:
        for hook, with_kwargs in tuple(self._forward_hooks.values()):
            result = hook(self, args, kwargs, out) if with_kwargs else hook(self, args, out)
            if result is not None:
                out = result
        return out

    def _call_wrapped(self, args: tuple, kwargs: dict) -> Any:
        """A call with forward pre-hooks or backward hooks (_hooks.py)."""
        for hook, with_kwargs in tuple(self._forward_pre_hooks.values()):
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        backward = None
        if self._backward_hooks or self._backward_pre_hooks:
            backward = _hooks.BackwardHooks(
                self, list(self._backward_pre_hooks.values()), list(self._backward_hooks.values())
            )
            args = backward.wrap_inputs(args)
        out = self.forward(*args, **kwargs)
        if self._forward_hooks:
            out = self._after_forward(args, kwargs, out)
        return out if backward is None else backward.wrap_outputs(out)

    def _add_hook(self, hooks: dict, entry: Any, prepend: bool) -> _Handle:
        key = next(_hook_ids)
        hooks[key] = entry
        if prepend:
            hooks.move_to_end(key, last=False)
        self._count_hooks()
        return _Handle(hooks, key, self)

    def _count_hooks(self) -> None:
        wrapped = self._forward_pre_hooks or self._backward_hooks or self._backward_pre_hooks
        object.__setattr__(self, "_wrapped", bool(wrapped))

    def register_forward_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> _Handle:
        """Call ``hook(module, args, output)`` (``hook(module, args, kwargs, output)`` with
        ``with_kwargs``) after every forward; a returned value replaces the output.
        ``prepend`` runs it before the hooks registered earlier."""
        return self._add_hook(self._forward_hooks, (hook, with_kwargs), prepend)

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> _Handle:
        """Call ``hook(module, args)`` before every forward; a returned value (a tuple, or
        one value) replaces the positional arguments. With ``with_kwargs`` it is
        ``hook(module, args, kwargs)`` and may return a new ``(args, kwargs)``."""
        return self._add_hook(self._forward_pre_hooks, (hook, with_kwargs), prepend)

    def register_full_backward_hook(
        self, hook: Callable[[Module, tuple, tuple], Any], prepend: bool = False
    ) -> _Handle:
        """Call ``hook(module, grad_input, grad_output)`` when the gradients of the module's
        inputs are computed (``None`` for an input that needs none); a returned tuple
        replaces ``grad_input``. With several inputs (or outputs) that need gradients only
        the gradient that arrives last can still be replaced, where PyTorch replaces all;
        the hook waits for every output that requires grad to get its gradient."""
        return self._add_hook(self._backward_hooks, hook, prepend)

    def register_full_backward_pre_hook(
        self, hook: Callable[[Module, tuple], Any], prepend: bool = False
    ) -> _Handle:
        """Call ``hook(module, grad_output)`` when the gradients of the module's outputs
        are in; a returned tuple replaces ``grad_output``."""
        return self._add_hook(self._backward_pre_hooks, hook, prepend)

    # -- registration by attribute assignment ----------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() call in "
                f"{type(self).__name__}.__init__"
            )
        if name in self._buffers and (value is None or isinstance(value, Tensor)):
            self._buffers[name] = value  # a buffer stays a buffer when reassigned
            return
        for store in (self._parameters, self._modules, self._buffers):
            store.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            object.__setattr__(self, name, value)
            return
        self.__dict__.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        for store in ("_parameters", "_modules", "_buffers"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._modules, self._buffers):
            if name in store:
                del store[name]
                return
        object.__delattr__(self, name)

    def register_buffer(self, name: str, tensor: Tensor | None) -> None:
        """A tensor saved in ``state_dict`` that is not a parameter (e.g. running stats)."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                "(Tensor or None required)"
            )
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        self._parameters[name] = param

    def add_module(self, name: str, module: Module | None) -> None:
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The submodule at the dotted path ``target`` (``"encoder.0"``); ``""`` is ``self``."""
        module = self
        for name in target.split(".") if target else ():
            if name not in module.__dict__["_modules"]:
                if hasattr(module, name):
                    raise AttributeError(f"`{name}` is not an nn.Module")
                raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
            module = module._modules[name]
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``"encoder.0.weight"``)."""
        return self._get_tensor(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target`` (``"norm.running_mean"``)."""
        return self._get_tensor(target, "_buffers", "a buffer")

    def _get_tensor(self, target: str, store: str, what: str) -> Any:
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if name not in module.__dict__[store]:
            if hasattr(module, name):
                raise AttributeError(f"`{name}` is not {what}")
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        return module.__dict__[store][name]

    # -- traversal ---------------------------------------------------------------------

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every submodule, depth first, each once."""
        seen: set[int] = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{k}" if name else k, m) for k, m in module._modules.items() if m]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        return (m for _, m in self.named_modules())

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return ((k, m) for k, m in self._modules.items() if m is not None)

    def children(self) -> Iterator[Module]:
        return (m for _, m in self.named_children())

    def _named(self, store: str, prefix: str, recurse: bool) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for path, module in modules:
            for k, t in getattr(module, store).items():
                if t is None or id(t) in seen:
                    continue
                seen.add(id(t))
                yield (f"{path}.{k}" if path else k), t

    def named_parameters(
        self, prefix: str = "", recurse: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        return self._named("_parameters", prefix, recurse)  # type: ignore[return-value]

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        return (p for _, p in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        return (b for _, b in self.named_buffers(recurse=recurse))

    def apply(self, fn: Callable[[Module], None]) -> Module:
        for m in self.modules():
            fn(m)
        return self

    # -- modes, gradients, dtypes ------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p._grad is not None:
                zero_grad_in_place(p._grad)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(tensor)``, as in
        PyTorch: floating-point parameters take the floating ``dtype`` in place (the same
        Parameter objects, their ``.grad`` converted too); floating-point buffers are replaced
        by converted copies, so a tensor the caller passed in (a loss's ``weight``) is left as
        it was. The device must be the CPU (tinygrad_nn has no GPU)."""
        dtype, _ = parse_to(args, kwargs, "Module.to")
        if dtype is None:
            return self
        if dtype.kind != "f":
            raise TypeError(f"Module.to: only floating point dtypes are allowed, got {dtype}")

        def converts(t: Tensor | None) -> bool:
            return t is not None and t._data.dtype.kind == "f" and t._data.dtype != dtype

        for p in self.parameters():
            if converts(p):
                grad = p._grad
                p._data = p._data.astype(dtype)
                p._changed_in_place()
                p._grad = None if grad is None else wrap(grad._data.astype(dtype))
        for module in self.modules():
            for name, b in module._buffers.items():
                if converts(b):
                    module._buffers[name] = b.detach().to(dtype).requires_grad_(b.requires_grad)
        return self

    def cpu(self) -> Module:
        """``self``: everything is on the CPU already."""
        return self

    def cuda(self, device: Any = None) -> Module:
        """Raises: tinygrad_nn computes on the CPU with numpy."""
        raise no_gpu("cuda", "Module.cuda")

    def double(self) -> Module:
        """``to(tnn.float64)``."""
        return self.to(np.float64)

    def float(self) -> Module:
        """``to(tnn.float32)``."""
        return self.to(np.float32)

    def half(self) -> Module:
        """``to(tnn.float16)``."""
        return self.to(np.float16)

    # -- state -------------------------------------------------------------------------------

    def _state_items(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """Every parameter and buffer under every path that reaches it: a module or tensor
        shared by two paths appears under both, as in PyTorch's ``state_dict``."""
        for store in (self._parameters, self._buffers):
            for k, t in store.items():
                if t is not None:
                    yield prefix + k, t
        for k, m in self._modules.items():
            if m is not None:
                yield from m._state_items(f"{prefix}{k}.")

    def state_dict(self) -> OrderedDict[str, Tensor]:
        """Parameters and buffers by their dotted path (``"0.weight"``), as detached
        tensors that share memory with the module."""
        return OrderedDict((name, t.detach()) for name, t in self._state_items())

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy ``state_dict`` into the parameters and buffers (they keep their identity, so
        an optimizer built on them stays valid). Mismatched keys or shapes raise an error
        naming them; nothing is changed unless every entry fits."""
        if not isinstance(state_dict, Mapping):
            hint = (
                " (a list of (name, tensor) pairs? pass dict(pairs))"
                if isinstance(state_dict, (list, tuple))
                else ""
            )
            raise TypeError(
                f"load_state_dict: expected a dict of name -> tensor, got "
                f"{type(state_dict).__name__}{hint}"
            )
        own = dict(self._state_items())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise KeyError(
                f"load_state_dict for {type(self).__name__}: missing keys {missing}, "
                f"unexpected keys {unexpected}"
            )
        arrays = {}
        for k, v in state_dict.items():
            if k not in own:
                continue
            a = _numeric_array(k, v, own[k].dtype)
            if a.shape != own[k].shape:
                raise ValueError(
                    f"load_state_dict: size mismatch for {k}: checkpoint has shape "
                    f"{a.shape}, the model has {own[k].shape}"
                )
            arrays[k] = a
        with no_grad():
            for k, a in arrays.items():
                own[k].copy_(a)
        return IncompatibleKeys(missing, unexpected)

    # -- display -----------------------------------------------------------------------------

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        children = [f"({k}): " + repr(m).replace("\n", "\n  ") for k, m in self.named_children()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not children:
            return head + ")"
        return head + "\n  " + "\n  ".join(children) + "\n)"


def _numeric_array(key: str, value: Any, dtype: np.dtype) -> np.ndarray:
    """A state_dict entry as an array of numbers that casts safely to ``dtype`` (same kind or
    a lower one: float64 into float32 yes, floats into an int buffer or strings no)."""
    if isinstance(value, Tensor):
        a = value._data
    elif isinstance(value, (np.ndarray, np.generic, int, float, list, tuple)):
        a = np.asarray(value)
    else:
        raise TypeError(
            f"load_state_dict: {key} is a {type(value).__name__}, expected a Tensor or array"
        )
    if a.dtype.kind not in "biuf" or not np.can_cast(a.dtype, dtype, casting="same_kind"):
        raise TypeError(
            f"load_state_dict: {key} holds dtype {a.dtype}, which does not cast safely to "
            f"the model's {dtype}"
        )
    return a


class _Container(Module):
    """Submodules kept in order under the names ``0``, ``1``, ... (or the given names);
    indexing keeps the names, so state_dict keys stay the same."""

    def __getitem__(self, i: int | slice) -> Module:
        if isinstance(i, slice):
            return type(self)(OrderedDict(list(self._modules.items())[i]))
        return list(self._modules.values())[i]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> _Container:
        self.add_module(str(len(self)), module)
        return self

    def _add_all(self, modules: Any) -> None:
        if isinstance(modules, OrderedDict):
            for name, m in modules.items():
                self.add_module(name, m)
        else:
            for m in modules:
                self.append(m)


class Sequential(_Container):
    """Modules applied one after the other; ``Sequential(a, b)(x) == b(a(x))``.

    Parameters
    ----------
    *modules : Module
        The layers in order (or one ``OrderedDict`` of them, to name them). They are
        registered as ``"0"``, ``"1"``, ...: parameter names such as ``0.weight``.

    Examples
    --------
    >>> import tinygrad_nn as tnn
    >>> from tinygrad_nn import nn
    >>> model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    >>> model(tnn.zeros(5, 4)).shape
    (5, 2)
    >>> [name for name, _ in model.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        one_dict = len(modules) == 1 and isinstance(modules[0], OrderedDict)
        self._add_all(modules[0] if one_dict else modules)

    def forward(self, x: Any) -> Any:
        for m in self._modules.values():
            x = m(x)
        return x


class ModuleList(_Container):
    """A list of modules whose parameters are registered (indexed ``0``, ``1``, ...)."""

    def __init__(self, modules: Any = ()) -> None:
        super().__init__()
        self._add_all(modules)
