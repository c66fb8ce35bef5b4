r"""PyTorch's BLAS-style functions $\beta\,\text{input} + \alpha\,P$ with a product $P$ of
matrices or vectors: ``addmm`` ($P$ = mat1 @ mat2), ``addmv`` (mat @ vec), ``addr`` (the
outer product vec1 vec2ᵀ), ``baddbmm`` (batch1 @ batch2, a batch of products) and
``addbmm`` (their sum over the batch). Composed of ``@``, ``*`` and ``+``, so their
gradients are those ops'. As in PyTorch: ``input`` broadcasts to $P$'s shape; the three
tensors share one dtype (``addr`` promotes them); with $\beta = 0$ the values of ``input``
are ignored (its NaN and infinities do not reach the result) and its gradient is 0; for
integer tensors $\beta$ and $\alpha$ are truncated to integers (``addr`` refuses a float
one). Each is a Tensor method with an in-place form too (``C.addmm_(A, B, beta=0.9)``).
"""

from __future__ import annotations

from typing import Any

from . import checks
from .elementwise import _promoted, _scale
from .functions import write_out
from .matrices import mv
from .tensor import Tensor, _in_place, _same_dtype, _tensor_arg, where

__all__ = ["addmm", "addmv", "addr", "baddbmm", "addbmm"]


def _tensors(who: str, **named: Any) -> list[Tensor]:
    """The named arguments, each a Tensor of the first's dtype (PyTorch's errors)."""
    tensors = [_tensor_arg(t, who, name) for name, t in named.items()]
    for t in tensors[1:]:
        _same_dtype(tensors[0], t, who)
    return tensors


def _dims(who: str, ndim: int, **named: Tensor) -> None:
    for name, t in named.items():
        if t.ndim != ndim:
            raise RuntimeError(f"{who}: {name} must be a {ndim}-D tensor, got {t.ndim}-D")


def _plus_scaled(
    input: Tensor, product: Tensor, beta: Any, alpha: Any, who: str, out: Tensor | None
) -> Tensor:
    r"""$\beta\,\text{input} + \alpha\,\text{product}$, ``input`` expanded to the product's
    shape, into ``out`` when given."""
    if checks.broadcast_shape(who, input=input.shape, product=product.shape) != product.shape:
        raise checks.ShapeError(
            f"{who}: input of shape {tuple(input.shape)} cannot be expanded to the shape of the "
            f"product, {tuple(product.shape)}"
        )
    dtype = product._data.dtype
    beta, alpha = _scale(beta, dtype), _scale(alpha, dtype)
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:  # input ignored; in the graph with gradient 0, as PyTorch's
        return write_out(out, where(True, scaled, input), who)
    return write_out(out, (input if beta == 1 else input * beta) + scaled, who)


def addmm(
    input: Tensor,
    mat1: Tensor,
    mat2: Tensor,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Tensor | None = None,
) -> Tensor:
    r"""$\beta\,\text{input} + \alpha\,(\text{mat1} \mathbin{@} \text{mat2})$, as
    ``torch.addmm``: ``mat1`` $(n, m)$, ``mat2`` $(m, p)$, ``input`` broadcast to $(n, p)$."""
    input, mat1, mat2 = _tensors("addmm", input=input, mat1=mat1, mat2=mat2)
    _dims("addmm", 2, mat1=mat1, mat2=mat2)
    if mat1.shape[1] != mat2.shape[0]:
        raise checks.ShapeError(
            f"addmm: mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} "
            f"and {mat2.shape[0]}x{mat2.shape[1]})"
        )
    return _plus_scaled(input, mat1 @ mat2, beta, alpha, "addmm", out)


