"""``tinygrad_nn.utils``: PyTorch's import paths, so that ``from torch.utils.data import
DataLoader`` becomes ``from tinygrad_nn.utils.data import DataLoader``."""

from . import data

__all__ = ["data"]
