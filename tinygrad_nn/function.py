"""The graph node: one op applied to its inputs, with the rule that sends the gradient back.

A ``Function`` subclass writes ``forward(*arrays)`` on numpy arrays and ``backward(grad,
*saved)``, the vector-Jacobian product of the chain rule (notes §9–10). ``backward`` is
written once and runs in two modes:

* plain backward: ``grad`` and ``saved`` are numpy arrays, so it costs what hand-written
  numpy costs;
* ``create_graph=True``: they are Tensors, so the backward pass is itself recorded and can
  be differentiated again (second derivatives, Hessian-vector products).

A one-input op's backward returns a gradient of its input's shape (``Expand`` sums its own
back with ``engine.sum_to``); the engine reduces the broadcast gradients of ops with several
inputs.

For the second mode to be right, ``forward`` saves only its own input arrays, its output
(at the index ``output_saved_at``) or constants (masks, indices) whose derivative is zero.
A node has ``__slots__`` and no ``__dict__``: whatever backward needs goes in ``saved``.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from operator import attrgetter
from typing import Any, ClassVar

import numpy as np

from .checks import ShapeError
from .collector import pause
from .grad_mode import state
from .tensor import Tensor, wrap

__all__ = ["Function"]

_version_of = attrgetter("_version")


def _needs_table(n: int, flags: tuple[bool, ...] = ()) -> Any:
    """``needs_input_grad`` of ``n`` inputs, indexed by their ``requires_grad`` flags in turn
    (None when no input requires grad): made once, so that ``apply`` reads it with no new
    tuple per op (benchmark rows 1-4)."""
    if len(flags) == n:
        return flags if True in flags else None
    return tuple(_needs_table(n, flags + (flag,)) for flag in (False, True))


_SINGLES, _PAIRS, _TRIPLES = (_needs_table(n) for n in (1, 2, 3))
_new = object.__new__
_ndarray = np.ndarray
_sequence = count()


class _Slotted(type):
    """Gives every op class an empty ``__slots__`` unless it declares its own: a node then
    has no ``__dict__``, which makes it smaller and quicker to create and to read (a node is
    made per op: benchmark rows 3 and 4)."""

    def __new__(mcls, name: str, bases: tuple, namespace: dict, **kwargs: Any) -> type:
        namespace.setdefault("__slots__", ())
        return super().__new__(mcls, name, bases, namespace, **kwargs)


class Function(metaclass=_Slotted):
    """A node of the computation graph. Subclasses are the primitive ops in ``ops.py``.

    ``versions`` is the tuple of the inputs' version counters when the node was recorded
    (None for ops that save no input): a different tuple at backward means an input was
    changed in place, and the error names which one and both versions. ``sequence`` numbers
    nodes in creation order; the backward pass visits them from the highest number down, a
    topological order.
    ``hooks`` is a list (maybe empty) when hooks are registered or ``retained`` is set
    (``retain_grad``): the engine reads ``retained`` only then. ``previous`` is set only on a
    node that an in-place op made a tensor's new history: the Tensor holding the history it
    replaced (``history_at``).

    ``parents`` are the input Tensors until a backward pass that does not retain the graph
    frees it; then each entry is the input's node (an input made by an op), the input itself
    (a leaf whose gradient it needs) or None (an input whose gradient it does not need): the graph's
    shape is kept, the arrays are not (``node_of`` reads either form)."""

    __slots__ = (
        "parents",
        "saved",
        "needs_input_grad",
        "versions",
        "hooks",
        "retained",
        "sequence",
        "previous",
        "__weakref__",
    )

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
        # This runs once per op, so the cases of one, two and three inputs without options
        # (nearly every element-wise op) are spelled out: a comprehension or an empty
        # **kwargs costs more than the numpy call on a small array. The output Tensor is
        # built without __init__ (benchmark rows 1, 3 and 4).
        fn = _new(cls)
        fn.saved = ()
        n = len(inputs)
        try:
            if n == 1:  # options: a Python number (rows *_number), axis, shape, dtype, index
                x = inputs[0]._data
                data = fn.forward(x, **kwargs) if kwargs else fn.forward(x)
            elif kwargs:  # ops with options: reduction (losses: rows 1-2), the axis of cat
                if n == 2:
                    data = fn.forward(inputs[0]._data, inputs[1]._data, **kwargs)
                else:
                    data = fn.forward(*[t._data for t in inputs], **kwargs)
            elif n == 2:
                data = fn.forward(inputs[0]._data, inputs[1]._data)
            elif n == 3:
                data = fn.forward(inputs[0]._data, inputs[1]._data, inputs[2]._data)
            else:
                data = fn.forward(*[t._data for t in inputs])
        except (ValueError, TypeError) as err:
            shapes = ", ".join(f"{tuple(t.shape)} {t.dtype}" for t in inputs)
            raise _same_kind(err, f"{cls.__name__}: cannot apply to {shapes}: {err}") from None
        except (RuntimeWarning, FloatingPointError):  # numpy's inf or NaN made an error
            data = quietly(fn.forward, *[t._data for t in inputs], **kwargs)
        if type(data) is not _ndarray:  # numpy returns scalars from 0-d ops and full reductions
            data = np.asarray(data)
        out = _new(Tensor)
        out._data = data
        out._grad = None
        out._version = 0
        out._hooks = None
        out._alias = None
        out._cut = None
        if state.grad_enabled:
            # needs is None when no input requires a gradient; for up to three inputs it is
            # a tuple made once, not per op: a new tuple is one more object for the collector
            # (benchmark rows 3 and 4, tests/engine/test_work_per_op.py). The inputs'
            # versions are read here too for up to three inputs (no call to _versions).
            if n == 2:
                x, y = inputs
                needs = _PAIRS[x._requires_grad][y._requires_grad]
                if needs is not None:
                    fn.versions = (x._version, y._version) if cls.saves_inputs else None
            elif n == 1:
                x = inputs[0]
                needs = _SINGLES[x._requires_grad]
                if needs is not None:
                    fn.versions = (x._version,) if cls.saves_inputs else None
            elif n == 3:
                x, y, z = inputs
                needs = _TRIPLES[x._requires_grad][y._requires_grad][z._requires_grad]
                if needs is not None:
                    fn.versions = (x._version, y._version, z._version) if cls.saves_inputs else None
            else:
                needs = tuple([t._requires_grad for t in inputs])
                if True not in needs:
                    needs = None
                else:
                    fn.versions = _versions(inputs) if cls.saves_inputs else None
            if needs is not None:
                fn.parents = inputs
                fn.needs_input_grad = needs
                fn.hooks = None
                fn.retained = None
                fn.sequence = sequence = next(_sequence)
                if sequence >= pause.until:  # the first node of a graph (collector.py)
                    pause.start(sequence)
                out._requires_grad = True
                out._ctx = fn
                return out
        out._requires_grad = False
        out._ctx = None
        return out

    def graph_saved(self) -> tuple[Any, ...]:
        """``saved`` for a recorded backward: input arrays become the input Tensors and the
        output a Tensor on this node; constants (masks, shapes, indices) stay as they are."""
        saved = list(self.saved)
        for i, a in enumerate(saved):
            if i == self.output_saved_at:
                saved[i] = out = wrap(a)
                out._requires_grad, out._ctx = True, self
            elif isinstance(a, np.ndarray):
                saved[i] = self._parent_of(i, a)
        return tuple(saved)

    def _parent_of(self, i: int, a: np.ndarray) -> Any:
        """The input whose array ``a`` (saved at position ``i``) is. Ops save their inputs in
        order, so the input at the same position wins when two inputs share one array
        (``x * x.detach()``); an array of no input is a constant."""
        parents = self.parents
        if i < len(parents) and parents[i]._data is a:
            return parents[i]
        return next((p for p in parents if p._data is a), a)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def _silence_public() -> np.errstate:
    quiet = np.errstate(all="ignore")
    quiet.__enter__()
    return quiet


def _restore_public(quiet: np.errstate) -> None:
    quiet.__exit__(None, None, None)


# numpy's floating-point warnings, turned off with ``token = silence_fp()`` and back on with
# ``restore_fp(token)``. numpy 2 keeps them in a context variable: setting it costs 0.2 us,
# where np.errstate costs 1.9 us, a fifth of a small op (benchmark row 1). Any other numpy
# takes the public, slower way.
def _silence_private() -> Any:
    return _extobj_contextvar.set(_make_extobj(all="ignore"))


try:
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _restore_private = _extobj_contextvar.reset
    _restore_private(_silence_private())  # the private way works with this numpy
    silence_fp, restore_fp = _silence_private, _restore_private
except Exception:  # noqa: BLE001 - a numpy without it, or where it changed
    silence_fp, restore_fp = _silence_public, _restore_public


def quietly(call: Callable, *args: Any, **kwargs: Any) -> Any:
    """``call(*args, **kwargs)`` with numpy's floating-point warnings off. PyTorch computes
    inf and NaN silently; ops.py's warnings filter does so for numpy's warnings, but a filter
    the user adds before it (``warnings.simplefilter("error")``, ``pytest -W error``) or
    ``np.seterr(all="raise")`` turns them into errors: ``apply`` then runs the op again
    here. Free until that happens, where silencing numpy around every op would not be."""
    token = silence_fp()
    try:
        return call(*args, **kwargs)
    finally:
        restore_fp(token)


def _same_kind(err: Exception, message: str) -> Exception:
    """``err``'s type with ``message`` (a ValueError becomes a `ShapeError`); its nearest
    built-in base when that type takes other arguments (numpy's ``_UFuncNoLoopError`` for a
    ufunc without a loop for the dtype)."""
    if isinstance(err, ValueError):
        return ShapeError(message)
    try:
        return type(err)(message)
    except TypeError:
        return (ValueError if isinstance(err, ValueError) else TypeError)(message)


def node_of(entry: Tensor | Function | None) -> Function | None:
    """The node behind an entry of ``Function.parents``, in either form: a Tensor's ``_ctx``
    (None for a leaf), or the entry itself in a freed graph."""
    return entry if isinstance(entry, Function) or entry is None else entry._ctx


def _versions(parents: tuple[Tensor, ...]) -> tuple[int, ...]:
    """The version counters of a node's inputs (see ``Function.versions``); ``apply`` reads
    them itself for one and two inputs, as most ops have (benchmark rows 3 and 4)."""
    return tuple(map(_version_of, parents))


def history_at(ctx: Function | None, sequence: int) -> Function | None:
    """The node that made a tensor whose history is now ``ctx``, as a node numbered
    ``sequence`` saw it: the history before the in-place ops recorded on it after that node
    (each new node's ``previous`` holds the one it replaced)."""
    while ctx is not None and ctx.sequence >= sequence:
        ctx = ctx.previous._ctx
    return ctx


def record_detach(t: Tensor) -> None:
    """Keep ``t``'s history, which ``t.detach_()`` cuts, for the nodes recorded before: as in
    PyTorch, their gradient still flows into it. It is kept on ``t`` (dying with it), with the
    sequence number of the cut; histories that a backward has already freed are dropped."""
    cuts = [c for c in t._cut or () if c[1].saved is not None]
    cuts.append((next(_sequence), t._ctx))
    t._cut = cuts


def detached_history(t: Tensor, sequence: int) -> Tensor | Function | None:
    """The edge of a node numbered ``sequence`` to its input ``t``, a leaf now: the history
    ``t`` had before a ``detach_()`` after that node, else ``t`` if it requires grad, else
    None (as in PyTorch, a leaf that turned ``requires_grad`` off gets no gradient)."""
    for detached_at, ctx in t._cut or ():
        if sequence < detached_at:
            return history_at(ctx, sequence)
    return t if t._requires_grad else None


def check_nan(fn: Function, grads: tuple) -> None:
    """``detect_anomaly``: raise, as PyTorch, when ``fn``'s backward returned NaN."""
    for i, g in enumerate(grads):
        a = g._data if isinstance(g, Tensor) else g
        if a is not None and a.dtype.kind in "fc" and np.isnan(a).any():
            raise RuntimeError(
                f"Function '{type(fn).__name__}Backward' returned nan values in its {i}th output."
            )
