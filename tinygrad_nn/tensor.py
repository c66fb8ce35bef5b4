r"""``Tensor``: a numpy array that remembers how it was computed.

A Tensor wraps ``data`` (a ``numpy.ndarray``). When it is computed from Tensors that
require gradients, ``_ctx`` points to the graph node (``function.Function``) that made it;
``backward()`` then applies the chain rule from this Tensor back to the leaves (``engine``).
Method names and semantics follow PyTorch: ``dim``/``keepdim``, ``max(dim)`` returning values
and indices, in-place ops ending in ``_``. Gradients of every op live in ``ops.py``.
"""

from __future__ import annotations

import functools
import itertools
import math
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from . import dtypes, printing
from . import memory_format as memory_formats
from .checks import ShapeError
from .device import _CPU, no_gpu, parse_to
from .grad_mode import state
from .random import resolve_generator
from .size import Size

_BOOLS = frozenset((bool, np.bool_))

_new = object.__new__

_scalar = dtypes.scalar_of  # per op with a Python number (rows *_number)


class MaxResult(NamedTuple):
    """What ``Tensor.max(dim)`` and ``Tensor.min(dim)`` return, as in PyTorch."""

    values: Tensor
    indices: Tensor


class SortResult(NamedTuple):
    """What ``Tensor.sort`` and ``Tensor.topk`` return, as in PyTorch."""

    values: Tensor
    indices: Tensor


class _HookHandle:
    def __init__(self, hooks: list, fn: Callable) -> None:
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


class _Alias:
    """The tensors that share one array (weakly held)."""

    __slots__ = ("refs", "prune_at")

    def __init__(self, first: Tensor) -> None:
        self.refs = [weakref.ref(first)]
        self.prune_at = 8

    def add(self, t: Tensor) -> None:
        # Dead references are dropped when the list has doubled: adding n views that all
        # stay alive (list(x) of a 1-d x) costs O(n), not O(n^2).
        if len(self.refs) >= self.prune_at:
            self.refs = [r for r in self.refs if r() is not None]
            self.prune_at = max(8, 2 * len(self.refs))
        self.refs.append(weakref.ref(t))

    def members(self) -> list[Tensor]:
        """The live tensors; the references to dead ones are dropped."""
        live, refs = [], []
        for r in self.refs:
            if (t := r()) is not None:
                live.append(t)
                refs.append(r)
        self.refs = refs
        return live


class OutputChanged:
    """Put in place of a node's ``versions`` when the output it saved is changed in place:
    backward then refuses, naming the output's versions (``engine._refuse``)."""

    __slots__ = ("shape", "dtype", "expected", "now")

    def __getitem__(self, i: int) -> int:
        """-1, the version of no tensor: read as a node's ``versions``, it makes the engine
        refuse as when an input changed."""
        return -1

    __iter__ = None  # not a sequence: __getitem__ would make iter() endless

    def __init__(self, out: Tensor, expected: int) -> None:
        self.shape, self.dtype, self.expected, self.now = (
            out.shape,
            out.dtype,
            expected,
            out._version,
        )