def addmv(
    input: Tensor,
    mat: Tensor,
    vec: Tensor,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Tensor | None = None,
) -> Tensor:
    r"""$\beta\,\text{input} + \alpha\,(\text{mat} \mathbin{@} \text{vec})$, as
    ``torch.addmv``: ``mat`` $(n, m)$, ``vec`` $(m,)$, ``input`` broadcast to $(n,)$."""
    input, mat, vec = _tensors("addmv", input=input, mat=mat, vec=vec)
    return _plus_scaled(input, mv(mat, vec), beta, alpha, "addmv", out)


def addr(
    input: Tensor,
    vec1: Tensor,
    vec2: Tensor,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Tensor | None = None,
) -> Tensor:
    r"""$\beta\,\text{input} + \alpha\,\text{vec1}\,\text{vec2}^T$, as ``torch.addr``:
    ``vec1`` $(n,)$, ``vec2`` $(m,)$, ``input`` broadcast to $(n, m)$; unlike the others
    here, the three tensors are promoted to a common dtype, as PyTorch's."""
    named = {"input": input, "vec1": vec1, "vec2": vec2}
    input, vec1, vec2 = _promoted(tuple(_tensor_arg(t, "addr", n) for n, t in named.items()))
    _dims("addr", 1, vec1=vec1, vec2=vec2)
    if input._data.dtype.kind in "biu":
        for name, value in (("beta", beta), ("alpha", alpha)):
            if isinstance(value, float):
                raise RuntimeError(
                    f"addr: for integral input tensors ({input.dtype}), argument {name} must "
                    f"not be a floating point number, got {value}"
                )
    return _plus_scaled(input, vec1.outer(vec2), beta, alpha, "addr", out)


def _batches(who: str, batch1: Tensor, batch2: Tensor) -> None:
    """``batch1`` $(b, n, m)$ and ``batch2`` $(b, m, p)$, or PyTorch's RuntimeError."""
    _dims(who, 3, batch1=batch1, batch2=batch2)
    expected = (batch1.shape[0], batch1.shape[2])
    if tuple(batch2.shape[:2]) != expected:
        raise checks.ShapeError(
            f"{who}: expected the first two dims of batch2 to be {list(expected)} (batch1 has "
            f"shape {tuple(batch1.shape)}), but batch2 has shape {tuple(batch2.shape)}"
        )


def baddbmm(
    input: Tensor,
    batch1: Tensor,
    batch2: Tensor,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Tensor | None = None,
) -> Tensor:
    r"""$\beta\,\text{input}_i + \alpha\,(\text{batch1}_i \mathbin{@} \text{batch2}_i)$ for
    each $i$ of the batch, as ``torch.baddbmm``: ``batch1`` $(b, n, m)$, ``batch2``
    $(b, m, p)$, ``input`` broadcast to $(b, n, p)$."""
    input, batch1, batch2 = _tensors("baddbmm", input=input, batch1=batch1, batch2=batch2)
    _batches("baddbmm", batch1, batch2)
    return _plus_scaled(input, batch1 @ batch2, beta, alpha, "baddbmm", out)


def addbmm(
    input: Tensor,
    batch1: Tensor,
    batch2: Tensor,
    *,
    beta: Any = 1,
    alpha: Any = 1,
    out: Tensor | None = None,
) -> Tensor:
    r"""$\beta\,\text{input} + \alpha \sum_i \text{batch1}_i \mathbin{@} \text{batch2}_i$, as
    ``torch.addbmm``: ``batch1`` $(b, n, m)$, ``batch2`` $(b, m, p)$, ``input`` broadcast to
    $(n, p)$."""
    input, batch1, batch2 = _tensors("addbmm", input=input, batch1=batch1, batch2=batch2)
    _batches("addbmm", batch1, batch2)
    return _plus_scaled(input, (batch1 @ batch2).sum(0), beta, alpha, "addbmm", out)


for _function in (addmm, addmv, addr, baddbmm, addbmm):
    setattr(Tensor, _function.__name__, _function)
    setattr(Tensor, f"{_function.__name__}_", _in_place(_function.__name__))
