"""Datasets, mini-batch loading and augmentation, with PyTorch's names (notes §11, §14)."""

from .combine import ChainDataset, ConcatDataset, StackDataset
from .dataloader import DataLoader
from .dataset import (
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    default_collate,
    default_convert,
    random_split,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from .transforms import Compose, RandomRotation, RandomShift, rotate, shift
from .workers import WorkerInfo, get_worker_info

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "Compose",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomRotation",
    "RandomSampler",
    "RandomShift",
    "Sampler",
    "SequentialSampler",
    "StackDataset",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
    "rotate",
    "shift",
]
