"""Containers keyed by name or position: ``ModuleDict``, ``ParameterList`` and
``ParameterDict``, with PyTorch's registration (``state_dict`` keys ``heads.cls.weight``,
``weights.0``, ``scales.alpha``), order and printing. ``Sequential`` and ``ModuleList`` are in
``nn.module``."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..tensor import Tensor
from .module import Module, Parameter

__all__ = ["ModuleDict", "ParameterList", "ParameterDict"]


def _pairs(values: Any, who: str, ordered: tuple[type, ...]) -> Iterator[tuple[Any, Any]]:
    """The (key, value) pairs of ``update(values)``: a mapping of one of the ``ordered``
    types in its order, another mapping in sorted order (ParameterDict, as PyTorch) or in
    its own (ModuleDict), or an iterable of pairs."""
    if isinstance(values, (Mapping, ModuleDict, ParameterDict)):
        items = values.items()
        return iter(items if isinstance(values, ordered) else sorted(items))
    if not isinstance(values, Iterable):
        raise TypeError(
            f"{who}.update should be called with an iterable of key/value pairs, but got "
            f"{type(values).__name__}"
        )
    pairs = []
    for j, pair in enumerate(values):
        if not isinstance(pair, Iterable):
            raise TypeError(
                f"{who} update sequence element #{j} should be Iterable; is {type(pair).__name__}"
            )
        pair = tuple(pair)
        if len(pair) != 2:
            raise ValueError(
                f"{who} update sequence element #{j} has length {len(pair)}; 2 is required"
            )
        pairs.append(pair)
    return iter(pairs)


class ModuleDict(Module):
    """Submodules by name, in insertion order, registered as children: ``heads["cls"]``
    is saved as ``heads.cls.weight``. It has no ``forward``: call the modules it holds.

    >>> from tinygrad_nn import nn
    >>> heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "box": nn.Linear(4, 2)})
    >>> list(heads), list(heads.state_dict())[:2]
    (['cls', 'box'], ['cls.weight', 'cls.bias'])
    """

    def __init__(self, modules: Any = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str):
            raise TypeError(f"module name should be a string. Got {type(key).__name__}")
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def pop(self, key: str) -> Module:
        """Remove the module ``key`` and return it."""
        return self._modules.pop(key)

    def keys(self) -> Iterable[str]:
        """The names, in order."""
        return self._modules.keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        """The (name, module) pairs, in order."""
        return self._modules.items()

    def values(self) -> Iterable[Module]:
        """The modules, in order."""
        return self._modules.values()

    def update(self, modules: Any) -> None:
        """Add or replace modules from a mapping or an iterable of (name, module) pairs."""
        for key, module in _pairs(modules, "ModuleDict", (Mapping, ModuleDict)):
            self[key] = module


def _as_parameter(value: Any) -> Any:
    """A tensor as a Parameter (the tensor itself if it is one); other values unchanged."""
    return (
        Parameter(value)
        if isinstance(value, Tensor) and not isinstance(value, Parameter)
        else value
    )


class _ParameterContainer(Module):
    """Parameters under string keys: a tensor given is made a ``Parameter``, any other value
    is kept as a plain attribute (as in PyTorch). Printed as PyTorch prints them."""

    def _put(self, key: str, value: Any) -> None:
        value = _as_parameter(value)
        if isinstance(value, Parameter):
            self.__dict__.pop(key, None)
            self._parameters[key] = value  # a replaced one keeps its place, as in PyTorch
        else:
            self._parameters.pop(key, None)
            object.__setattr__(self, key, value)

    def _get(self, key: str) -> Any:
        return self._parameters[key] if key in self._parameters else self.__dict__[key]

    def _describe(self, key: str, value: Any, type_name: bool) -> str:
        if not isinstance(value, Tensor):
            return f"  ({key}): Object of type: {type(value).__name__}"
        size = "x".join(str(n) for n in value.shape)
        kind = value.type() if type_name else value.dtype
        return f"  ({key}): Parameter containing: [{kind} of size {size}]"

    def _listing(self, lines: list[str]) -> str:
        """PyTorch's layout: one entry on the line of the name, several below it."""
        name = type(self).__name__
        if len(lines) <= 1:
            return f"{name}({''.join(lines)})"
        return f"{name}(\n  " + "\n  ".join(lines) + "\n)"


