"""Datasets, mini-batch loading and augmentation, with PyTorch's names (notes §11, §14)."""

from tinygrad_nn.data.dataloader import DataLoader
from tinygrad_nn.data.dataset import Dataset, Subset, TensorDataset, default_collate, random_split
from tinygrad_nn.data.transforms import Compose, RandomRotation, RandomShift, rotate, shift

__all__ = [
    "Compose",
    "DataLoader",
    "Dataset",
    "RandomRotation",
    "RandomShift",
    "Subset",
    "TensorDataset",
    "default_collate",
    "random_split",
    "rotate",
    "shift",
]
