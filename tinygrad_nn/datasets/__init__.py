"""Data sets with no download: the shipped 8x8 digits, the notes' small sets, and a loader
for MNIST IDX files you already have."""

from tinygrad_nn.datasets.digits import load_digits
from tinygrad_nn.datasets.idx import (
    IDXFormatError,
    load_mnist,
    load_mnist_files,
    read_idx,
    write_idx,
)
from tinygrad_nn.datasets.logic_gates import logic_gate, xor
from tinygrad_nn.datasets.noisy_line import noisy_line

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