class ParameterList(_ParameterContainer):
    """Parameters by position, registered as ``0``, ``1``, ... (``state_dict`` keys
    ``weights.0``); tensors appended become ``Parameter``\\ s.

    >>> import tinygrad_nn as tnn
    >>> from tinygrad_nn import nn
    >>> weights = nn.ParameterList([tnn.ones(2, 3), tnn.zeros(3)])
    >>> [name for name, _ in weights.named_parameters()]
    ['0', '1']
    """

    def __init__(self, values: Any = None) -> None:
        super().__init__()
        object.__setattr__(self, "_size", 0)
        if values is not None:
            self.extend(values)

    def _index(self, i: Any) -> str:
        if isinstance(i, bool) or not isinstance(i, int):
            raise TypeError(f"ParameterList indices must be integers, not {type(i).__name__}")
        if not -len(self) <= i < len(self):
            raise IndexError(f"index {i} is out of range")
        return str(i % len(self))

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return ParameterList([self[j] for j in range(len(self))[i]])
        return self._get(self._index(i))

    def __setitem__(self, i: int, value: Any) -> None:
        self._put(self._index(i), value)

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` at the end (a tensor becomes a ``Parameter``)."""
        value = _as_parameter(value)  # first: a tensor refused leaves the list as it was
        object.__setattr__(self, "_size", self._size + 1)
        self[self._size - 1] = value
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append each of ``values``."""
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(
                "ParameterList.extend should be called with an iterable, but got "
                f"{type(values).__name__}"
            )
        for value in values:
            self.append(value)
        return self

    def __repr__(self) -> str:
        return self._listing([self._describe(str(i), v, False) for i, v in enumerate(self)])


class ParameterDict(_ParameterContainer):
    """Parameters by name (``state_dict`` keys ``scales.alpha``); tensors stored become
    ``Parameter``\\ s. As in PyTorch, a plain ``dict`` given to the constructor or to
    ``update`` is added in sorted key order, an ``OrderedDict`` in its own order.

    >>> import tinygrad_nn as tnn
    >>> from tinygrad_nn import nn
    >>> scales = nn.ParameterDict({"beta": tnn.zeros(1), "alpha": tnn.ones(1)})
    >>> list(scales)
    ['alpha', 'beta']
    """

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        object.__setattr__(self, "_keys", {})
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:  # PyTorch's exception type, not KeyError
            raise AttributeError(f"'ParameterDict' object has no attribute '{key}'")
        return self._get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(
                "Index given to ParameterDict cannot be used as a key as it is not a string "
                f"(type is '{type(key).__name__}')"
            )
        self._keys[key] = None
        self._put(key, value)

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> Iterable[str]:
        """The names, in order."""
        return self._keys.keys()

    def items(self) -> Iterable[tuple[str, Any]]:
        """The (name, parameter) pairs, in order."""
        return [(k, self[k]) for k in self._keys]

    def values(self) -> Iterable[Any]:
        """The parameters, in order."""
        return [self[k] for k in self._keys]

    def get(self, key: str, default: Any = None) -> Any:
        """The parameter ``key``, or ``default`` when there is none."""
        return self[key] if key in self else default

    def pop(self, key: str) -> Any:
        """Remove the parameter ``key`` and return it."""
        value = self[key]
        del self[key]
        return value

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The parameter ``key``, stored as ``default`` first when there is none."""
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        """Remove every parameter."""
        for key in list(self._keys):
            del self[key]

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same parameters (not copies of them)."""
        return ParameterDict(OrderedDict(self.items()))

    def update(self, parameters: Any) -> None:
        """Add or replace parameters from a mapping or an iterable of (name, value) pairs."""
        for key, value in _pairs(parameters, "ParameterDict", (OrderedDict, ParameterDict)):
            self[key] = value

    def __repr__(self) -> str:
        return self._listing([self._describe(k, v, True) for k, v in self.items()])
