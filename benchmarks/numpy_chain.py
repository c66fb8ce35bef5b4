r"""Hand-written numpy forward and backward of a long chain of small element-wise ops
(benchmark rows 3 and 4: the per-op overhead of an engine).

The chain repeats three ops on vectors of 16 elements:
$h \leftarrow h w$, $h \leftarrow h + b$, $h \leftarrow \tanh h$, starting from $h = x$;
the loss is $E = \sum_i h_i$. Backward walks the tape in reverse with the chain rule
(notes §9–10): $\bar h \leftarrow \bar h\, w$ (and $\bar w \mathrel{+}= \bar h\, h_\text{in}$
when $w$ is a leaf) for the product, $\bar b \mathrel{+}= \bar h$ for the sum when $b$ is a
leaf, $\bar h \leftarrow \bar h (1 - \tanh^2)$ for tanh.

The rows come in three forms of the operands $w$ and $b$:
- ``"leaves"``: $w$ and $b = x$ require gradients; they feed every third op, so their
  gradients accumulate along the whole chain, as a shared weight's does in a recurrent network;
- ``"constants"``: $w$ and $b$ are constant arrays; only $x$ gets a gradient;
- ``"numbers"``: $w$ and $b$ are Python numbers (``NUMBERS``); only $x$ gets a gradient.
A careful hand does no work for an operand that needs no gradient, and neither does this code.
"""

from __future__ import annotations

import numpy as np

OPS = ("mul", "add", "tanh")
FORMS = ("leaves", "constants", "numbers")
NUMBERS = (1.0001, 0.0001)  # w and b of the "numbers" form


def chain_forward(
    x: np.ndarray, w: np.ndarray | float, b: np.ndarray | float, n_ops: int, keep_inputs: bool
) -> tuple[np.ndarray, list]:
    """The chain's output and the tape of saved arrays (one per op) for backward: each
    tanh's output, and each product's input when ``keep_inputs`` (for the gradient of w)."""
    h = x
    tape = []
    for i in range(n_ops):
        op = i % 3
        if op == 0:
            tape.append(h if keep_inputs else None)
            h = h * w
        elif op == 1:
            tape.append(None)
            h = h + b
        else:
            h = np.tanh(h)
            tape.append(h)  # tanh' = 1 - tanh^2 comes from the output
    return h, tape


def chain_backward(
    x: np.ndarray, w: np.ndarray, tape: list, out: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The gradients of ``sum(out)`` with respect to ``x`` and ``w`` (form ``"leaves"``,
    where ``b`` is ``x``)."""
    g = np.ones_like(out)
    gx = np.zeros_like(x)
    gw = np.zeros_like(w)
    for i in range(len(tape) - 1, -1, -1):
        op = i % 3
        saved = tape[i]
        if op == 0:
            gw += g * saved
            g = g * w
        elif op == 1:
            gx += g
        else:
            g = g * (1 - saved * saved)
    gx += g  # the chain starts from h = x
    return gx, gw


def chain_backward_start(w: np.ndarray | float, tape: list, out: np.ndarray) -> np.ndarray:
    """The gradient of ``sum(out)`` with respect to the start ``x`` alone (forms
    ``"constants"`` and ``"numbers"``)."""
    g = np.ones_like(out)
    for i in range(len(tape) - 1, -1, -1):
        op = i % 3
        if op == 0:
            g = g * w
        elif op == 2:
            saved = tape[i]
            g = g * (1 - saved * saved)
    return g


def chain_grad(
    x: np.ndarray, w: np.ndarray | float, b: np.ndarray | float, n_ops: int, form: str
) -> list[np.ndarray]:
    """Forward then backward: one timed iteration of a chain row. Returns the gradients of
    the leaves: ``[x, w]`` for ``"leaves"`` (where ``b`` is ``x``), ``[x]`` otherwise."""
    if form == "leaves":
        out, tape = chain_forward(x, w, x, n_ops, keep_inputs=True)
        return list(chain_backward(x, w, tape, out))
    out, tape = chain_forward(x, w, b, n_ops, keep_inputs=False)
    return [chain_backward_start(w, tape, out)]
