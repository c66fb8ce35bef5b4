r"""``tnn.linalg``, as ``torch.linalg``: norms, inverses, determinants, solves and the
factorisations (Cholesky, QR, symmetric eigendecomposition, SVD) of matrices over the last two
dims, the dims before them a batch (broadcast where two operands meet, as PyTorch's).

The factorisations and their gradients are ops of the chain-rule table (``ops.Inv``,
``ops.Det``, ``ops.Solve``, ``ops.Cholesky``, ``ops.Eigh``, ``ops.Svd``, ``ops.Qr``,
``ops.Pinv``, ``ops.Svdvals``), each with its formula; the rest (norms, ``matrix_power``,
``cross``, ``multi_dot``, ``lstsq``) is composed of Tensor ops. A singular or
non-positive-definite matrix raises :class:`LinAlgError`, a ``RuntimeError``, as PyTorch's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from . import ops
from .composites import broadcast_tensors
from .ops import LinAlgError
from .tensor import Tensor, _dim, _tensor_arg, wrap

__all__ = [
    "LinAlgError",
    "SlogdetResult",
    "EighResult",
    "SVDResult",
    "QRResult",
    "LstsqResult",
    "norm",
    "vector_norm",
    "matrix_norm",
    "inv",
    "det",
    "slogdet",
    "solve",
    "cholesky",
    "qr",
    "eigh",
    "eigvalsh",
    "svd",
    "svdvals",
    "pinv",
    "lstsq",
    "matrix_power",
    "cross",
    "multi_dot",
]


class SlogdetResult(NamedTuple):
    """``(sign, logabsdet)`` of :func:`slogdet`."""

    sign: Tensor
    logabsdet: Tensor


class EighResult(NamedTuple):
    """``(eigenvalues, eigenvectors)`` of :func:`eigh`."""

    eigenvalues: Tensor
    eigenvectors: Tensor


class SVDResult(NamedTuple):
    """``(U, S, Vh)`` of :func:`svd`."""

    U: Tensor
    S: Tensor
    Vh: Tensor


class QRResult(NamedTuple):
    """``(Q, R)`` of :func:`qr`."""

    Q: Tensor
    R: Tensor


class LstsqResult(NamedTuple):
    """``(solution, residuals, rank, singular_values)`` of :func:`lstsq`."""

    solution: Tensor
    residuals: Tensor
    rank: Tensor
    singular_values: Tensor


def _matrices(A: Any, who: str, square: bool = False, floating: bool = True) -> Tensor:
    """``A`` checked as PyTorch checks a batch of matrices, errors naming ``linalg.who``."""
    _tensor_arg(A, f"linalg.{who}", "A")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{who}: The input tensor A must have at least 2 dimensions.")
    if floating and A._data.dtype.kind != "f":
        raise RuntimeError(
            f"linalg.{who}: Expected a floating point or complex tensor as input. Got {A.dtype}"
        )
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{who}: A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )
    return A


# -- norms ----------------------------------------------------------------------------------


def vector_norm(
    x: Tensor,
    ord: float = 2,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    r"""$(\sum_i |x_i|^p)^{1/p}$ over ``dim`` (every element when None), as
    ``torch.linalg.vector_norm``: ``ord`` a number, ``inf`` ($\max_i |x_i|$), ``-inf`` or 0
    (the count of non-zeros). At a zero norm the gradient is 0."""
    if isinstance(ord, (str, bool)) or not isinstance(ord, (int, float)):
        raise TypeError(
            f"linalg.vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}"
        )
    return _tensor_arg(x, "linalg.vector_norm", "x").norm(ord, dim, keepdim, dtype)


def matrix_norm(
    A: Tensor,
    ord: float | str = "fro",
    dim: tuple[int, int] = (-2, -1),
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    r"""The matrix norm over the two dims ``dim``, as ``torch.linalg.matrix_norm``: ``"fro"``
    ($\sqrt{\sum_{ij} a_{ij}^2}$), ``"nuc"`` ($\sum_i s_i$), 2 and -2 (the largest and smallest
    singular value), 1 and -1 (the largest and smallest column sum of $|a_{ij}|$), ``inf`` and
    ``-inf`` (the same over rows)."""
    A = _matrices(A, "matrix_norm")
    if dtype is not None:
        A = A.to(dtype)
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dim!r}")
    rows, cols = (_dim(d, A.ndim, "linalg.matrix_norm") for d in dim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({rows}, {cols})")
    if ord in ("fro", "nuc"):
        return A.norm(2 if ord == "fro" else ord, (rows, cols), keepdim)
    if ord not in (2, -2, 1, -1, math.inf, -math.inf) or isinstance(ord, bool):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    kept = [1 if a in (rows, cols) else n for a, n in enumerate(A.shape)]
    if ord in (2, -2):
        rest = [a for a in range(A.ndim) if a not in (rows, cols)]
        s = ops.Svdvals.apply(A.permute(*rest, rows, cols))
        out = s.amax(-1) if ord > 0 else s.amin(-1)
    else:  # 1: sum down the columns (over rows), inf: along the rows (over columns)
        summed, picked = (rows, cols) if abs(ord) == 1 else (cols, rows)
        sums = A.abs().sum(summed, keepdim=True)
        out = sums.amax(picked, keepdim=True) if ord > 0 else sums.amin(picked, keepdim=True)
    if keepdim:
        return out.reshape(kept)
    return out.reshape([n for a, n in enumerate(A.shape) if a not in (rows, cols)])


def norm(
    A: Tensor,
    ord: float | str | None = None,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """A vector or matrix norm, as ``torch.linalg.norm``: with ``dim`` None and ``ord`` None the
    2-norm of every element; with ``ord`` alone, the vector norm of a 1-d or the matrix norm of
    a 2-d ``A``; one ``dim``, :func:`vector_norm`; two, :func:`matrix_norm`."""
    _tensor_arg(A, "linalg.norm", "A")
    if dim is None:
        if ord is None:
            return vector_norm(A, 2, None, keepdim, dtype=dtype)
        if A.ndim not in (1, 2):
            raise RuntimeError(
                "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {A.ndim}D."
            )
        dim = tuple(range(A.ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if len(dims) == 1:
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    if len(dims) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
    raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {dim}")


# -- inverses, determinants, solves ---------------------------------------------------------


def _is_vector(A: Tensor, B: Tensor) -> bool:
    """Whether ``B`` is a batch of vectors for the matrices ``A``, by PyTorch's rule: 1-d, or
    ``A``'s shape without its last dim."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])


