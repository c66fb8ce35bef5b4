"""Datasets, mini-batch loading and augmentation, with PyTorch's names (notes §11, §14)."""

from .dataloader import DataLoader
from .dataset import Dataset, Subset, TensorDataset, default_collate, random_split
from .transforms import Compose, RandomRotation, RandomShift, rotate, shift
from .workers import WorkerInfo, get_worker_info

__all__ = [
    "Compose",
    "DataLoader",
    "Dataset",
    "RandomRotation",
    "RandomShift",
    "Subset",
    "TensorDataset",
    "WorkerInfo",
    "default_collate",
    "get_worker_info",
    "random_split",
    "rotate",
    "shift",
]
