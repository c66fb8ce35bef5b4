"""Data sets with no download: the shipped 8x8 digits, the notes' small sets, and a loader
for MNIST IDX files you already have."""

from .digits import load_digits
from .idx import (
    IDXFormatError,
    load_mnist,
    load_mnist_files,
    read_idx,
    write_idx,
)
from .logic_gates import logic_gate, xor
from .noisy_line import noisy_line

__all__ = [
    "IDXFormatError",
    "load_digits",
    "load_mnist",
    "load_mnist_files",
    "logic_gate",
    "noisy_line",
    "read_idx",
    "write_idx",
    "xor",
]
