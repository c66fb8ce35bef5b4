r"""Hand-written numpy forward and backward of a long chain of small element-wise ops
(benchmark rows 3 and 4: the per-op overhead of an engine).

The chain repeats three ops on vectors ``x`` and ``w`` (16 elements):
$h \leftarrow h w$, $h \leftarrow h + x$, $h \leftarrow \tanh h$, starting from $h = x$;
the loss is $E = \sum_i h_i$. Backward walks the tape in reverse with the chain rule
(notes §9–10): $\bar h \leftarrow \bar h\, w$ and $\bar w \mathrel{+}= \bar h\, h_\text{in}$
for the product, $\bar x \mathrel{+}= \bar h$ for the sum, $\bar h \leftarrow \bar h (1 -
\tanh^2)$ for tanh. ``x`` and ``w`` are used by every third op, so their gradients
accumulate along the whole chain, as a shared weight's does in a recurrent network.
"""

from __future__ import annotations

import numpy as np

OPS = ("mul", "add", "tanh")


def chain_forward(x: np.ndarray, w: np.ndarray, n_ops: int) -> tuple[np.ndarray, list]:
    """The chain's output and the tape of saved arrays (one per op) for backward."""
    h = x
    tape = []
    for i in range(n_ops):
        op = i % 3
        if op == 0:
            tape.append(h)  # the input of the product
            h = h * w
        elif op == 1:
            tape.append(None)
            h = h + x
        else:
            h = np.tanh(h)
            tape.append(h)  # tanh' = 1 - tanh^2 comes from the output
    return h, tape


def chain_backward(
    x: np.ndarray, w: np.ndarray, tape: list, out: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The gradients of ``sum(out)`` with respect to ``x`` and ``w``."""
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


def chain_grad(x: np.ndarray, w: np.ndarray, n_ops: int) -> tuple[np.ndarray, np.ndarray]:
    """Forward then backward: one timed iteration of rows 3 and 4."""
    out, tape = chain_forward(x, w, n_ops)
    return chain_backward(x, w, tape, out)
