r"""PyTorch's top-level matrix functions outside ``torch.linalg``: ``inverse``, ``det``,
``logdet``, ``slogdet``, ``matrix_power``, ``pinverse``, ``svd`` (the legacy ``(U, S, V)``),
``cross``, ``mv``, ``inner``, ``tensordot``, ``kron`` and ``chain_matmul``. Each is a
:mod:`tinygrad_nn.linalg` function or a few Tensor ops, so its gradient is theirs; those
PyTorch also has as Tensor methods are methods here too (``A.inverse()``, ``A.det()``,
``x.kron(y)`` ...).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from . import linalg
from .linalg import SlogdetResult
from .tensor import Tensor, _tensor_arg, where, wrap

__all__ = [
    "SVDLegacyResult",
    "inverse",
    "det",
    "logdet",
    "slogdet",
    "matrix_power",
    "pinverse",
    "svd",
    "cross",
    "mv",
    "inner",
    "tensordot",
    "kron",
    "chain_matmul",
]


class SVDLegacyResult(NamedTuple):
    """``(U, S, V)`` of :func:`svd`: $V$, not $V^T$."""

    U: Tensor
    S: Tensor
    V: Tensor


def inverse(input: Tensor) -> Tensor:
    """$A^{-1}$, as ``torch.inverse``: :func:`tinygrad_nn.linalg.inv`."""
    return linalg.inv(input)


def det(input: Tensor) -> Tensor:
    r"""$\det A$, as ``torch.det``: :func:`tinygrad_nn.linalg.det`."""
    return linalg.det(input)


def slogdet(input: Tensor) -> SlogdetResult:
    r"""``(sign, logabsdet)`` of $\det A$, as ``torch.slogdet``:
    :func:`tinygrad_nn.linalg.slogdet`."""
    return linalg.slogdet(input)


def logdet(input: Tensor) -> Tensor:
    r"""$\log \det A$, as ``torch.logdet``: NaN where $\det A < 0$, $-\infty$ where it is 0;
    the gradient is $\log|\det A|$'s, $A^{-T}$."""
    sign, logabsdet = linalg.slogdet(input)
    return where(sign._data < 0, np.nan, logabsdet)


def matrix_power(input: Tensor, n: int) -> Tensor:
    """$A^n$, as ``torch.matrix_power``: :func:`tinygrad_nn.linalg.matrix_power`."""
    return linalg.matrix_power(input, n)


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """The pseudo-inverse, singular values below ``rcond`` times the largest dropped, as
    ``torch.pinverse``: :func:`tinygrad_nn.linalg.pinv` with ``rtol=rcond``."""
    return linalg.pinv(input, rtol=rcond)


def svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> SVDLegacyResult:
    r"""$A = U \operatorname{diag}(S) V^T$, as the legacy ``torch.svd``: $V$ rather than $V^T$,
    ``some=True`` the reduced factors; with ``compute_uv=False`` $U$ and $V$ are zero-filled
    square matrices, as PyTorch's. The gradient is :func:`tinygrad_nn.linalg.svd`'s."""
    if not compute_uv:
        S = linalg.svdvals(input)
        m, n = input.shape[-2:]
        batch, dtype = tuple(input.shape[:-2]), input._data.dtype
        zeros = (wrap(np.zeros(batch + (k, k), dtype)) for k in (m, n))
        return SVDLegacyResult(next(zeros), S, next(zeros))
    U, S, Vh = linalg.svd(input, full_matrices=not some)
    return SVDLegacyResult(U, S, Vh.mT)


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The cross product of 3-vectors along ``dim``, as ``torch.cross``: with ``dim`` None, the
    first dim of size 3 (PyTorch's deprecated default, with its warning); else
    :func:`tinygrad_nn.linalg.cross`."""
    if dim is None:
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated. Please either pass "
            "the dim explicitly or simply use torch.linalg.cross.",
            UserWarning,
            stacklevel=2,
        )
        sizes = np.broadcast_shapes(tuple(input.shape), tuple(_tensor_arg(other, "cross").shape))
        dim = next((d for d, n in enumerate(sizes) if n == 3), -1)
    return linalg.cross(input, other, dim=dim)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """The product of a matrix and a vector, as ``torch.mv``."""
    _tensor_arg(input, "mv", "input")
    _tensor_arg(vec, "mv", "vec")
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({input.shape[0]}), mat ({input.shape[0]}x"
            f"{input.shape[1]}), vec ({vec.shape[0]})"
        )
    return input @ vec


def tensordot(a: Tensor, b: Tensor, dims: int | Sequence[Any] = 2) -> Tensor:
    r"""The sum of products over the dims ``dims`` pairs up, as ``torch.tensordot``: an int
    $d$ pairs the last $d$ dims of ``a`` with the first $d$ of ``b``; two lists pair
    ``dims[0][i]`` of ``a`` with ``dims[1][i]`` of ``b``. The rest of ``a``'s dims, then of
    ``b``'s, make the result: one matrix product of the permuted, reshaped operands."""
    _tensor_arg(a, "tensordot", "a")
    _tensor_arg(b, "tensordot", "b")
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        left, right = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        left, right = ([d] if isinstance(d, int) else list(d) for d in dims)
    left, right = [d % a.ndim for d in left], [d % b.ndim for d in right]
    if len(left) != len(right):
        raise RuntimeError(f"both dimension lists should have same length, got {dims}")
    for i, j in zip(left, right):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[i]} in dim "
                f"{i} and second has size {b.shape[j]} in dim {j}"
            )
    free_a = [d for d in range(a.ndim) if d not in left]
    free_b = [d for d in range(b.ndim) if d not in right]
    inner_size = int(np.prod([a.shape[d] for d in left]))
    x = a.permute(*free_a, *left).reshape(-1, inner_size)
    y = b.permute(*right, *free_b).reshape(inner_size, -1)
    return (x @ y).reshape([a.shape[d] for d in free_a] + [b.shape[d] for d in free_b])


def inner(input: Tensor, other: Tensor) -> Tensor:
    r"""$\sum_k x_{\dots k} y_{\dots k}$ over the last dims, as ``torch.inner``: the result has
    ``input``'s other dims, then ``other``'s; a 0-d operand multiplies."""
    _tensor_arg(input, "inner", "input")
    _tensor_arg(other, "inner", "other")
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    return tensordot(input, other, ([-1], [-1]))


def kron(input: Tensor, other: Tensor) -> Tensor:
    r"""The Kronecker product, as ``torch.kron``: $y_{(i k)} = x_i\, v_k$ in every dim, the
    dims of the operand with fewer padded with 1s in front."""
    _tensor_arg(input, "kron", "input")
    _tensor_arg(other, "kron", "other")
    ndim = max(input.ndim, other.ndim)
    a = input.reshape((1,) * (ndim - input.ndim) + tuple(input.shape))
    b = other.reshape((1,) * (ndim - other.ndim) + tuple(other.shape))
    spread_a = [s for n in a.shape for s in (n, 1)]
    spread_b = [s for n in b.shape for s in (1, n)]
    out = a.reshape(spread_a) * b.reshape(spread_b)
    return out.reshape([p * q for p, q in zip(a.shape, b.shape)])


def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of 2-d matrices, as the deprecated ``torch.chain_matmul``: one is returned as
    it is; more, :func:`tinygrad_nn.linalg.multi_dot`. It warns that it is deprecated, as
    PyTorch's does."""
    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather "
        "than multiple parameters.",
        UserWarning,
        stacklevel=2,
    )
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    if len(matrices) == 1:
        return matrices[0]
    for i, m in enumerate(matrices):
        if _tensor_arg(m, "chain_matmul", f"matrices[{i}]").ndim != 2:
            raise RuntimeError(f"chain_matmul(): tensor {i} must be 2D but got {m.ndim}D")
    return linalg.multi_dot(matrices)


for _name in ("inverse det logdet slogdet matrix_power pinverse svd cross mv inner kron").split():
    setattr(Tensor, _name, globals()[_name])