def inv(A: Tensor) -> Tensor:
    r"""$A^{-1}$ of each square matrix, as ``torch.linalg.inv`` (``ops.Inv``:
    $\bar A = -A^{-T} \bar Y A^{-T}$); :class:`LinAlgError` for a singular one."""
    return ops.Inv.apply(_matrices(A, "inv", square=True))


def det(A: Tensor) -> Tensor:
    r"""$\det A$ of each square matrix, as ``torch.linalg.det`` (``ops.Det``:
    $\bar A = \bar y \det(A) A^{-T}$, exact at singular matrices too)."""
    return ops.Det.apply(_matrices(A, "det", square=True))


def slogdet(A: Tensor) -> SlogdetResult:
    r"""The sign of $\det A$ and $\log |\det A|$, as ``torch.linalg.slogdet``: no overflow where
    $\det A$ is huge or tiny. $\bar A = \bar l\, A^{-T}$ (``ops.Slogdet``)."""
    packed = ops.Slogdet.apply(_matrices(A, "slogdet", square=True))
    return SlogdetResult(packed[..., 0], packed[..., 1])


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    r"""$X = A^{-1} B$ (``left=False``: $X = B A^{-1}$), as ``torch.linalg.solve``: ``B`` a
    batch of vectors ``(*, n)`` or of matrices ``(*, n, k)``, batch dims broadcast.
    $\bar B = A^{-T} \bar X$, $\bar A = -\bar B X^T$ (``ops.Solve``)."""
    A = _matrices(A, "solve", square=True)
    _tensor_arg(B, "linalg.solve", "B")
    if B._data.dtype != A._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{A.dtype} and B of type {B.dtype} instead"
        )
    vector = _is_vector(A, B)
    if not left:
        if vector:
            return solve(A.mT, B)
        return solve(A.mT, B.mT).mT
    b = B.unsqueeze(-1) if vector else B
    n = A.shape[-1]
    if b.ndim < 2 or b.shape[-2] != n:
        got = "x".join(map(str, B.shape[-2:] if B.ndim > 1 else (B.shape[0], 1)))
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({n}x{n} and {got})"
        )
    try:
        np.broadcast_shapes(A.shape[:-2], b.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"linalg.solve: the batch dims of A {tuple(A.shape)} and B {tuple(B.shape)} do not "
            "broadcast"
        ) from None
    x = ops.Solve.apply(A, b)
    return x.squeeze(-1) if vector else x


