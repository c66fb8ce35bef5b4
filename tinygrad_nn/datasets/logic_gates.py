"""Truth tables of the logic gates the notes use for perceptrons (§6.2, §7.1).

Inputs in the notes' order ``[0,0], [0,1], [1,0], [1,1]``. XOR is the exclusive or,
``[0,0]->0, [0,1]->1, [1,0]->1, [1,1]->0``: the notes' §7.1 prints XOR's table as
``1, 1, 1, 0``, which is NAND (a slip), and then rightly says XOR has no linear classifier.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GATES", "logic_gate", "xor"]

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])

GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}
"""The targets of each gate for the inputs (0, 0), (0, 1), (1, 0), (1, 1), by gate name."""


def logic_gate(name: str, dtype: np.dtype | type = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of gate ``name`` (AND, OR, NAND, NOR, XOR, XNOR; any case) as
    ``(X, t)``: inputs (4, 2) and targets (4, 1), both of ``dtype`` (targets as a column,
    to match the output of a network with one output neuron)."""
    key = str(name).upper()
    if key not in GATES:
        raise ValueError(f"logic_gate: unknown gate {name!r}; choose one of {sorted(GATES)}")
    X = INPUTS.astype(dtype)
    t = np.array(GATES[key], dtype=dtype).reshape(4, 1)
    return X, t


def xor(dtype: np.dtype | type = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table (§6.2), ``logic_gate("XOR")``."""
    return logic_gate("XOR", dtype)
