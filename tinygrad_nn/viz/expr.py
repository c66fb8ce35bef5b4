"""Small expressions such as ``"tanh(a*b + c)"`` turned into tensors, safely.

The text is parsed with Python's ``ast`` and only a whitelist is evaluated: numbers, variable
names, ``+ - * / ** @``, unary ``-``/``+`` and calls of the functions in ``FUNCTIONS``.
Nothing is ``eval``-ed: attribute access, subscripts, keywords, lambdas and other names of
Python are rejected with an error naming what is not allowed.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..tensor import Tensor

__all__ = ["FUNCTIONS", "evaluate", "parse_value", "variables"]

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.MatMult: operator.matmul,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: lambda x: x}


def _method(name: str) -> Callable[..., Tensor]:
    return lambda x, *args: getattr(x, name)(*args)


#: The functions an expression may call, by name.
FUNCTIONS: dict[str, Callable[..., Tensor]] = {
    name: _method(name)
    for name in "tanh sigmoid relu exp log log1p sqrt abs arctan square sum mean softmax "
    "log_softmax logsumexp maximum minimum".split()
}
MAX_LENGTH = 1000
MAX_VALUE_SIZE = 10**6


def _parse(text: str) -> ast.Expression:
    if len(text) > MAX_LENGTH:
        raise ValueError(f"expression: longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(f"expression: cannot parse {text!r}: {err.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ValueError(
                f"expression: {type(node).__name__} is not allowed in {text!r}; use numbers, "
                f"names, + - * / ** @ and the functions {', '.join(sorted(FUNCTIONS))}"
            )
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = ast.unparse(node.func)
                raise ValueError(
                    f"expression: unknown function {what!r}; known: {', '.join(sorted(FUNCTIONS))}"
                )
            if node.keywords:
                raise ValueError(f"expression: keyword arguments are not allowed in {text!r}")
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, (int, float))
        ):
            raise ValueError(f"expression: only numbers may be constants, not {node.value!r}")
    return tree


_ALLOWED = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    *_BINARY,
    *_UNARY,
)


def variables(text: str) -> list[str]:
    """The variable names of ``text`` in order of first use (function names excluded)."""
    tree = _parse(text)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    used = sorted(
        (n.col_offset, n.id)
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and id(n) not in called
    )
    return list(dict.fromkeys(name for _, name in used))


def evaluate(text: str, values: Mapping[str, Tensor]) -> Tensor:
    """The value of ``text`` with each variable bound to the tensor in ``values``."""
    tree = _parse(text)

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ValueError(f"expression: no value for variable {node.id!r}")
            return values[node.id]
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](ev(node.operand))
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](ev(node.left), ev(node.right))
        args = [ev(a) for a in node.args]
        if not args or not isinstance(args[0], Tensor):
            raise ValueError(
                f"expression: {node.func.id}() needs a tensor expression as first argument"
            )
        return FUNCTIONS[node.func.id](*args)

    out = ev(tree)
    if not isinstance(out, Tensor):
        raise ValueError(f"expression: {text!r} has no variables, so there is no graph to draw")
    return out


def parse_value(spec: str, rng: np.random.Generator) -> np.ndarray:
    """A variable's value from the command line: ``2.5`` (scalar), ``1,2,3`` (vector), or
    random normal numbers (rounded to 2 decimals) of a shape: ``randn(3)``, ``randn(2,3)``,
    ``2x3``."""
    spec = spec.strip()
    try:
        shape = _random_shape(spec)
        if shape is not None:
            if math.prod(shape) > MAX_VALUE_SIZE:
                raise OverflowError
            return rng.standard_normal(shape).round(2).astype(np.float32)
        values = [float(v) for v in spec.split(",")] if "," in spec else [float(spec)]
        if len(values) > MAX_VALUE_SIZE or not np.all(np.isfinite(values)):
            raise ValueError
        return np.array(values if "," in spec else values[0], np.float32)
    except OverflowError:
        raise ValueError(
            f"the value {spec!r} has more than {MAX_VALUE_SIZE:,} numbers: too many to draw"
        ) from None
    except ValueError:
        raise ValueError(
            f"cannot read the value {spec!r}: give a number (2.5), a list (1,2,3) or random "
            "numbers of a shape (randn(3), randn(2,3) or 2x3)"
        ) from None


def _random_shape(spec: str) -> tuple[int, ...] | None:
    m = re.fullmatch(r"randn\(\s*(\d+(?:\s*,\s*\d+)*)\s*,?\s*\)", spec)
    if m:
        return tuple(int(n) for n in m.group(1).split(","))
    if re.fullmatch(r"\d+(?:x\d+)+", spec):
        return tuple(int(n) for n in spec.split("x"))
    return None