class Tensor:
    """An n-dimensional array with automatic differentiation.

    As ``torch.Tensor``, ``Tensor(ndarray)`` and ``Tensor([1, 2])`` have the default float
    dtype: an array of that dtype is shared, any other is copied into it
    (``tnn.from_numpy`` shares an array of any dtype). ``tnn.tensor(data)`` copies and
    infers the dtype (Python floats become float32, ints int64). ``Tensor(2, 3)`` (Python or
    numpy ints) or ``Tensor(Size)`` is torch's legacy constructor: an uninitialised tensor of
    that shape in the default float dtype; ``Tensor()`` is empty.
    """

    # _alias is None, or the _Alias shared by every tensor that shares this array (views and
    # detach()): an in-place change through any of them bumps all their version counters,
    # so graphs that saved the array refuse to backward. _cut is None, or the histories that
    # detach_() cut, for the nodes recorded before (function.detached_history).
    __slots__ = (
        "_data",
        "_requires_grad",
        "_grad",
        "_ctx",
        "_version",
        "_hooks",
        "_alias",
        "_cut",
        "__weakref__",
    )
    __array_ufunc__ = None  # numpy defers `ndarray * Tensor` to Tensor.__rmul__
    __hash__ = object.__hash__  # __eq__ is element-wise, as in PyTorch

    def __init__(self, data: Any = (), requires_grad: bool = False, *size: int) -> None:
        if size or legacy.is_size(data):  # (a keyword-only requires_grad would cost 5%)
            data, requires_grad = legacy.tensor_sizes(data, requires_grad, size)
        elif isinstance(data, np.ndarray):  # as torch.Tensor(ndarray): shared when it has
            # the default float dtype, else copied into it (float64 data gives float32)
            default = dtypes.get_default_dtype()
            if data.dtype != default and data.dtype.kind in "biuf":  # _fill refuses others
                data = data.astype(default)
        else:
            floats = isinstance(data, (list, tuple))  # torch.Tensor([1, 2]) is float32
            dtype = dtypes.get_default_dtype() if floats else None
            data = dtypes.as_array(data, dtype, who="Tensor")
        _fill(self, data, requires_grad)

    # -- attributes ---------------------------------------------------------------------

    @property
    def data(self) -> Tensor:
        """The same storage as a Tensor outside the graph, as in PyTorch: ``p.data -= lr * g``
        changes ``p`` without recording an op. Assigning ``t.data = other`` swaps the storage
        (its shape and dtype may change)."""
        return self._share(wrap(self._data))

    @data.setter
    def data(self, value: Any) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data: expected a Tensor, got {type(value).__name__}")
        if value._data is not self._data:
            self._data = value._data
            value._share(self)  # now an alias of value's storage

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward`` (None before the first one). Later
        backward passes add into this same Tensor, so a reference kept to it sees them."""
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None, got {type(value).__name__}"
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: grad shape {value.shape}, "
                    f"tensor shape {self.shape}"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"assigned grad has data of a different type: grad dtype {value.dtype}, "
                    f"tensor dtype {self.dtype}"
                )
        self._grad = value

    @property
    def shape(self) -> Size:
        """The size of each dim, as a ``tnn.Size`` (a tuple with ``numel()``)."""
        return Size(self._data.shape)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors not computed by a recorded op (inputs, parameters)."""
        return self._ctx is None

    @property
    def grad_fn(self) -> Any:
        """The graph node that produced this tensor, or None for a leaf."""
        return self._ctx

    def size(self, dim: int | None = None) -> Size | int:
        """``shape`` as a ``tnn.Size``, or the size of dim ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_dim(dim, self._data.ndim, "size")]

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    nelement = numel
    ndimension = dim

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        """The step in elements between neighbours along each dim (or along ``dim``): a view
        (a transpose, a slice) has the strides of the array it looks into."""
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_dim(dim, max(self.ndim, 1), "stride")]

    def element_size(self) -> int:
        """The size of one element in bytes."""
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        """The size of one element in bytes."""
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        """The size of the elements in bytes, ``numel() * itemsize``."""
        return self._data.nbytes

    def data_ptr(self) -> int:
        """The address of the first element (two tensors sharing it share storage)."""
        return self._data.__array_interface__["data"][0]

    def is_contiguous(self, memory_format: Any = memory_formats.contiguous_format) -> bool:
        """Whether the elements lie in row-major order with no gaps."""
        memory_formats.numpy_order(memory_format, "is_contiguous")
        return memory_format.order == "C" and self._data.flags.c_contiguous

    def contiguous(self, memory_format: Any = memory_formats.contiguous_format) -> Tensor:
        """``self`` when it is contiguous, else a row-major copy that stays in the graph."""
        if self.is_contiguous(memory_format):
            return self
        return ops.Cast.apply(self, dtype=self._data.dtype, order="C")

    def is_complex(self) -> bool:
        """False: tensors hold bool, integer or real floating-point numbers."""
        return False

    def is_signed(self) -> bool:
        """Whether the dtype holds negative numbers (ints and floats, not uint8 nor bool)."""
        return self._data.dtype.kind in "if"

    def conj(self) -> Tensor:
        """``self``: the conjugate of a real tensor."""
        return self

    resolve_conj = resolve_neg = conj

    @property
    def real(self) -> Tensor:
        """``self``: the real part of a real tensor."""
        return self

    @property
    def imag(self) -> Tensor:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def __contains__(self, element: Any) -> bool:
        """``element in t``: whether some element equals it, as ``(t == element).any()``."""
        if not isinstance(element, (Tensor, int, float, bool, np.number, np.bool_)):
            raise RuntimeError(
                "Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
                f"{type(element).__name__}"
            )
        return bool((self == element).any())

    # -- conversion ---------------------------------------------------------------------

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The data as a read-only numpy array (shared, not copied); ``force=True`` also for
        a tensor that requires grad, as ``detach().numpy()``.

        Read-only because a graph may have saved this very array for backward: a write
        through it would change the gradient without the engine noticing (in-place tensor
        methods such as ``t[i] = v`` or ``add_`` bump a version counter that backward
        checks; a numpy write cannot). ``np.array(t)`` gives a writable copy."""
        if self.requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on a Tensor that requires grad: use tensor.detach().numpy()"
            )
        return _read_only(self._data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if copy:  # np.array(t) copies, so that changing the result cannot reach the graph
            return np.array(self._data, dtype=dtype)
        return _read_only(self._data) if dtype is None else self._data.astype(dtype)

    def item(self) -> float | int | bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"item(): a Tensor with {self._data.size} elements (shape {self.shape}) cannot "
                "be converted to a Python number"
            )
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"The truth value of a tensor with {self._data.size} elements is ambiguous"
            )
        return bool(self._data.item())

    def detach(self) -> Tensor:
        """The same data (shared, not copied), cut from the graph. Changing either in place
        is seen by graphs that saved the other."""
        return self._share(wrap(self._data))

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place: it becomes a leaf that does not require
        grad. A view refuses (as in PyTorch): use ``detach()``. As in PyTorch, graphs
        recorded before that saved it refuse to backward, and those that used it without
        saving it still send its gradient into its old history."""
        if views.base_of(self) is not None:
            raise RuntimeError(
                f"detach_: this tensor (shape {self.shape}) is a view of another, which can't "
                "be detached in place; use detach() instead"
            )
        if self._ctx is not None:
            self._version += 1  # nodes that saved it refuse; its node and aliases are as they were
            function.record_detach(self)
            self._ctx = None
        self._requires_grad = False
        return self

    def clone(self, *, memory_format: Any = memory_formats.preserve_format) -> Tensor:
        """A copy of the data that stays in the graph, with the strides of ``self``
        (``preserve_format``) or row-major (``contiguous_format``)."""
        order = memory_formats.numpy_order(memory_format, "clone")
        return ops.Cast.apply(self, dtype=self._data.dtype, order=order)

    # -- devices and dtypes, as PyTorch names them ------------------------------------------

    @property
    def device(self) -> Any:
        """Where the data lives: always ``tnn.device("cpu")`` (numpy arrays)."""
        return _CPU

    is_cuda = False

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """``to(dtype)``, ``to(device, dtype)``, ``to(other)`` (other's dtype), with keywords
        ``device``, ``dtype``, ``copy``, ``non_blocking`` as in PyTorch. The device must be the
        CPU; the result is ``self`` when nothing changes (unless ``copy=True``). A change of
        floating dtype stays in the graph."""
        dtype, copy = parse_to(args, kwargs, "to()")
        if dtype is None or dtype == self._data.dtype:
            return self.clone() if copy else self
        if dtype.kind != "f" or self._data.dtype.kind != "f":
            return wrap(self._data.astype(dtype))
        return ops.Cast.apply(self, dtype=dtype)

    def cpu(self) -> Tensor:
        """``self``: the data is already on the CPU."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        """Raises: tinygrad_nn has no GPU."""
        raise no_gpu("cuda", "cuda()")

    def type(self, dtype: Any = None) -> Tensor | str:
        """Without ``dtype`` the type name (``"tinygrad_nn.FloatTensor"`` for float32; PyTorch
        says ``"torch.FloatTensor"``); with a dtype or such a name, ``to(dtype)``."""
        if dtype is None:
            return dtypes.type_name(self._data.dtype)
        if isinstance(dtype, str):
            dtype = dtypes.from_type_name(dtype)
        return self.to(dtype)

    def is_floating_point(self) -> bool:
        """True for float16, float32 and float64 tensors."""
        return self._data.dtype.kind == "f"

    def double(self) -> Tensor:
        """``to(tnn.float64)``."""
        return self.to(dtypes.float64)

    def float(self) -> Tensor:
        """``to(tnn.float32)``."""
        return self.to(dtypes.float32)

    def half(self) -> Tensor:
        """``to(tnn.float16)``."""
        return self.to(dtypes.float16)

    def long(self) -> Tensor:
        """``to(tnn.int64)``."""
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        """``to(tnn.int32)``."""
        return self.to(dtypes.int32)

    def bool(self) -> Tensor:
        """``to(tnn.bool)``."""
        return self.to(dtypes.bool_)

    def __format__(self, spec: str) -> str:
        """A 0-d tensor formats as its number (``f"{loss:.4f}"``); others only without a
        format spec, as in PyTorch."""
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        return object.__format__(self, spec)

    def __index__(self) -> int:
        """A one-element integer tensor as a Python int (a list index, ``range(n)``)."""
        if self._data.dtype.kind not in "biu" or self._data.size != 1:
            raise TypeError(
                "only integer tensors of a single element can be converted to an index, got "
                f"dtype {self.dtype} and shape {self.shape}"
            )
        return int(self._data.item())

    def __repr__(self) -> str:
        """As PyTorch prints, with the options of ``tnn.set_printoptions`` (``printing``)."""
        return printing.tensor_repr(self)

    # -- autograd -----------------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether ops on this tensor are recorded for backward: set on leaves only, as in
        PyTorch (the engine reads and writes the slot ``_requires_grad`` directly)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, requires_grad: bool) -> None:
        if type(requires_grad) not in _BOOLS:
            raise RuntimeError(
                f"requires_grad must be a bool, got {type(requires_grad).__name__} "
                f"{requires_grad!r}"
            )
        if self._ctx is not None:
            raise RuntimeError(
                f"requires_grad = {requires_grad}: you can only change requires_grad flags of "
                f"leaf tensors, and this one (shape {self.shape}) was computed by "
                f"{type(self._ctx).__name__}Backward; to use it without its gradient, use "
                "t.detach()"
            )
        self._set_requires_grad(bool(requires_grad))

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Turn gradient recording on (or off) for this tensor, in place, as PyTorch: a bool,
        on float tensors only, and off only on a leaf (a computed tensor is ``detach()``-ed
        instead); on a computed tensor, turning it on changes nothing."""
        if type(requires_grad) is not bool:
            raise TypeError(
                "requires_grad_(): argument 'requires_grad' must be bool, not "
                f"{type(requires_grad).__name__}"
            )
        if not self.is_leaf and not requires_grad:
            raise RuntimeError(
                "requires_grad_(False): you can only change requires_grad flags of leaf "
                "tensors; to use a computed tensor without its gradient, use t.detach()"
            )
        self._set_requires_grad(requires_grad)
        return self

    def _set_requires_grad(self, requires_grad: bool) -> None:
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only floating point tensors can require gradients, got dtype {self.dtype}"
            )
        self._requires_grad = requires_grad

    def backward(
        self,
        gradient: Tensor | np.ndarray | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        r"""Accumulate $\partial (\text{gradient} \cdot self) / \partial x$ into
        ``x.grad`` for every leaf ``x`` that requires grad (notes §9–10)."""
        grad = _initial_grad(self, gradient, create_graph, "backward()")
        retain = create_graph if retain_graph is None else retain_graph
        engine.run_backward([self], [grad], retain, create_graph)

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._ctx is not None:
            self._ctx.retained = weakref.ref(self)
            # The engine looks at a node's retained tensor only when its hooks are not None.
            self._ctx.hooks = self._ctx.hooks or []

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> _HookHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned Tensor
        replaces the gradient."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require grad")
        if self._ctx is None:
            self._hooks = hooks = self._hooks or []
        else:
            self._ctx.hooks = hooks = self._ctx.hooks or []
        hooks.append(hook)
        return _HookHandle(hooks, hook)

    def draw(self, **kwargs: Any) -> Any:
        """The computation graph that produced this tensor (see ``tinygrad_nn.viz``)."""
        from .viz import draw_graph

        return draw_graph(self, **kwargs)

    # -- in-place ops -----------------------------------------------------------------------
    # Outside a graph (under no_grad, or when no tensor involved requires grad) an in-place
    # op is numpy's in-place op. Inside one it is recorded as PyTorch records it (_update).
    # Either way the version counter of the storage goes up, so that graphs which saved the
    # old values refuse to backward.

    def _in_graph(self, other: Any = None) -> bool:
        return state.grad_enabled and (
            self.requires_grad or isinstance(other, Tensor) and other.requires_grad
        )

    def _inplace(self, name: str) -> None:
        """Before a fill that has no gradient (random samples): refused for a tensor that
        requires grad while grad mode is on."""
        if self.requires_grad and state.grad_enabled:
            what = "a leaf Tensor that requires grad" if self.is_leaf else "a Tensor in a graph"
            raise RuntimeError(
                f"{name}: {what} cannot be changed in place while grad mode is on; "
                "use tnn.no_grad() (e.g. for parameter updates) or an out-of-place op"
            )
        self._changed_in_place()

    def _update(
        self,
        name: str,
        compute: Callable[[Tensor], Tensor],
        keeps_old: bool,
        target: np.ndarray | None = None,
    ) -> Tensor:
        """Record ``self = compute(self)`` in place: ``compute`` runs on a Tensor holding the
        old value and history, its result is written into this tensor's storage, and its
        node becomes this tensor's history (nodes recorded earlier keep the old one:
        ``function.history_at``; a view's base and the other views follow: ``views``).
        ``keeps_old``: the recorded op needs the old values, which are then copied before
        being overwritten. ``target``: the array written, when not ``self._target(name)``."""
        if self.is_leaf and self.requires_grad:
            raise RuntimeError(
                f"{name}: a leaf Tensor that requires grad cannot be changed in place while "
                "grad mode is on; use tnn.no_grad() (e.g. for parameter updates) or an "
                "out-of-place op"
            )
        views.refuse_in_place(self, name)
        if target is None:
            target = self._target(name)
        old = views.snapshot(self, self._data.copy() if keeps_old else self._data)
        new = compute(old)
        if self._check_result(new._data, name):
            new = ops.Cast.apply(new, dtype=self.dtype)
        target[...] = new._data
        self._changed_in_place()  # the node that made the old value sees its output change
        views.updated(self, new, old)
        return self

    def _check_result(self, new: np.ndarray, name: str) -> bool:
        """Refuse the result ``new`` of in-place op ``name`` if it has another shape or a dtype
        this tensor's can't hold; returns whether it must be cast."""
        if new.shape != self._data.shape:
            raise RuntimeError(
                f"{name}: the result has shape {tuple(new.shape)} but the tensor has shape "
                f"{self.shape}; an in-place op cannot broadcast the tensor it changes"
            )
        if new.dtype == self._data.dtype:
            return False
        dtypes.check_cast(new.dtype, self._data.dtype, name)
        return True

    def _overwrite(self, new: np.ndarray, name: str) -> Tensor:
        """Outside a graph: write ``new``, the result of in-place op ``name`` computed aside,
        into this tensor's storage (checked as ``_update`` checks it) and bump its version."""
        self._check_result(new, name)
        target = self._target(name)
        self._changed_in_place()
        target[...] = new
        return self

    def _target(self, name: str, fills: bool = False) -> np.ndarray:
        """The array in-place op ``name`` writes: this tensor's, or for an expanded view
        (numpy makes those read-only) a writable alias, refused where elements share memory
        unless the op ``fills`` one value everywhere (``views.target``, PyTorch's rules)."""
        data = self._data
        if data.flags.writeable:
            return data
        return views.target(self, name, None if fills else data)

    def _changed_in_place(self) -> None:
        """Bump the version of this tensor and of every tensor sharing its array (detach()
        and views), so that graphs which saved the array refuse to backward."""
        alias = self._alias
        if alias is None and self._ctx is None:  # a leaf alone, as a parameter after step()
            self._version += 1  # (rows 1-2)
            return
        if alias is not None:
            members = alias.members()
            if len(members) > 1:
                for t in members:
                    t._bump_version()
                return
            self._alias = None  # the tensors that shared the array are gone (row 1)
        self._bump_version()

    def _bump_version(self) -> None:
        self._version += 1
        ctx = self._ctx
        if ctx is not None and ctx.output_saved_at is not None:  # it saved this array
            if isinstance(ctx.versions, OutputChanged):
                ctx.versions.now = self._version
            else:
                ctx.versions = OutputChanged(self, self._version - 1)

    def _share(self, out: Tensor) -> Tensor:
        """Record that ``out`` shares this tensor's array (a view or a detach)."""
        if self._alias is None:
            self._alias = _Alias(self)
        self._alias.add(out)
        out._alias = self._alias
        return out

    def __setitem__(self, index: Any, value: Any) -> None:
        index = _index(index)
        target = self._data
        if not target.flags.writeable:  # an expanded view (views.target): as PyTorch,
            if ops._is_basic(index):  # the view self[index] copied into
                self[index].copy_(value)
                return
            if self._in_graph(value):  # its gradient would miss the repeats
                raise RuntimeError(
                    f"__setitem__: advanced indexing into an expanded view of shape "
                    f"{tuple(self.shape)} is not recorded (PyTorch deprecates it); "
                    "index a clone() instead"
                )
            target = views.target(self, "__setitem__")  # index_put, which writes repeats
        if not self._in_graph(value):
            self._changed_in_place()
            target[index] = value._data if isinstance(value, Tensor) else value
            return
        chosen = np.zeros(self.shape, dtype=bool)
        chosen[index] = True

        def put(old: Tensor) -> Tensor:
            v = value
            if isinstance(v, Tensor):  # laid out at the index in a zero tensor, differentiably
                v = ops.ScatterAdd.apply(
                    v.expand(self._data[index].shape), shape=self.shape, index=index
                )
            return where(chosen, v, old)

        self._update("__setitem__", put, keeps_old=False)

    def copy_(self, src: Any) -> Tensor:
        if not self._in_graph(src):
            target = self._target("copy_")
            self._changed_in_place()
            target[...] = src._data if isinstance(src, Tensor) else src
            return self
        none = np.zeros(self.shape, dtype=bool)
        return self._update("copy_", lambda old: where(none, old, src), keeps_old=False)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        r"""Fill with samples of $\mathcal N(\text{mean}, \text{std}^2)$, in place."""
        gen = resolve_generator(generator, "normal_")
        target = self._target("normal_")
        self._inplace("normal_")
        target[...] = gen.normal(mean, std, self._data.shape)
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with samples uniform in $[a, b)$, in place."""
        gen = resolve_generator(generator, "uniform_")
        target = self._target("uniform_")
        self._inplace("uniform_")
        target[...] = gen.uniform(a, b, self._data.shape)
        return self

    def bernoulli_(self, p: float = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 1 with probability ``p`` (a number, or a tensor of them), else 0, in
        place."""
        probs = p.double() if isinstance(p, Tensor) else wrap(np.full(self.shape, p, np.float64))
        sample = sampling.bernoulli(probs, generator=generator)._data
        self._inplace("bernoulli_")
        self._data[...] = sample
        return self

    def bernoulli(self, p: float | None = None, *, generator: Any = None) -> Tensor:
        """``tnn.bernoulli(self, p)``: 0 or 1 with probability ``self`` (or ``p``) of 1."""
        return sampling.bernoulli(self, p, generator=generator)

    def multinomial(
        self, num_samples: int, replacement: bool = False, *, generator: Any = None
    ) -> Tensor:
        """``tnn.multinomial(self, ...)``: category indices drawn with the weights ``self``."""
        return sampling.multinomial(self, num_samples, replacement, generator=generator)

    def fill_(self, value: float) -> Tensor:
        """Every element set to ``value``; allowed on an expanded view, as in PyTorch."""
        target = self._target("fill_", fills=True)
        if not self._in_graph():
            self._changed_in_place()
            target.fill(value)
            return self
        none = np.zeros(self.shape, dtype=bool)
        return self._update("fill_", lambda old: where(none, old, value), False, target)

    def zero_(self) -> Tensor:
        return self.fill_(0)

    def add_(self, other: Any, alpha: float = 1) -> Tensor:
        if not self._in_graph(other):
            if self._data.dtype.kind != "f":  # numpy casts where PyTorch refuses: its check
                return self._overwrite(self.add(other, alpha=alpha)._data, "add_")
            target = self._target("add_")
            self._changed_in_place()
            o = other._data if isinstance(other, Tensor) else other
            target += o if alpha == 1 else alpha * o
            return self
        return self._update(
            "add_", lambda old: old + (other if alpha == 1 else other * alpha), keeps_old=False
        )

    def sub_(self, other: Any, alpha: float = 1) -> Tensor:
        return self.add_(other, -alpha)

    def mul_(self, other: Any) -> Tensor:
        if not self._in_graph(other):
            if self._data.dtype.kind != "f":
                return self._overwrite((self * other)._data, "mul_")
            target = self._target("mul_")
            self._changed_in_place()
            target *= other._data if isinstance(other, Tensor) else other
            return self
        # the old values are needed only for other's gradient
        return self._update("mul_", lambda old: old * other, keeps_old=_needs_grad(other))

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        if rounding_mode is not None:  # the rounded quotient has gradient 0: no old values kept
            rounded = lambda old: old.div(other, rounding_mode=rounding_mode)  # noqa: E731
            if self._in_graph(other):
                return self._update("div_", rounded, keeps_old=False)
            return self._overwrite(rounded(self)._data, "div_")
        if not self._in_graph(other):
            if self._data.dtype.kind != "f":
                return self._overwrite((self / other)._data, "div_")
            target = self._target("div_")
            self._changed_in_place()
            target /= other._data if isinstance(other, Tensor) else other
            return self
        return self._update("div_", lambda old: old / other, keeps_old=_needs_grad(other))

    def clamp_(self, min: float | None = None, max: float | None = None) -> Tensor:
        if not self._in_graph():
            if self._data.dtype.kind != "f":
                return self._overwrite(self.clamp(min, max)._data, "clamp_")
            target = self._target("clamp_")
            self._changed_in_place()
            np.clip(target, min, max, out=target)
            return self
        return self._update("clamp_", lambda old: old.clamp(min, max), keeps_old=False)

    clip_, divide_, multiply_, subtract_ = clamp_, div_, mul_, sub_  # PyTorch's other names
    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def __ifloordiv__(self, other: Any) -> Tensor:
        return self.div_(other, rounding_mode="floor")

    # -- arithmetic -----------------------------------------------------------------------

    # +, -, *, / and ** call the op's apply bound once at import (the end of this file), and
    # two Tensors of one dtype skip promotion: less Python work per op (benchmark rows 3 and
    # 4). A Python number that keeps this tensor's dtype (``_number``) goes to a one-input op
    # that holds it (ops.AddScalar ...), with no Tensor made for it (rows *_number).

    def __add__(self, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            if other._data.dtype is self._data.dtype:
                return _add(self, other)
        elif (c := _scalar(self._data.dtype, other)) is not None:
            return _add_scalar(self, c=c)
        return _add(*_promote(self, other))

    def __radd__(self, other: Any) -> Tensor:
        if (c := _scalar(self._data.dtype, other)) is not None:
            return _add_scalar(self, c=c)
        x, y = _promote(self, other)
        return _add(y, x)

    def __sub__(self, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            if other._data.dtype is self._data.dtype:
                return _sub(self, other)
        elif (c := _scalar(self._data.dtype, other)) is not None:
            return _add_scalar(self, c=-c)
        return _sub(*_promote(self, other))

    def __rsub__(self, other: Any) -> Tensor:
        if (c := _scalar(self._data.dtype, other)) is not None:
            return ops.RSubScalar.apply(self, c=c)
        x, y = _promote(self, other)
        return _sub(y, x)

    def __mul__(self, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            if other._data.dtype is self._data.dtype:
                return _mul(self, other)
        elif (c := _scalar(self._data.dtype, other)) is not None:
            return _mul_scalar(self, c=c)
        return _mul(*_promote(self, other))

    def __rmul__(self, other: Any) -> Tensor:
        if (c := _scalar(self._data.dtype, other)) is not None:
            return _mul_scalar(self, c=c)
        x, y = _promote(self, other)
        return _mul(y, x)

    def __truediv__(self, other: Any) -> Tensor:
        dtype = self._data.dtype
        if dtype.kind in "fc":
            if isinstance(other, Tensor):
                if other._data.dtype is dtype:
                    return _div(self, other)
            elif (c := _scalar(self._data.dtype, other)) is not None:
                return ops.DivScalar.apply(self, c=c)
        return _div(*_promote(self, other, true_divide=True))

    def __rtruediv__(self, other: Any) -> Tensor:
        x, y = _promote(self, other, true_divide=True)
        return _div(y, x)

    def __pow__(self, exponent: Any) -> Tensor:
        if (c := _scalar(self._data.dtype, exponent)) is not None:
            return ops.PowScalar.apply(self, c=c)
        if type(exponent) is bool and self._data.dtype == np.bool_:
            # PyTorch's only powers of bools: to the number 1 a copy, to 0 all True
            return self.clone() if exponent else wrap(np.ones(self.shape, np.bool_))
        x, p = _promote(self, exponent)
        if type(exponent) is int:  # of an integer or bool tensor: PowScalar refuses p < 0
            return ops.PowScalar.apply(x, c=p._data)
        return _pow(x, p)

    def __rpow__(self, base: Any) -> Tensor:
        x, y = _promote(self, base)
        return _pow(y, x)

    def __neg__(self) -> Tensor:
        """$-x$, element-wise (``neg`` and ``negative`` are the same)."""
        return ops.Neg.apply(self)

    neg = negative = __neg__

    def __matmul__(self, other: Any) -> Tensor:
        """The matrix product ``self @ other``, with numpy's (and PyTorch's) rules for 1-d and
        batched operands."""
        return ops.MatMul.apply(*_same_dtype(self, as_tensor(other), "matmul"))

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(*_same_dtype(as_tensor(other), self, "matmul"))

    mul, pow, matmul = __mul__, __pow__, __matmul__
    multiply = mul

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``self / other``; with ``rounding_mode`` the quotient rounded toward zero
        (``"trunc"``) or down (``"floor"``, as ``//``), integers kept and gradient 0, as
        ``torch.div``."""
        if rounding_mode is None:
            return self / other
        return _div_rounded(self, other, rounding_mode)

    def floor_divide(self, other: Any) -> Tensor:
        """``self // other``: the quotient rounded down (``div(other, rounding_mode="floor")``)."""
        return _div_rounded(self, other, "floor")

    __floordiv__ = floor_divide

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _div_rounded(other, self, "floor")

    def add(self, other: Any, *, alpha: float = 1) -> Tensor:
        """``self + alpha * other``."""
        return self + (other if alpha == 1 else alpha * other)

    def sub(self, other: Any, *, alpha: float = 1) -> Tensor:
        """``self - alpha * other``."""
        return self - (other if alpha == 1 else alpha * other)

    divide, subtract = div, sub  # PyTorch's other names

    def mm(self, mat2: Tensor) -> Tensor:
        """The matrix product of two 2-d tensors (``matmul`` without broadcasting)."""
        for name, m in (("self", self), ("mat2", mat2)):
            if not isinstance(m, Tensor) or m.ndim != 2:
                what = f"shape {m.shape}" if isinstance(m, Tensor) else type(m).__name__
                raise RuntimeError(f"mm: {name} must be a 2-d tensor (a matrix), got {what}")
        return self @ mat2

    def bmm(self, mat2: Tensor) -> Tensor:
        """Matrix products of two batches of matrices, ``(b, n, m) @ (b, m, p)``: no
        broadcasting, as ``torch.bmm``."""
        if not isinstance(mat2, Tensor) or self.ndim != 3 or mat2.ndim != 3:
            what = mat2.shape if isinstance(mat2, Tensor) else type(mat2).__name__
            raise RuntimeError(f"bmm: expected two 3-d tensors, got {self.shape} and {what}")
        if self.shape[0] != mat2.shape[0]:
            raise RuntimeError(
                f"bmm: batch sizes differ: {self.shape[0]} and {mat2.shape[0]} "
                f"(shapes {self.shape} and {mat2.shape})"
            )
        return self @ mat2

    # -- comparisons (no gradient) ------------------------------------------------------

    def _compare(self, other: Any, op: Callable) -> Tensor:
        if isinstance(other, Tensor):
            other = other._data
        elif not isinstance(other, (int, float, bool, np.ndarray, np.generic, list, tuple)):
            return NotImplemented  # let the other side compare (e.g. pytest.approx)
        return wrap(op(self._data, other))

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal)

    def __invert__(self) -> Tensor:
        return wrap(np.asarray(~self._data))  # a 0-d input gives a numpy scalar

    def __and__(self, other: Any) -> Tensor:
        return self._compare(other, np.logical_and)

    def __or__(self, other: Any) -> Tensor:
        return self._compare(other, np.logical_or)

    lt, le, gt, ge, eq, ne = __lt__, __le__, __gt__, __ge__, __eq__, __ne__

    # -- element-wise functions ---------------------------------------------------------

    def exp(self) -> Tensor:
        """$e^x$, element-wise."""
        return _exp(self)

    def log(self) -> Tensor:
        r"""The natural logarithm $\ln x$, element-wise."""
        return ops.Log.apply(_floating(self))

    def log1p(self) -> Tensor:
        r"""$\ln(1 + x)$, element-wise, accurate for small $x$."""
        return ops.Log1p.apply(_floating(self))

    def sqrt(self) -> Tensor:
        r"""$\sqrt{x}$, element-wise."""
        return ops.Sqrt.apply(_floating(self))

    def abs(self) -> Tensor:
        """$|x|$, element-wise; its gradient at 0 is 0, as PyTorch's."""
        return ops.Abs.apply(self)

    __abs__ = absolute = abs  # abs(t)

    def tanh(self) -> Tensor:
        r"""$\tanh x$, element-wise (notes §3.1)."""
        return _tanh(self)

    def sigmoid(self) -> Tensor:
        r"""The logistic function $\sigma(x) = 1/(1 + e^{-x})$, element-wise (notes §3.1)."""
        return _sigmoid(self)

    def sin(self) -> Tensor:
        r"""$\sin x$, element-wise."""
        return ops.Sin.apply(_floating(self))

    def sinh(self) -> Tensor:
        r"""$\sinh x = (e^x - e^{-x}) / 2$."""
        return ops.Sinh.apply(_floating(self))

    def cosh(self) -> Tensor:
        r"""$\cosh x = (e^x + e^{-x}) / 2$."""
        return ops.Cosh.apply(_floating(self))

    def cos(self) -> Tensor:
        r"""$\cos x$, element-wise."""
        return ops.Cos.apply(_floating(self))

    def arctan(self) -> Tensor:
        r"""$\arctan x$, element-wise (notes §3.1)."""
        return ops.Arctan.apply(_floating(self))

    atan = arctan

    def reciprocal(self) -> Tensor:
        """$1/x$, element-wise; an integer tensor gives the default float dtype, as in
        PyTorch (so do the other float functions below)."""
        return ops.Reciprocal.apply(_floating(self))

    def rsqrt(self) -> Tensor:
        r"""$1/\sqrt{x}$, element-wise."""
        return ops.Rsqrt.apply(_floating(self))

    def log2(self) -> Tensor:
        r"""$\log_2 x$, element-wise."""
        return ops.LogBase.apply(_floating(self), base=2)

    def log10(self) -> Tensor:
        r"""$\log_{10} x$, element-wise."""
        return ops.LogBase.apply(_floating(self), base=10)

    def expm1(self) -> Tensor:
        r"""$e^x - 1$, element-wise, accurate for small $x$."""
        return ops.Expm1.apply(_floating(self))

    def exp2(self) -> Tensor:
        r"""$2^x$, element-wise; integers and bools give the default float dtype."""
        return ops.Exp2.apply(_floating(self))

    def logit(self, eps: float | None = None) -> Tensor:
        r"""$\log\frac{x}{1 - x}$, the inverse of ``sigmoid``, element-wise; with ``eps``
        $x$ is first clamped to $[\epsilon, 1 - \epsilon]$ (the gradient is 0 outside), as
        ``torch.logit``."""
        return ops.Logit.apply(_floating(self), eps=eps)

    def xlogy(self, other: Any) -> Tensor:
        r"""$x \log y$ with $x$ this tensor and $y$ ``other`` (a tensor or a number),
        element-wise, and 0 where $x = 0$ unless $y$ is NaN, as ``torch.xlogy``."""
        return _xlogy(self, other)

    def sinc(self) -> Tensor:
        r"""The normalised $\sin(\pi x) / (\pi x)$, element-wise, 1 at $x = 0$."""
        return ops.Sinc.apply(_floating(self))

    def tan(self) -> Tensor:
        r"""$\tan x$, element-wise."""
        return ops.Tan.apply(_floating(self))

    def asin(self) -> Tensor:
        r"""$\arcsin x$, element-wise (NaN outside $[-1, 1]$)."""
        return ops.Arcsin.apply(_floating(self))

    def acos(self) -> Tensor:
        r"""$\arccos x$, element-wise (NaN outside $[-1, 1]$)."""
        return ops.Arccos.apply(_floating(self))

    arcsin, arccos = asin, acos

    def erf(self) -> Tensor:
        r"""The error function $\frac{2}{\sqrt\pi}\int_0^x e^{-t^2} dt$, element-wise."""
        return ops.Erf.apply(_floating(self))

    def erfc(self) -> Tensor:
        r"""The complementary error function $1 - \mathrm{erf}(x)$, element-wise, accurate
        where $\mathrm{erf}(x)$ is near 1."""
        return ops.Erfc.apply(_floating(self))

    def atan2(self, other: Tensor) -> Tensor:
        r"""The angle of the point $(\text{other}, \text{self})$ in $(-\pi, \pi]$, element-wise
        with broadcasting, as ``torch.atan2``."""
        x, y = _promote(self, _tensor_arg(other, "atan2"))
        return ops.Arctan2.apply(_floating(x), _floating(y))

    arctan2 = atan2

    def hypot(self, other: Tensor) -> Tensor:
        r"""$\sqrt{\text{self}^2 + \text{other}^2}$ without overflow (float tensors only, as
        ``torch.hypot``)."""
        x, y = _promote(self, _tensor_arg(other, "hypot"))
        if x._data.dtype.kind != "f":
            raise TypeError(f"hypot: expected float tensors, got {self.dtype} and {other.dtype}")
        return ops.Hypot.apply(x, y)

    def fmod(self, other: Any) -> Tensor:
        """The remainder of ``self / other`` rounded toward zero, with the sign of ``self``
        (C's ``fmod``), as ``torch.fmod``."""
        return _mod(self, other, "trunc")

    def remainder(self, other: Any) -> Tensor:
        """The remainder of ``self / other`` rounded down, with the sign of ``other``
        (Python's ``%``), as ``torch.remainder``."""
        return _mod(self, other, "floor")

    __mod__ = remainder

    def __rmod__(self, other: Any) -> Tensor:
        return _mod(other, self, "floor")

    true_divide = __truediv__  # true division: integers give the default float dtype

    def lerp(self, end: Tensor, weight: Any) -> Tensor:
        r"""$\text{self} + w\,(\text{end} - \text{self})$, as ``torch.lerp``: ``end`` a tensor
        of the same dtype, ``weight`` a number or a tensor, all broadcast."""
        end = _tensor_arg(end, "lerp", "end")
        if self._data.dtype.kind != "f" or end._data.dtype != self._data.dtype:
            raise RuntimeError(
                f"lerp: expected float tensors of one dtype, got {self.dtype} and {end.dtype} "
                "for end"
            )
        if not isinstance(weight, Tensor):
            weight = wrap(np.array(weight, self._data.dtype))
        elif weight._data.dtype != self._data.dtype:
            if weight.ndim or weight._data.dtype.kind != "f":  # a 0-d float one promotes
                raise RuntimeError(
                    f"lerp: expected weight of dtype {self.dtype}, got {weight.dtype}"
                )
            weight = ops.Cast.apply(weight, dtype=self._data.dtype)
        return ops.Lerp.apply(self, end, weight)

    # rounding: piecewise constant, gradient 0; an integer tensor is returned as a copy

    def floor(self) -> Tensor:
        r"""$\lfloor x \rfloor$, element-wise; gradient 0."""
        return self._rounded(ops.Floor, "floor")

    def ceil(self) -> Tensor:
        r"""$\lceil x \rceil$, element-wise; gradient 0."""
        return self._rounded(ops.Ceil, "ceil")

    def trunc(self) -> Tensor:
        """``x`` rounded toward zero, element-wise; gradient 0."""
        return self._rounded(ops.Trunc, "trunc")

    fix = trunc

    def round(self, *, decimals: int = 0) -> Tensor:
        """``x`` rounded to ``decimals`` places, half to even, as ``torch.round``; gradient 0."""
        if decimals == 0:
            return self._rounded(ops.Round, "round")
        if self._data.dtype.kind != "f":
            raise TypeError(f"round: decimals needs a float tensor, got {self.dtype}")
        return ops.Round.apply(self, decimals=decimals)

    def _rounded(self, op: Any, who: str) -> Tensor:
        kind = self._data.dtype.kind
        if kind == "f":
            return op.apply(self)
        if kind == "b":
            raise TypeError(f"{who}: not defined for bool tensors, as in PyTorch")
        return wrap(self._data.copy())

    def frac(self) -> Tensor:
        """``x - trunc(x)``, the fractional part with the sign of ``x``; gradient 1."""
        if self._data.dtype.kind != "f":
            raise TypeError(f"frac: expected a float tensor, got {self.dtype}, as PyTorch")
        return self - self.trunc()

    def sign(self) -> Tensor:
        """-1, 0 or 1 by the sign of ``x`` (0 for NaN; a bool tensor is returned as it is), as
        ``torch.sign``; gradient 0."""
        data = self._data
        if data.dtype.kind == "f":
            return ops.Sign.apply(self)
        return wrap(np.asarray(np.sign(data)) if data.dtype.kind in "iu" else data.copy())

    sgn = sign  # torch.sgn: the sign, also for complex numbers (which tinygrad_nn has not)

    # tests of values: bool results, no gradient

    def isnan(self) -> Tensor:
        """True where ``x`` is NaN."""
        return wrap(np.asarray(np.isnan(self._data)))

    def isinf(self) -> Tensor:
        r"""True where ``x`` is $\pm\infty$."""
        return wrap(np.asarray(np.isinf(self._data)))

    def isfinite(self) -> Tensor:
        """True where ``x`` is neither infinite nor NaN."""
        return wrap(np.asarray(np.isfinite(self._data)))

    def isclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        r"""True where $|x - y| \le \text{atol} + \text{rtol}\,|y|$ or $x = y$ (infinities
        included; NaNs only with ``equal_nan``), as ``torch.isclose``: ``other`` a tensor of
        the same dtype."""
        other = _tensor_arg(other, "isclose")
        if other._data.dtype != self._data.dtype:
            raise RuntimeError(
                f"isclose: expected both tensors to have the same dtype, got {self.dtype} and "
                f"{other.dtype}"
            )
        if rtol < 0 or atol < 0:
            raise ValueError(f"isclose: rtol and atol must be >= 0, got {rtol} and {atol}")
        return wrap(np.asarray(np.isclose(self._data, other._data, rtol, atol, equal_nan)))

    def allclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """True when ``isclose`` holds for every element (a Python bool)."""
        return bool(self.isclose(other, rtol, atol, equal_nan)._data.all())

    def equal(self, other: Tensor) -> bool:
        """True when ``other`` has the same shape and the same values (a Python bool)."""
        other = _tensor_arg(other, "equal")
        return self.shape == other.shape and bool(np.array_equal(self._data, other._data))

    def relu(self) -> Tensor:
        r"""$\max(0, x)$, element-wise (notes §3.1)."""
        return _relu(self)

    def softplus(self) -> Tensor:
        r"""$\log(1 + e^z)$, a smooth ReLU (float tensors only, as PyTorch's)."""
        return ops.Softplus.apply(require_float(self, "softplus"))

    def square(self) -> Tensor:
        """$x^2$, element-wise (of a bool tensor as int64, as PyTorch's)."""
        x = self.long() if self._data.dtype.kind == "b" else self
        return x * x

    def maximum(self, other: Any) -> Tensor:
        """The element-wise maximum of ``self`` and ``other`` (broadcast); a tie sends half the
        gradient to each, as PyTorch."""
        return ops.Maximum.apply(*_promote(self, other))

    def minimum(self, other: Any) -> Tensor:
        """The element-wise minimum of ``self`` and ``other`` (broadcast)."""
        return _min_via_max(_promote(self, other), ops.Maximum.apply, np.minimum)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Clip to ``[min, max]``; the gradient passes where ``min <= x <= max``. The bounds
        are numbers, or tensors (broadcast) that take the gradient where they clip, as
        ``min(max(x, min), max)``: where ``min > max`` the result is ``max``."""
        if min is None and max is None:
            raise ValueError("clamp: at least one of min and max must be given")
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            return self._clamp_by_tensors(min, max)
        inside = np.ones(self.shape, dtype=bool)
        if min is not None:
            inside &= self._data >= min
        if max is not None:
            inside &= self._data <= max
        clipped = np.asarray(np.clip(self._data, min, max))  # 0-d: not a numpy scalar
        if self._data.dtype.kind != "f":  # PyTorch's promotion with the bounds (numpy's differs)
            dtype = self._data.dtype
            for bound in (min, max):
                if bound is not None:
                    dtype = dtypes.promote_types(dtype, dtypes.result_type(self._data, bound))
            clipped = clipped.astype(dtype)
        return where(wrap(inside), self, wrap(clipped))

    clip = clamp

    def _clamp_by_tensors(self, low: Tensor | None, high: Tensor | None) -> Tensor:
        if not all(b is None or isinstance(b, Tensor) for b in (low, high)):
            raise TypeError(
                "clamp: min and max must both be numbers or both be tensors (or None), got "
                f"{type(low).__name__} and {type(high).__name__}"
            )
        out = self
        if low is not None:
            out = where(out < low, low, out)
        if high is not None:
            out = where(out > high, high, out)
        return out

    # -- reductions ----------------------------------------------------------------------

    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """The sum over ``dim`` (one int or several; all elements when ``None``), keeping summed
        dimensions as size 1 when ``keepdim``."""
        return ops.Sum.apply(self, axis=_reduced_axes(dim, self.ndim), keepdim=keepdim)

    def mean(
        self, dim: int | Sequence[int] | None = None, keepdim: bool = False, *, dtype: Any = None
    ) -> Tensor:
        """The mean over ``dim`` (all elements when ``None``), as ``sum``, of a float tensor or
        of this one cast to the float ``dtype`` given; integers and bools are refused without
        it, as in PyTorch."""
        x = self._floats("mean", dtype)
        axes = _reduced_axes(dim, x.ndim)
        return x.sum(axes, keepdim) / _count(x.shape, axes)

    def _floats(self, who: str, dtype: Any = None) -> Tensor:
        """``self`` for a reduction PyTorch defines on floats only (``mean``, ``var``,
        ``std``): cast to ``dtype`` when given (a float dtype), else refused with PyTorch's
        RuntimeError unless it holds floats."""
        if dtype is not None:
            target = dtypes.check(dtype, who)
            if target.kind != "f":
                raise RuntimeError(f"{who}(): dtype must be a floating point dtype, got {target}")
            return self if self._data.dtype == target else self.to(target)
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"{who}(): only defined for floating point tensors, got a tensor of dtype "
                f"{self.dtype} (shape {tuple(self.shape)}); convert it with .float() first"
            )
        return self

    def var(
        self,
        dim: int | Sequence[int] | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
    ) -> Tensor:
        r"""$\frac{1}{n - c}\sum (x - \bar x)^2$ with the ``correction`` $c$, 1 (Bessel's)
        unless given; of floats only, as in PyTorch. ``unbiased=False`` is PyTorch's older
        spelling of $c = 0$ (also in ``dim``'s place: ``x.var(False)``)."""
        dim, correction = _moments_args(self, dim, unbiased, correction, "var")
        axes = _reduced_axes(dim, self.ndim)
        centred = self - self.mean(axes, keepdim=True)
        return (centred * centred).sum(axes, keepdim) / max(
            _count(self.shape, axes) - correction, 0
        )

    def std(
        self,
        dim: int | Sequence[int] | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
    ) -> Tensor:
        r"""The standard deviation over ``dim``: the square root of ``var`` (same arguments).
        Where the variance is 0 (a constant) the gradient is 0, as in PyTorch, not
        $0 \cdot \infty$ = NaN."""
        dim, correction = _moments_args(self, dim, unbiased, correction, "std")
        return _root(self.var(dim, keepdim=keepdim, correction=correction), 2)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Tensor | MaxResult:
        """The largest element, or with ``dim`` the ``(values, indices)`` along it."""
        if dim is None:
            return _max_of_all(self)
        return self._select(np.argmax, dim, keepdim)

    def min(self, dim: int | None = None, keepdim: bool = False) -> Tensor | MaxResult:
        """The smallest element, or with ``dim`` the ``(values, indices)`` along it, as ``max``."""
        if dim is None:
            return _min_via_max((self,), _max_of_all, np.min)
        return self._select(np.argmin, dim, keepdim)

    def amax(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """The maximum over ``dim`` (one int or several); ties share the gradient equally."""
        return ops.Max.apply(self, axis=_reduced_axes(dim, self.ndim), keepdim=keepdim)

    def _select(self, arg: Callable, dim: int, keepdim: bool) -> MaxResult:
        (axis,) = _axes(dim, self.ndim) or (0,)
        index = wrap(arg(self._data, axis=axis, keepdims=True) if self.ndim else np.array(0))
        if not self.ndim:
            return MaxResult(self.clone(), index)
        values = self.gather(axis, index)
        if not keepdim:
            values, index = values.squeeze(axis), index.squeeze(axis)
        return MaxResult(values, index)

    def all(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """True where every element (along ``dim``) is non-zero; a bool tensor, no gradient."""
        return wrap(np.asarray(np.all(self._data, axis=_axes(dim, self.ndim), keepdims=keepdim)))

    def any(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """True where some element (along ``dim``) is non-zero; a bool tensor, no gradient."""
        return wrap(np.asarray(np.any(self._data, axis=_axes(dim, self.ndim), keepdims=keepdim)))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the largest element (of the flattened tensor when ``dim`` is ``None``), as
        int64."""
        if dim is None:
            return wrap(np.asarray(np.argmax(self._data)))
        return wrap(np.argmax(self._data, axis=dim, keepdims=keepdim))

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The index of the smallest element (of the flattened tensor when ``dim`` is ``None``), as
        int64."""
        if dim is None:
            return wrap(np.asarray(np.argmin(self._data)))
        return wrap(np.argmin(self._data, axis=dim, keepdims=keepdim))

    def logsumexp(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        r"""$\log\sum_i e^{x_i}$, stable for inputs of any size."""
        return ops.LogSumExp.apply(
            _floating(self), axis=_reduced_axes(dim, self.ndim), keepdim=keepdim
        )

    def log_softmax(self, dim: int = -1, dtype: Any = None) -> Tensor:
        r"""$z_i - \log\sum_j e^{z_j}$ along ``dim``, after a cast to ``dtype`` if given. As
        PyTorch's: NaN along a row holding $+\infty$, and integer or bool tensors refused."""
        x = self.to(dtype) if dtype is not None else require_float(self, "log_softmax")
        axis = _reduced_axes(dim, x.ndim)
        return x - ops.LogSumExp.apply(x, axis=axis, keepdim=True, posinf_nan=True)

    def softmax(self, dim: int = -1, dtype: Any = None) -> Tensor:
        r"""$\mathrm{softmax}(z)_i = e^{z_i} / \sum_j e^{z_j}$ (notes §6.3), computed as
        $\exp(z_i - \mathrm{logsumexp}(z))$ so that it never overflows."""
        x = self.to(dtype) if dtype is not None else require_float(self, "softmax")
        return x.log_softmax(dim).exp()

    # -- scans, products, order statistics and norms -------------------------------------

    def _accumulated(self, dtype: Any) -> Tensor:
        """``self`` cast to ``dtype``; without one, integers and bools as int64, as PyTorch
        sums and multiplies them."""
        if dtype is not None:
            return self.to(dtype)
        return self.to(dtypes.int64) if self._data.dtype.kind in "biu" else self

    def _scan(self, op: Any, dim: int, dtype: Any, who: str) -> Tensor:
        x = self._accumulated(dtype)
        axis = _dim(dim, max(x.ndim, 1), who)
        if x.ndim == 0:
            return op.apply(x.reshape(1), axis=0).reshape(())
        return op.apply(x, axis=axis)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        r"""The running sum $y_i = \sum_{j \le i} x_j$ along ``dim``; integers and bools are
        summed as int64 (or as ``dtype``), as ``torch.cumsum``."""
        return self._scan(ops.CumSum, dim, dtype, "cumsum")

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        r"""The running product $y_i = \prod_{j \le i} x_j$ along ``dim``, as
        ``torch.cumprod``; its gradient is exact where some $x_j = 0$."""
        return self._scan(ops.CumProd, dim, dtype, "cumprod")

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        r"""The product $\prod_i x_i$ of all elements, or along ``dim``; integers and bools
        as int64. The gradient $\prod_{j \ne i} x_j$ is exact at zeros, as PyTorch's."""
        x = self._accumulated(dtype)
        if dim is None:
            return ops.Prod.apply(x, axis=None, keepdim=False)
        axis = _dim(dim, max(x.ndim, 1), "prod")
        if x.ndim == 0:
            return x.clone()
        return ops.Prod.apply(x, axis=axis, keepdim=keepdim)

    def amin(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """The minimum over ``dim`` (one int or several); ties share the gradient equally."""
        axes = _reduced_axes(dim, self.ndim)
        return _min_via_max(
            (self,),
            lambda x: x.amax(axes, keepdim),
            lambda a: np.min(a, axis=axes, keepdims=keepdim),
        )

    def trace(self) -> Tensor:
        """The sum of the diagonal of a matrix (integers as int64), as ``torch.trace``."""
        if self.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {self.ndim}")
        return self._accumulated(None).diag().sum()

    def norm(
        self,
        p: float | str | None = "fro",
        dim: int | Sequence[int] | None = None,
        keepdim: bool = False,
        dtype: Any = None,
    ) -> Tensor:
        r"""The vector $p$-norm $(\sum_i |x_i|^p)^{1/p}$ over ``dim`` (all elements when
        None), as ``torch.norm``: ``p`` a number, ``inf`` ($\max_i |x_i|$), ``-inf``,
        ``0`` (the count of non-zeros) or ``"fro"`` (the 2-norm); ``"nuc"`` is the nuclear
        norm of matrices (``_nuclear_norm``). At a zero norm the gradient is 0, as PyTorch's."""
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"norm: expected a floating point tensor as input, got dtype {self.dtype}"
            )
        x = self if dtype is None else self.to(dtype)
        if p == "nuc":
            return x._nuclear_norm(dim, keepdim)
        p = 2 if p in ("fro", None) else p
        if isinstance(p, str) or isinstance(p, bool):
            raise ValueError(f"norm: p must be a number, inf, -inf, 'fro' or 'nuc', got {p!r}")
        axes = _reduced_axes(dim, x.ndim)
        if p == 0:  # a count: gradient 0
            return where(x._data != 0, 1.0, x * 0).sum(axes, keepdim)
        a = x.abs()
        if p == math.inf:
            return a.amax(axes, keepdim)
        if p == -math.inf:
            return a.amin(axes, keepdim)
        if p == 1:
            return a.sum(axes, keepdim)
        return _root((x * x if p == 2 else _abs_power(a, p)).sum(axes, keepdim), p)

    def _nuclear_norm(self, dim: Sequence[int] | None, keepdim: bool) -> Tensor:
        r"""$\|X\|_* = \sum_i s_i$, the sum of the singular values of the matrices over the
        two dims ``dim`` (those of a 2-d tensor when None), as ``torch.norm(p="nuc")``."""
        if self.ndim < 2:
            raise RuntimeError(f"norm: p='nuc' needs at least 2 dims, got shape {self.shape}")
        if dim is None and self.ndim == 2:
            dim = (0, 1)
        if not isinstance(dim, (tuple, list)) or len(dim) != 2:
            raise RuntimeError(f"norm: p='nuc' needs dim, a 2-tuple of dims, got {dim!r}")
        rows, cols = (_dim(d, self.ndim, "norm") for d in dim)
        if rows == cols:
            raise RuntimeError(f"norm: p='nuc' needs two different dims, got {dim!r}")
        rest = [a for a in range(self.ndim) if a not in (rows, cols)]
        out = ops.Svdvals.apply(self.permute(*rest, rows, cols)).sum(-1)
        if keepdim:
            out = out.reshape([1 if a in (rows, cols) else n for a, n in enumerate(self.shape)])
        return out

    def _order(self, dim: int, descending: bool, who: str) -> tuple[int, np.ndarray]:
        """The axis of ``dim`` and the int64 indices that sort along it, stably (NaN
        largest, as PyTorch); descending keeps equal elements in their order too."""
        axis = _dim(dim, max(self.ndim, 1), who)
        a = self._data
        if a.ndim == 0:
            return 0, np.zeros((), np.int64)
        if not descending:
            return axis, np.argsort(a, axis, kind="stable")
        order = np.flip(np.argsort(np.flip(a, axis), axis, kind="stable"), axis)
        return axis, a.shape[axis] - 1 - order

    def _take(self, axis: int, order: np.ndarray) -> SortResult:
        index = wrap(np.array(order, dtype=np.int64))
        values = self.clone() if self.ndim == 0 else self.gather(axis, index)
        return SortResult(values, index)

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> SortResult:
        """The elements sorted along ``dim``, and their indices: ``(values, indices)``, as
        ``torch.sort`` (always stable here; NaN sorts as the largest)."""
        return self._take(*self._order(dim, descending, "sort"))

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        """The int64 indices that sort along ``dim``: ``sort(...).indices``."""
        return wrap(self._order(dim, descending, "argsort")[1].astype(np.int64))

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> SortResult:
        """The ``k`` largest (``largest=False``: smallest) elements along ``dim`` and their
        indices, as ``torch.topk`` (always in sorted order)."""
        axis, order = self._order(dim, largest, "topk")
        n = self.shape[axis] if self.ndim else 1
        if not 0 <= k <= n:
            raise RuntimeError(
                f"topk: selected index k out of range: k = {k} for dim {dim} of size {n}"
            )
        return self._take(
            axis, order[(slice(None),) * axis + (slice(0, k),)] if self.ndim else order
        )

    # -- shape ----------------------------------------------------------------------------

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (one dimension may be ``-1``), as ``torch.reshape``."""
        shape = _shape_arg(shape)
        try:
            out = ops.Reshape.apply(self, shape=shape)
        except ValueError:
            raise ShapeError(
                f"reshape: cannot reshape tensor of shape {self.shape} "
                f"({self.numel()} elements) to {shape}"
            ) from None
        return views.viewing(self, out, lambda b: b.reshape(shape))

    def view(self, *shape: Any) -> Tensor:
        """The same storage in a new shape, as ``torch.Tensor.view``: an error where that
        needs a copy (a transposed tensor); ``reshape`` copies then."""
        out = self.reshape(*shape)
        if out._data.size and views.base_of(out) is None:
            raise RuntimeError(
                f"view: shape {tuple(out.shape)} is not compatible with the storage of this "
                f"tensor of shape {self.shape} (it is not contiguous); use .reshape(...)"
            )
        return out

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge the dimensions ``start_dim`` to ``end_dim`` into one."""
        if self.ndim == 0:
            return self.reshape(1)
        s, e = _dim(start_dim, self.ndim, "flatten"), _dim(end_dim, self.ndim, "flatten")
        return self.reshape(self.shape[:s] + (-1,) + self.shape[e + 1 :])

    def permute(self, *dims: Any) -> Tensor:
        """The dimensions reordered: ``x.permute(1, 0)`` is the transpose of a matrix."""
        dims = _shape_arg(dims)
        perm = tuple(_dim(d, self.ndim, "permute") for d in dims)
        if sorted(perm) != list(range(self.ndim)):
            raise ValueError(f"permute: dims {dims} are not a permutation of {self.ndim} dims")
        return views.viewing(self, ops.Permute.apply(self, perm=perm), lambda b: b.permute(perm))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap dimensions ``dim0`` and ``dim1``."""
        perm = list(range(self.ndim))
        dim0, dim1 = _dim(dim0, self.ndim, "transpose"), _dim(dim1, self.ndim, "transpose")
        perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
        return self.permute(perm)

    swapaxes = transpose

    @property
    def T(self) -> Tensor:
        return self.permute(tuple(reversed(range(self.ndim))))

    @property
    def mT(self) -> Tensor:
        return self.transpose(-2, -1)

    @property
    def mH(self) -> Tensor:
        """The conjugate transpose of the last two dims: ``mT`` for real tensors."""
        return self.transpose(-2, -1)

    def adjoint(self) -> Tensor:
        """``mH``."""
        return self.mH

    @property
    def H(self) -> Tensor:
        """The conjugate transpose of a matrix (a 2-d tensor; a 0-d one is itself)."""
        if self.ndim not in (0, 2):
            raise RuntimeError(
                f"tensor.H is only supported on matrices (2-D tensors). Got {self.ndim}-D "
                "tensor." + (" For batches of matrices, consider using tensor.mH" * (self.ndim > 2))
            )
        return self.T

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        dim = _dim(dim, self.ndim + 1, "unsqueeze")
        return self.reshape(self.shape[:dim] + (1,) + self.shape[dim:])

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Remove dimensions of size 1 (only those of ``dim``, an int or several, when it is
        given; the others stay, as in PyTorch)."""
        if dim is None:
            return self.reshape(tuple(n for n in self.shape if n != 1))
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        drop = {_dim(d, max(self.ndim, 1), "squeeze") for d in dims}
        # a view all the same where nothing is dropped, as PyTorch
        return self.reshape(tuple(n for i, n in enumerate(self.shape) if n != 1 or i not in drop))

    def expand(self, *sizes: Any) -> Tensor:
        sizes = _shape_arg(sizes)
        lead = len(sizes) - self.ndim
        if lead < 0:
            raise ValueError(f"expand: cannot expand shape {self.shape} to {sizes}")
        if any(n == -1 and i < lead for i, n in enumerate(sizes)):
            raise ValueError(f"expand: -1 is not allowed for a new leading dim ({sizes})")
        shape = tuple(self.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
        return views.viewing(self, ops.Expand.apply(self, shape=shape), lambda b: b.expand(shape))

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def view_as(self, other: Tensor) -> Tensor:
        """``view(other.shape)``."""
        return self.view(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """``reshape(other.shape)``, as ``torch.Tensor.reshape_as``."""
        return self.reshape(other.shape)

    def t(self) -> Tensor:
        """The transpose of a matrix; a tensor of fewer than 2 dims is returned as it is."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dims, got shape {self.shape}")
        return self.transpose(0, 1) if self.ndim == 2 else self.reshape(self.shape)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """The view of elements ``start`` to ``start + length`` along ``dim``."""
        dim = _dim(dim, self.ndim, "narrow")
        n = self.shape[dim]
        if not -n <= start <= n:
            raise IndexError(
                f"narrow: start {start} is out of range for dim {dim} of size {n} (shape "
                f"{self.shape})"
            )
        start = start + n if start < 0 else start
        if length < 0 or start + length > n:  # PyTorch's type for a length too long
            raise RuntimeError(
                f"narrow: start {start} and length {length} exceed dim {dim} of size {n} "
                f"(shape {self.shape})"
            )
        return self[(slice(None),) * dim + (slice(start, start + length),)]

    def select(self, dim: int, index: int) -> Tensor:
        """The view at ``index`` along ``dim``, which it removes (``x.select(0, i)`` is
        ``x[i]``)."""
        dim = _dim(dim, self.ndim, "select")
        if not -self.shape[dim] <= index < self.shape[dim]:
            raise IndexError(
                f"select: index {index} is out of range for dim {dim} of size {self.shape[dim]}"
            )
        return self[(slice(None),) * dim + (index,)]

    def __getitem__(self, index: Any) -> Tensor:
        index = _index(index)
        return views.viewing(self, ops.GetItem.apply(self, index=index), lambda b: b[index])

    def gather(self, dim: int, index: Tensor) -> Tensor:
        """``out[i][j] = self[index[i][j]][j]`` for ``dim=0`` (and so on), as in PyTorch."""
        idx = index._data if isinstance(index, Tensor) else np.asarray(index)
        if idx.ndim != self.ndim:
            raise ValueError(
                f"gather: index has {idx.ndim} dims but the tensor has {self.ndim} "
                f"(shapes {idx.shape} and {self.shape})"
            )
        dim = _dim(dim, self.ndim, "gather")
        if idx.dtype.kind not in "iu":
            raise TypeError(f"gather: index must hold integers, got dtype {idx.dtype}")
        _check_index_range(idx, self.shape[dim], dim, "gather")
        grid = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
        grid[dim] = idx  # indexing copies it: changing the index later cannot change the graph
        return self[tuple(grid)]

    # -- more shape and indexing ops, composed from indexing, cat, expand and where ---------

    def flip(self, *args: Any, dims: Sequence[int] | None = None) -> Tensor:
        """The elements in reverse order along ``dims`` (a copy), as ``torch.flip``:
        ``x.flip(0, 1)``, ``x.flip((0, 1))`` or ``x.flip(dims=(0, 1))``."""
        if dims is not None and args:
            raise TypeError("flip: dims given both by position and as dims=")
        dims = _shape_arg(args) if dims is None else tuple(dims)
        axes = tuple(_dim(d, max(self.ndim, 1), "flip") for d in dims)
        if len(set(axes)) != len(axes):
            raise RuntimeError(f"flip: dims {dims} name a dim more than once")
        if self.ndim == 0:
            return self.clone()
        return ops.Flip.apply(self, axes=axes)

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
        """The elements shifted by ``shifts`` along ``dims``, those pushed off the end coming
        back at the start (the flattened tensor when ``dims`` is None), as ``torch.roll``."""
        shifts = (shifts,) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
        if dims is None:
            if len(shifts) != 1:
                raise RuntimeError(f"roll: dims must be given for {len(shifts)} shifts")
            return self.flatten().roll(shifts, 0).reshape(self.shape)
        dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
        if len(shifts) != len(dims):
            raise RuntimeError(
                f"roll: shifts and dims must align, got {len(shifts)} shifts and {len(dims)} dims"
            )
        out = self
        for shift, d in zip(shifts, dims):
            d = _dim(d, self.ndim, "roll")
            n = self.shape[d]
            k = n - shift % n if n else 0
            if 0 < k < n:
                lead = (slice(None),) * d
                out = ops.Cat.apply(out[lead + (slice(k, None),)], out[lead + (slice(k),)], axis=d)
        return self.clone() if out is self else out

    def _triangle(self, diagonal: int, keep: Callable, who: str) -> Tensor:
        if self.ndim < 2:
            raise RuntimeError(
                f"{who}: input tensor must have at least 2 dimensions, got shape {self.shape}"
            )
        mask = keep(np.ones(self.shape[-2:], dtype=bool), diagonal)
        return where(mask, self, wrap(np.zeros((), self.dtype)))

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims (on and below ``diagonal``), zeros above."""
        return self._triangle(diagonal, np.tril, "tril")

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims (on and above ``diagonal``), zeros below."""
        return self._triangle(diagonal, np.triu, "triu")

    def diag(self, diagonal: int = 0) -> Tensor:
        """A vector laid on the ``diagonal`` of a square matrix, or the ``diagonal`` of a
        matrix as a vector (a copy), as ``torch.diag``."""
        below, right = max(-diagonal, 0), max(diagonal, 0)
        if self.ndim == 1:
            n = self.shape[0]
            i = np.arange(n)
            size = n + abs(diagonal)
            return ops.IndexPut.apply(self, shape=(size, size), index=(i + below, i + right))
        if self.ndim == 2:
            i = np.arange(max(0, min(self.shape[0] - below, self.shape[1] - right)))
            return self[i + below, i + right]
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.ndim}D")

    def split(self, split_size: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """Views of consecutive pieces along ``dim``: of ``split_size`` elements each (the
        last may be smaller), or of the given sizes, as ``torch.split``."""
        d = _dim(dim, self.ndim, "split")
        n = self.shape[d]
        size = split_size
        if isinstance(size, (int, np.integer)):
            if size < 0 or size == 0 and n:
                raise RuntimeError(
                    f"split: split_size must be positive (0 only for a dim of size 0), got "
                    f"{size} for dim {d} of size {n}"
                )
            sizes = [size] * (n // size) + ([n % size] if n % size else []) if size and n else [0]
        else:
            sizes = list(size)
            if sum(sizes) != n or min(sizes, default=0) < 0:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                    f"tensor's size at dimension {d}), but got split_sizes={sizes}"
                )
        starts = itertools.accumulate(sizes, initial=0)
        return views.multiple(tuple(self.narrow(d, s, k) for s, k in zip(starts, sizes)), "split")

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` views along ``dim``, of ``ceil(n / chunks)`` elements each (the
        last may be smaller), as ``torch.chunk``."""
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        d = _dim(dim, self.ndim, "chunk")
        n = self.shape[d]
        if n == 0:  # as torch: chunks empty pieces
            return tuple(self.narrow(d, 0, 0) for _ in range(chunks))
        return self.split(-(-n // chunks), d)

    def repeat(self, *sizes: Any) -> Tensor:
        """The tensor repeated ``sizes[i]`` times along dim ``i`` (new leading dims when
        ``sizes`` is longer), as ``torch.Tensor.repeat``; the gradient sums the copies."""
        sizes = _shape_arg(sizes)
        if len(sizes) < self.ndim:
            raise RuntimeError(
                f"repeat: number of dimensions of repeat dims ({len(sizes)}) can not be "
                f"smaller than number of dimensions of tensor ({self.ndim})"
            )
        if any(r < 0 for r in sizes):
            raise RuntimeError(f"repeat: repeats must be non-negative, got {sizes}")
        shape = (1,) * (len(sizes) - self.ndim) + tuple(self.shape)
        pairs = [v for n in shape for v in (1, n)]
        repeated = [v for r, n in zip(sizes, shape) for v in (r, n)]
        return self.reshape(pairs).expand(repeated).reshape([r * n for r, n in zip(sizes, shape)])

    def tile(self, dims: Sequence[int]) -> Tensor:
        """``repeat(dims)``, with ``dims`` padded with leading 1s to the tensor's dims, as
        ``torch.tile``."""
        dims = tuple(dims)
        return self.repeat((1,) * (self.ndim - len(dims)) + dims)

    def repeat_interleave(
        self, repeats: int | Tensor, dim: int | None = None, *, output_size: int | None = None
    ) -> Tensor:
        """Each element repeated ``repeats`` times (a number, or one count per element) along
        ``dim`` (of the flattened tensor when None), as ``torch.repeat_interleave``."""
        x = self.flatten() if dim is None else self
        d = 0 if dim is None else _dim(dim, x.ndim, "repeat_interleave")
        n = x.shape[d]
        reps = array_of(repeats)
        if reps.dtype.kind not in "iu":
            raise RuntimeError(f"repeat_interleave: repeats must be integers, got {reps.dtype}")
        if reps.ndim > 1 or reps.ndim == 1 and len(reps) not in (1, n):
            raise RuntimeError(
                f"repeat_interleave: repeats must have the same size as input along dim, but "
                f"got repeats of shape {reps.shape} and input.size({d}) = {n}"
            )
        if (reps < 0).any():
            raise RuntimeError("repeat_interleave: repeats can not be negative")
        index = np.repeat(np.arange(n), np.broadcast_to(reps.reshape(-1), (n,)))
        if output_size is not None and output_size != len(index):
            raise RuntimeError(
                f"repeat_interleave: output_size {output_size} differs from the {len(index)} "
                "elements of the result"
            )
        return x[(slice(None),) * d + (index,)]

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        """The entries ``index`` (a 0-d or 1-d integer tensor) along ``dim`` (a copy), as
        ``torch.index_select``."""
        d = _dim(dim, max(self.ndim, 1), "index_select")
        idx = array_of(index)
        if idx.dtype.kind not in "iu":
            raise RuntimeError(
                f"index_select(): Expected dtype int32 or int64 for index, got {idx.dtype}"
            )
        if idx.ndim > 1:
            raise IndexError(
                f"index_select(): Index is supposed to be a vector, got shape {idx.shape}"
            )
        _check_index_range(idx, self.shape[d] if self.ndim else 1, d, "index_select")
        if self.ndim == 0:
            if idx.size != 1:
                raise RuntimeError(
                    "index_select(): Index to scalar can have only 1 value, got "
                    f"{idx.size} value(s)"
                )
            return self.clone()
        return self[(slice(None),) * d + (idx.reshape(-1),)]  # indexing copies the index

    def _mask(self, mask: Any, who: str) -> np.ndarray:
        m = array_of(mask)
        if m.dtype != np.bool_:
            raise RuntimeError(f"{who}: expected a bool tensor for mask, got dtype {m.dtype}")
        return m

    def masked_fill(self, mask: Tensor, value: Any) -> Tensor:
        """``value`` where ``mask`` (bool, broadcast to this shape) holds, else ``self``, as
        ``torch.masked_fill``; a 0-d tensor ``value`` gets the gradient of the filled
        places."""
        m = self._mask(mask, "masked_fill")
        if np.broadcast_shapes(m.shape, self.shape) != self.shape:
            raise RuntimeError(
                f"masked_fill: mask of shape {m.shape} does not broadcast to the tensor's "
                f"shape {self.shape}"
            )
        if isinstance(value, Tensor):
            if value.ndim:
                raise RuntimeError(
                    "masked_fill only supports a 0-dimensional value tensor, but got tensor "
                    f"with {value.ndim} dimension(s)"
                )
            value = value.to(self.dtype)
        else:
            try:
                value = wrap(np.array(value, self.dtype))
            except (OverflowError, ValueError):
                raise RuntimeError(
                    f"masked_fill: value {value!r} cannot be converted to {self.dtype} "
                    "without overflow"
                ) from None
        return where(m, value, self)

    def masked_select(self, mask: Tensor) -> Tensor:
        """The elements where ``mask`` (bool; it and the tensor broadcast together) holds, as
        a 1-d tensor, as ``torch.masked_select``."""
        m = self._mask(mask, "masked_select")
        shape = np.broadcast_shapes(m.shape, self.shape)
        return self.expand(shape)[np.broadcast_to(m, shape)]

    def where(self, condition: Any, other: Any) -> Tensor:
        """``tnn.where(condition, self, other)``."""
        return where(condition, self, other)

    def nonzero(self, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
        """The indices of the non-zero elements: an int64 ``(count, ndim)`` tensor, or with
        ``as_tuple`` one 1-d tensor per dim, as ``torch.nonzero``."""
        if as_tuple:
            return tuple(wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(self._data)))
        return wrap(np.argwhere(self._data).astype(np.int64))

    # -- vector products ------------------------------------------------------------------

    def dot(self, tensor: Tensor) -> Tensor:
        r"""$\sum_i x_i y_i$ of two 1-d tensors of one size and dtype, as ``torch.dot``."""
        if not isinstance(tensor, Tensor) or self.ndim != 1 or tensor.ndim != 1:
            other = f"{tensor.ndim}D" if isinstance(tensor, Tensor) else type(tensor).__name__
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other} tensors")
        if self.shape != tensor.shape:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{self.shape[0]}] and src "
                f"[{tensor.shape[0]}] to have the same number of elements"
            )
        return ops.MatMul.apply(*_same_dtype(self, tensor, "dot"))

    def outer(self, vec2: Tensor) -> Tensor:
        r"""The outer product $y_{ij} = x_i v_j$ of two 1-d tensors, as ``torch.outer``."""
        for name, v in (("self", self), ("vec2", vec2)):
            if not isinstance(v, Tensor) or v.ndim != 1:
                got = f"{v.ndim}-D" if isinstance(v, Tensor) else type(v).__name__
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {got}")
        return self.reshape(-1, 1) * vec2.reshape(1, -1)

    # -- new tensors with this one's dtype -------------------------------------------------

    def new_tensor(
        self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """A copy of ``data`` with this tensor's dtype (unless ``dtype`` is given)."""
        return creation.tensor(data, creation._like(self, dtype), device, requires_grad)

    def new_zeros(self, *size: Any, dtype: Any = None, **kw: Any) -> Tensor:
        """``tnn.zeros(size)`` with this tensor's dtype (unless ``dtype`` is given)."""
        return creation.zeros(*size, dtype=creation._like(self, dtype), **kw)

    def new_ones(self, *size: Any, dtype: Any = None, **kw: Any) -> Tensor:
        """``tnn.ones(size)`` with this tensor's dtype (unless ``dtype`` is given)."""
        return creation.ones(*size, dtype=creation._like(self, dtype), **kw)

    def new_empty(self, *size: Any, dtype: Any = None, **kw: Any) -> Tensor:
        """``tnn.empty(size)`` with this tensor's dtype (unless ``dtype`` is given)."""
        return creation.empty(*size, dtype=creation._like(self, dtype), **kw)

    def new_full(
        self, size: Sequence[int], fill_value: Any, dtype: Any = None, **kw: Any
    ) -> Tensor:
        """``tnn.full(size, fill_value)`` with this tensor's dtype (unless ``dtype`` is given)."""
        return creation.full(size, fill_value, creation._like(self, dtype), **kw)

    def type_as(self, tensor: Tensor) -> Tensor:
        """``to(tensor.dtype)``."""
        return self.to(tensor.dtype)


# -- helpers ----------------------------------------------------------------------------------


def _read_only(a: np.ndarray) -> np.ndarray:
    """A view of ``a`` that numpy refuses to write through (see ``Tensor.numpy``)."""
    view = a.view()
    view.flags.writeable = False
    return view


def _needs_grad(x: Any) -> bool:
    return isinstance(x, Tensor) and x.requires_grad


def _promote(x: Tensor, y: Any, true_divide: bool = False) -> tuple[Tensor, Tensor]:
    """``x`` and ``y`` (a Tensor, an array or a Python number) cast to the dtype of their
    result, as PyTorch promotes (``dtypes.result_type``); with ``true_divide`` integers and
    bools become the default float (``/`` of two int tensors is float32)."""
    yd = y._data if isinstance(y, Tensor) else y
    dtype = dtypes.result_type(x._data, yd)
    if true_divide and dtype.kind in "biu":
        dtype = dtypes.get_default_dtype()
    if not isinstance(y, Tensor):
        y = leaf(np.array(y, dtype), False)  # our own array: the graph keeps it
    elif yd.dtype != dtype:
        y = ops.Cast.apply(y, dtype=dtype)
    if x._data.dtype != dtype:
        x = ops.Cast.apply(x, dtype=dtype)
    return x, y


def _pow(x: Tensor, p: Tensor) -> Tensor:
    """``x ** p`` of two tensors of one dtype; bools refused, as PyTorch has no bool kernel."""
    if x._data.dtype == np.bool_:
        raise NotImplementedError(
            f"pow: not implemented for bool base and exponent (shapes {tuple(x.shape)} and "
            f"{tuple(p.shape)}), as in PyTorch; convert one with .int() or .float() first"
        )
    return ops.Pow.apply(x, p)


def _promote_either(x: Any, y: Any, who: str) -> tuple[Tensor, Tensor]:
    """``_promote`` of ``x`` and ``y`` in that order, either of them a Tensor (the other may
    be a number, as PyTorch's functions accept)."""
    if isinstance(x, Tensor):
        return _promote(x, y)
    if isinstance(y, Tensor):
        b, a = _promote(y, x)
        return a, b
    raise TypeError(f"{who}(): expected a Tensor among the arguments, got {x!r}, {y!r}")


def _xlogy(x: Any, y: Any) -> Tensor:
    """``ops.Xlogy`` after PyTorch's promotion, integers and bools as the default float;
    one of ``x``, ``y`` may be a number."""
    x, y = _promote_either(x, y, "xlogy")
    return ops.Xlogy.apply(_floating(x), _floating(y))


def _div_rounded(x: Any, y: Any, mode: Any) -> Tensor:
    """``x / y`` rounded as ``torch.div(x, y, rounding_mode=mode)``, after PyTorch's promotion;
    one of ``x``, ``y`` may be a number."""
    if mode not in ("trunc", "floor"):
        raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got {mode!r}")
    return ops.DivRounded.apply(*_promote_either(x, y, "div"), mode=mode)


def _mod(x: Any, y: Any, mode: str) -> Tensor:
    """The remainder of ``x / y`` (``ops.Mod``) after PyTorch's promotion; one of ``x``, ``y``
    may be a number."""
    return ops.Mod.apply(
        *_promote_either(x, y, "fmod" if mode == "trunc" else "remainder"), mode=mode
    )


def _floating(x: Tensor) -> Tensor:
    """``x``, or an integer or bool tensor's values in the default float dtype: the result
    dtype of PyTorch's float functions (``tan``, ``atan2`` ...)."""
    if x._data.dtype.kind == "f":
        return x
    return wrap(ops.to_float(x._data))


def require_float(x: Tensor, who: str) -> Tensor:
    """``x`` when it holds floats; else PyTorch's NotImplementedError for the functions it
    has no integer or bool kernel for (``softmax``, ``silu``, ``softplus`` ...)."""
    if x._data.dtype.kind != "f":
        raise NotImplementedError(
            f"{who}: not implemented for {x.dtype} tensors, as in PyTorch; convert with "
            ".float() first"
        )
    return x


def _tensor_arg(x: Any, who: str, name: str = "other") -> Tensor:
    """``x`` when it is a Tensor, else PyTorch's TypeError naming the argument."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{who}(): argument {name!r} must be Tensor, not {type(x).__name__}")
    return x


def _same_dtype(x: Tensor, y: Tensor, who: str) -> tuple[Tensor, Tensor]:
    """``x, y`` unchanged when of one dtype; else PyTorch's error for matrix products."""
    if x._data.dtype != y._data.dtype:
        raise RuntimeError(
            f"{who}: expected both operands to have the same dtype, but got {x.dtype} "
            f"(shape {x.shape}) and {y.dtype} (shape {y.shape}); convert one with .to(dtype)"
        )
    return x, y


def _dim(d: int, ndim: int, who: str) -> int:
    """``d`` as a non-negative dim of a tensor with ``ndim`` dims, or an IndexError."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
        raise TypeError(f"{who}: dim must be an int, got {type(d).__name__} {d!r}")
    if not -ndim <= d < ndim:
        raise IndexError(f"{who}: dim {d} is out of range for a tensor with {ndim} dims")
    return d % ndim


def _axes(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...] | None:
    """``dim`` as a sorted tuple of non-negative axes (``None``: all of them)."""
    if dim is None:
        return None
    if isinstance(dim, (int, np.integer)):
        dims: tuple = (dim,)
    elif isinstance(dim, (tuple, list)):
        dims = tuple(dim)
    else:
        raise TypeError(f"dim must be an int or a tuple of ints, got {type(dim).__name__} {dim!r}")
    n = max(ndim, 1)
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise TypeError(f"dim must be an int or a tuple of ints, got {dim!r}")
        if not -n <= d < n:
            raise IndexError(f"dim {d} is out of range for a tensor with {ndim} dims")
    if ndim == 0:
        return None
    axes = {d % ndim for d in dims}
    if len(axes) != len(dims):
        raise ValueError(f"dim {dim!r} names a dim more than once")
    return tuple(sorted(axes))


def _reduced_axes(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...] | None:
    """``_axes`` as PyTorch's reductions (sum, mean, var, norm, amax...) read ``dim``: an
    empty one means every dim (``all`` and ``any`` reduce none)."""
    return None if isinstance(dim, (tuple, list)) and not dim else _axes(dim, ndim)


def _count(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> int:
    return math.prod(shape if axes is None else [shape[a] for a in axes])


def _abs_power(a: Tensor, p: float) -> Tensor:
    r"""$|x|^p$ of ``a`` $= |x|$; for $p < 1$ its gradient is 0 where $x = 0$ (not
    $\infty \cdot 0$ = NaN), as PyTorch's ``norm``: $0^p$ is 0 there, or $\infty$ for $p < 0$,
    which makes the norm 0."""
    nonzero = a._data != 0
    if p >= 1 or nonzero.all():
        return a**p
    return where(nonzero, where(nonzero, a, 1.0) ** p, 0.0 if p > 0 else math.inf)


def _root(v: Tensor, p: float) -> Tensor:
    r"""$v^{1/p}$ with gradient 0 where $v = 0$ (not $0 \cdot \infty$ = NaN), as PyTorch's
    ``std`` and ``norm``."""
    nonzero = v._data != 0
    root = Tensor.sqrt if p == 2 else lambda t: t ** (1 / p)
    if nonzero.all():
        return root(v)
    return where(nonzero, root(where(nonzero, v, 1.0)), 0.0)


def _moments_args(
    input: Tensor, dim: Any, unbiased: bool | None, correction: int | None, who: str
) -> tuple[Any, int]:
    """``dim`` and ``correction`` for ``var``, ``std``, ``var_mean`` or ``std_mean`` (``who``,
    of floats only), checked as
    PyTorch does: a bool in ``dim``'s place is ``unbiased``, which means correction 1 or 0
    (1 when neither is given)."""
    _tensor_arg(input, who, "input")._floats(who)
    if isinstance(dim, bool):  # var_mean(x, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{who}: give unbiased or correction, not both")
    if correction is None:
        correction = 1 if unbiased is None else int(unbiased)
    return dim, correction


def _shape_arg(args: tuple) -> tuple[int, ...]:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _check_index_range(
    idx: np.ndarray, n: int, dim: int, who: str, error: type[Exception] = IndexError
) -> None:
    """Refuse an index outside ``[0, n)`` with ``error`` (PyTorch's type for op ``who``):
    negative indices do not wrap, as in PyTorch."""
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx.min() if idx.min() < 0 else idx.max()
        raise error(
            f"{who}: index {bad} is out of range for size {n} of dim {dim} (negative indices "
            "do not wrap)"
        )


def _index(index: Any) -> Any:
    """Replace Tensors, lists and arrays inside an index by numpy arrays of our own (the
    graph keeps the index: a later change of the caller's array must not reach it)."""
    if isinstance(index, tuple):
        return tuple(_index(i) for i in index)
    if isinstance(index, Tensor):
        return np.array(index._data)
    if isinstance(index, (list, np.ndarray)):
        return np.array(index)
    return index


def _initial_grad(t: Tensor, gradient: Any, create_graph: bool, who: str) -> Any:
    if not t._requires_grad:
        raise RuntimeError(
            f"{who}: the tensor does not require grad and has no grad_fn; "
            "did you forget requires_grad=True, or is this inside no_grad()?"
        )
    if gradient is None:
        if t._data.size != 1:
            raise RuntimeError(
                f"{who}: grad can be implicitly created only for scalar outputs, but the "
                f"output has shape {t.shape}; pass gradient= (e.g. tnn.ones_like(out))"
            )
        # 1 made once, read-only: the engine copies a read-only gradient before a hook or a
        # .grad could write to it (row 1)
        g = dtypes.ONE[t._data.dtype]
        if t._data.ndim:
            g = g.reshape(t._data.shape)
    else:
        # our own copy: no .grad may alias the caller's array
        g = np.array(gradient._data if isinstance(gradient, Tensor) else gradient, dtype=t.dtype)
        if g.shape != t.shape:
            raise RuntimeError(
                f"{who}: gradient has shape {g.shape} but the output has shape {t.shape}"
            )
    if create_graph:
        return gradient if isinstance(gradient, Tensor) else wrap(g)
    return g


def _min_via_max(inputs: Sequence[Tensor], maximum: Callable, minimum: Callable) -> Tensor:
    r"""The minimum as $-\max(-x)$ for floats, so that its gradient is the maximum's, and
    numpy's ``minimum`` for other dtypes, which have no gradient (negating would wrap the
    smallest integer and unsigned ones, and refuse bools)."""
    if inputs[0]._data.dtype.kind == "f":
        return -maximum(*[-t for t in inputs])
    return wrap(np.asarray(minimum(*[t._data for t in inputs])))


def _max_of_all(x: Tensor) -> Tensor:
    """The largest element; a NaN is the maximum and takes the gradient, as in PyTorch."""
    return ops.Max.apply(x, axis=None, keepdim=False, nan_wins=True)


def wrap(data: np.ndarray) -> Tensor:
    """A Tensor on ``data``, an ndarray the caller made, of any dtype, outside any graph: the
    package's own constructor (``Tensor(ndarray)`` converts to the default dtype, as torch's),
    without checks (the engine hands out each leaf's gradient so: row 1). With ``_fill`` and
    ``Function.apply``, the only places that set every slot."""
    t = _new(Tensor)  # one store a line: a tuple assignment builds and unpacks a tuple
    t._data = data
    t._grad = None
    t._ctx = None
    t._version = 0
    t._hooks = None
    t._alias = None
    t._cut = None
    t._requires_grad = False
    return t


def leaf(data: np.ndarray, requires_grad: bool) -> Tensor:
    """``wrap(data)`` that requires grad when ``requires_grad`` is true (a bool, on floats)."""
    return _fill(_new(Tensor), data, requires_grad)


def _fill(t: Tensor, data: np.ndarray, requires_grad: bool) -> Tensor:
    """Set every slot of the new leaf ``t`` on the array ``data``, which may come from the
    user: complex, object, string and date arrays are refused."""
    if data.dtype.kind not in "biuf":
        dtypes.check(data.dtype, "Tensor")
    t._data, t._grad, t._ctx, t._version = data, None, None, 0
    t._hooks, t._alias, t._cut, t._requires_grad = None, None, None, False
    if requires_grad:
        if type(requires_grad) not in _BOOLS:  # Tensor(2.0, 3): refused, as by torch
            raise TypeError(
                f"Tensor(data, requires_grad): requires_grad must be a bool, got "
                f"{type(requires_grad).__name__} {requires_grad!r}; sizes are Tensor(2, 3)"
            )
        t.requires_grad_(True)
    return t


def zero_grad_in_place(g: Tensor) -> None:
    """Zero a gradient in place (``zero_grad(set_to_none=False)``), as PyTorch: references to
    it see the zeros, and one made with ``create_graph=True`` loses its graph first."""
    if g._ctx is not None or g.requires_grad:
        g.detach_()
    g.zero_()


def array_of(x: Any) -> np.ndarray:
    """The numpy array of a Tensor, or ``x`` as an array (numbers, lists, arrays)."""
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def as_tensor(x: Any) -> Tensor:
    """``x`` if it is a Tensor, else a Tensor wrapping ``np.asarray(x)`` (no dtype change)."""
    return x if isinstance(x, Tensor) else leaf(np.asarray(x), False)


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """``input`` where ``condition`` holds, else ``other`` (the gradient follows the choice).
    Two Python numbers give a tensor of their dtype (floats the default float dtype)."""
    # a copy of the condition: the graph keeps it, and the caller may change theirs later
    cond = wrap(np.array(array_of(condition), dtype=bool))
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = leaf(np.array(input, dtypes.result_type(input, other)), False)
    return ops.Where.apply(cond, *_promote_either(input, other, "where"))


def numpy_names(fn: Callable) -> Callable:
    """``fn`` that also takes numpy's keyword names ``axis`` for ``dim`` and ``keepdims``
    for ``keepdim``, as every PyTorch function with a ``dim`` does."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            for alias, name in (("axis", "dim"), ("keepdims", "keepdim")):
                if alias in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}: got both {name}= and {alias}=")
                    kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return call


for _name in (
    "sum mean var std max min amax all any argmax argmin logsumexp softmax log_softmax unsqueeze "
    "squeeze gather cumsum cumprod prod amin norm sort argsort topk split chunk index_select "
    "repeat_interleave"
).split():
    setattr(Tensor, _name, numpy_names(getattr(Tensor, _name)))


def _in_place(name: str, keeps_old: bool = True) -> Callable[..., Tensor]:
    """The in-place form ``name_`` of the Tensor method ``name``, as PyTorch's: in a graph it
    is recorded by ``_update`` (graphs that saved the old values refuse to backward), outside
    one the result is written by ``_overwrite``; both refuse a result of another shape or of
    a dtype the tensor cannot hold. The op sees a copy of the old values; with
    ``keeps_old=False`` (its gradient does not read them: ``masked_fill``, the scatter
    family) no copy is made. It takes the method's arguments (``axis=`` where that does)."""
    method, who = getattr(Tensor, name), f"{name}_"

    def in_place(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        compute = lambda old: method(old, *args, **kwargs)  # noqa: E731
        if state.grad_enabled and (
            self.requires_grad or any(map(_needs_grad, (*args, *kwargs.values())))
        ):
            return self._update(who, compute, keeps_old)
        return self._overwrite(compute(self)._data, who)

    in_place.__name__ = in_place.__qualname__ = who
    in_place.__doc__ = f"``{name}`` in place, as ``torch.Tensor.{who}``."
    return in_place


for _name in (
    "floor ceil trunc fix round frac sign sgn tril triu reciprocal neg negative exp expm1 log "
    "log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan arcsin arccos arctan sinh cosh tanh "
    "sigmoid abs absolute square relu erf erfc atan2 arctan2 hypot pow fmod remainder lerp "
    "true_divide floor_divide exp2 logit xlogy sinc"
).split():
    setattr(Tensor, f"{_name}_", _in_place(_name))
Tensor.masked_fill_ = _in_place("masked_fill", keeps_old=False)

from . import creation, engine, function, legacy, ops, sampling, views  # noqa: E402  (they need Tensor defined first)

__all__ = ["Tensor", "MaxResult", "SortResult", "where"]

# The apply of the commonest ops, bound once (see the arithmetic operators above).
_add, _sub, _mul, _div = ops.Add.apply, ops.Sub.apply, ops.Mul.apply, ops.Div.apply
_exp, _tanh, _sigmoid, _relu = ops.Exp.apply, ops.Tanh.apply, ops.Sigmoid.apply, ops.Relu.apply
_add_scalar, _mul_scalar = ops.AddScalar.apply, ops.MulScalar.apply