def pinv(
    A: Tensor, *, atol: float | None = None, rtol: float | None = None, hermitian: bool = False
) -> Tensor:
    r"""The Moore-Penrose pseudo-inverse $A^+$, as ``torch.linalg.pinv``: singular values at
    most $\max(\text{atol}, \text{rtol}\, s_1)$ count as 0; ``rtol`` is $\epsilon \max(m, n)$
    when neither is given (0 when only ``atol`` is). ``hermitian`` reads $A$ as symmetric (an
    eigendecomposition). Gradient for matrices of locally constant rank (``ops.Pinv``)."""
    A = _matrices(A, "pinv", square=hermitian)
    if rtol is None:
        rtol = np.finfo(A._data.dtype).eps * max(A.shape[-2:]) if atol is None else 0.0
    return ops.Pinv.apply(A, atol=0.0 if atol is None else atol, rtol=rtol, hermitian=hermitian)


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None) -> Any:
    r"""The least-squares solution $X = \arg\min \|AX - B\|_F$ (the one of least norm when $A$
    has not full rank), as ``torch.linalg.lstsq`` with its CPU default driver ``"gelsy"``:
    ``solution`` is $A^+ B$ (singular values below ``rcond`` times the largest dropped;
    $\epsilon \max(m, n)$ by default), ``rank`` the rank so found, and ``residuals`` and
    ``singular_values`` empty, as that driver leaves them. The gradient is $A^+$'s."""
    A = _matrices(A, "lstsq")
    _tensor_arg(B, "linalg.lstsq", "B")
    if B._data.dtype != A._data.dtype:
        raise RuntimeError(
            f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
            f"input's dtype {A.dtype} and other's dtype {B.dtype}"
        )
    if driver not in (None, "gelsy", "gelsd", "gelss", "gels"):
        raise RuntimeError(f"torch.linalg.lstsq: parameter `driver` got an unknown value {driver}")
    b = B.unsqueeze(-1) if _is_vector(A, B) else B
    if b.ndim < 2 or b.shape[-2] != A.shape[-2]:
        raise RuntimeError(
            f"torch.linalg.lstsq: input.size(-2) should match other.size(-2), got A of shape "
            f"{tuple(A.shape)} and B of shape {tuple(B.shape)}"
        )
    if rcond is None:
        rcond = float(np.finfo(A._data.dtype).eps * max(A.shape[-2:]))
    x = pinv(A, rtol=rcond) @ b
    s = np.linalg.svd(A._data, compute_uv=False)
    rank = np.asarray((s > rcond * s.max(-1, keepdims=True, initial=0)).sum(-1), np.int64)
    empty = wrap(np.zeros(0, A._data.dtype))
    return LstsqResult(x.squeeze(-1) if b is not B else x, empty, wrap(rank), empty)


# -- factorisations -------------------------------------------------------------------------


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    r"""The lower-triangular $L$ with $A = L L^T$ of each symmetric positive-definite matrix
    (read from its lower triangle), as ``torch.linalg.cholesky``; ``upper=True`` gives
    $L^T$. :class:`LinAlgError` when $A$ is not positive-definite (``ops.Cholesky``)."""
    L = ops.Cholesky.apply(_matrices(A, "cholesky", square=True))
    return L.mT if upper else L


def qr(A: Tensor, mode: str = "reduced") -> QRResult:
    """$A = QR$, $Q$ with orthonormal columns and $R$ upper triangular, as
    ``torch.linalg.qr``: ``mode`` ``"reduced"`` ($k = \\min(m, n)$ columns of $Q$),
    ``"complete"`` ($Q$ square) or ``"r"`` (``Q`` empty). Gradient for square $R$
    (``ops.Qr``)."""
    A = _matrices(A, "qr")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    m = A.shape[-2]
    packed = ops.Qr.apply(A, mode="complete" if mode == "complete" else "reduced")
    R = packed[..., m:]
    if mode == "r":
        return QRResult(wrap(np.zeros(0, A._data.dtype)), R)
    return QRResult(packed[..., :m].mT, R)


