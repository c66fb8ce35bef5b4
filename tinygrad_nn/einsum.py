r"""``einsum``: PyTorch's Einstein summation, ``tnn.einsum("bij,bjk->bik", a, b)``.

The equation is read here (spaces, ``...``, the implicit output of the letters used once, in
alphabetical order after the ``...`` dims); the sum and its gradient are one op,
``ops.Einsum``. As in PyTorch, dims of size 1 broadcast against the same letter's size in
another operand, and so do the dims under ``...``.
"""

from __future__ import annotations

import string
from typing import Any

from . import ops
from .tensor import Tensor, _same_dtype

__all__ = ["einsum"]

_LETTERS = set(string.ascii_letters)


def einsum(equation: str, *operands: Any) -> Tensor:
    r"""The sum over the repeated letters of ``equation`` of the operands' products, as
    ``torch.einsum``: ``"ij,jk->ik"`` is a matrix product, ``"ii"`` a trace, ``"bi,bi->b"``
    row-wise dot products, ``"...ij->...ji"`` a transpose of the last two dims. Without
    ``->`` the output holds the letters used once, in alphabetical order. The operands may
    also be given as one list."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for i, t in enumerate(operands):
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum(): operand {i} must be a Tensor, got {type(t).__name__}")
    inputs, output = _parse(equation, [t.ndim for t in operands])
    for t in operands[1:]:
        _same_dtype(operands[0], t, "einsum()")
    sizes: dict[str, int] = {}
    for i, (t, letters) in enumerate(zip(operands, inputs)):
        for c, n in zip(letters, t.shape):
            if sizes.get(c, 1) not in (1, n) and n != 1:
                raise RuntimeError(
                    f"einsum(): operands do not broadcast with remapped shapes: subscript "
                    f"{c!r} has size {n} in operand {i} (shape {tuple(t.shape)}) and "
                    f"{sizes[c]} elsewhere"
                )
            if n != 1 or c not in sizes:
                sizes[c] = n
    operands = tuple(
        t.expand(*(sizes[c] for c in letters))
        if any(sizes[c] != n for c, n in zip(letters, t.shape))
        else t
        for t, letters in zip(operands, inputs)
    )
    return ops.Einsum.apply(*operands, inputs=tuple(inputs), output=output)


def _parse(equation: str, ndims: list[int]) -> tuple[list[str], str]:
    """The operands' letters and the output's, with each ``...`` replaced by letters the
    equation does not use (right-aligned: an operand with fewer such dims takes the last)."""
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): equation must be a str, got {type(equation).__name__}")
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        more = "more" if len(ndims) > len(terms) else "fewer"
        raise RuntimeError(
            f"einsum(): {more} operands were provided than specified in the equation "
            f"{equation!r} ({len(ndims)} operands, {len(terms)} terms)"
        )
    for term in (*terms, rhs):
        bad = set(term.replace("...", "")) - _LETTERS
        if bad or term.count("...") > 1:
            raise RuntimeError(
                f"einsum(): invalid subscript in {term!r} of {equation!r}: subscripts are "
                "letters [a-zA-Z] and at most one '...'"
            )
    spare = sorted(_LETTERS - set(equation))
    ellipsis_dims = 0
    for i, (term, ndim) in enumerate(zip(terms, ndims)):
        named = len(term.replace("...", ""))
        if ("..." in term and named > ndim) or ("..." not in term and named != ndim):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({named}) does not match "
                f"the number of dimensions ({ndim}) for operand {i}"
                + ("" if "..." in term else " and no ellipsis was given")
            )
        if "..." in term:
            ellipsis_dims = max(ellipsis_dims, ndim - named)
    dots = "".join(spare[:ellipsis_dims])
    inputs = [t.replace("...", dots[len(dots) - (n - len(t) + 3) :]) for t, n in zip(terms, ndims)]
    if arrow:
        output = rhs.replace("...", dots)
        used = set("".join(terms))
        for c in rhs.replace("...", ""):
            if c not in used:
                raise RuntimeError(
                    f"einsum(): output subscript {c!r} does not appear in the equation for any "
                    "input operand"
                )
            if rhs.count(c) > 1:
                raise RuntimeError(
                    f"einsum(): output subscript {c!r} appears more than once in the output"
                )
    else:
        letters = "".join(terms).replace("...", "")
        output = dots + "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return inputs, output