def eigh(A: Tensor, UPLO: str = "L") -> EighResult:
    r"""The eigenvalues (ascending) and orthonormal eigenvectors (columns) of each symmetric
    matrix, read from its triangle ``UPLO``, as ``torch.linalg.eigh``: $A = V
    \operatorname{diag}(w) V^T$. The gradient (``ops.Eigh``) needs distinct eigenvalues when
    the eigenvectors are used."""
    A = _matrices(A, "eigh", square=True)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"linalg.eigh: Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    packed = ops.Eigh.apply(A, uplo=UPLO)
    return EighResult(packed[..., 0, :], packed[..., 1:, :])


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    r"""The eigenvalues of each symmetric matrix, ascending, as ``torch.linalg.eigvalsh``:
    $\bar A = V \operatorname{diag}(\bar w) V^T$."""
    return eigh(A, UPLO).eigenvalues


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> SVDResult:
    r"""$A = U \operatorname{diag}(S) V^h$, singular values descending, as ``torch.linalg.svd``;
    with ``full_matrices`` $U$ and $V^h$ are square, else they have $\min(m, n)$ columns and
    rows. As in PyTorch, the columns beyond $\min(m, n)$ get no gradient, and the gradient
    (``ops.Svd``) needs distinct non-zero singular values when $U$ or $V^h$ is used."""
    A = _matrices(A, "svd")
    m, n = A.shape[-2:]
    k = min(m, n)
    packed = ops.Svd.apply(A, full_matrices=full_matrices)
    u_cols, v_rows = (m, n) if full_matrices else (k, k)
    return SVDResult(packed[..., :u_cols, :m].mT, packed[..., :k, m], packed[..., :v_rows, m + 1 :])


def svdvals(A: Tensor) -> Tensor:
    r"""The singular values of each matrix, descending, as ``torch.linalg.svdvals``:
    $\bar A = U \operatorname{diag}(\bar s) V^T$ (``ops.Svdvals``)."""
    return ops.Svdvals.apply(_matrices(A, "svdvals"))


# -- products -------------------------------------------------------------------------------


def matrix_power(A: Tensor, n: int) -> Tensor:
    """$A^n$ of each square matrix by repeated squaring (about $2\\log_2 n$ products), as
    ``torch.linalg.matrix_power``: $A^0 = I$ (gradient 0), $A^{-n} = (A^{-1})^n$."""
    A = _matrices(A, "matrix_power", square=True, floating=False)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"linalg.matrix_power: n must be an int, got {type(n).__name__}")
    if n < 0:
        A, n = inv(A), -n
    result, power = None, A
    while n:
        if n & 1:
            result = power if result is None else result @ power
        n >>= 1
        if n:
            power = power @ power
    if result is None:  # A^0: the identity, connected to A with gradient 0 (as PyTorch's)
        return A * 0 + wrap(np.eye(A.shape[-1], dtype=A._data.dtype))
    return result


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    r"""The cross product $a \times b$ of 3-vectors along ``dim``, batch dims broadcast (of
    tensors with as many dims), as ``torch.linalg.cross``:
    $(a_2 b_3 - a_3 b_2,\ a_3 b_1 - a_1 b_3,\ a_1 b_2 - a_2 b_1)$."""
    _tensor_arg(input, "linalg.cross", "input")
    _tensor_arg(other, "linalg.cross", "other")
    if input.ndim != other.ndim:
        raise RuntimeError(
            f"linalg.cross: inputs must have the same number of dimensions, got shapes "
            f"{tuple(input.shape)} and {tuple(other.shape)}"
        )
    a, b = broadcast_tensors(input, other)
    d = _dim(dim, a.ndim, "linalg.cross")
    if input.shape[dim] != 3 or other.shape[dim] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got "
            f"{input.shape[dim]} and {other.shape[dim]}"
        )
    return a.roll(-1, d) * b.roll(-2, d) - a.roll(-2, d) * b.roll(-1, d)


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of a chain of matrices, as ``torch.linalg.multi_dot``: the first may be a
    row vector and the last a column vector (1-d), which the result then lacks. Multiplied
    left to right."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        _tensor_arg(t, "multi_dot", f"tensors[{i}]")
        ends = (0, len(tensors) - 1)
        if t.ndim != 2 and not (t.ndim == 1 and i in ends):
            what = "the first and last tensors must be 1D or 2D" if i in ends else "must be 2D"
            raise RuntimeError(f"multi_dot(): tensor {i} {what} but got {t.ndim}D")
    out = tensors[0]
    for i, t in enumerate(tensors[1:], 1):
        if out.shape[-1] != t.shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i - 1} and {i} with shapes {tuple(tensors[i - 1].shape)} "
                f"and {tuple(t.shape)} cannot be multiplied"
            )
        out = out @ t
    return out
