"""A DataLoader that can hand back a validation DataLoader split off its own data set."""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n: int, validation_split: float, seed: int) -> tuple[list[int], list[int]]:
    """Training and validation indices of a data set of `n` items: a seeded permutation, cut once."""
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"validation_split must be in [0, 1), got {validation_split}")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()
    n_valid = int(round(n * validation_split))
    return order[n_valid:], order[:n_valid]


class BaseDataLoader(DataLoader):
    """Split `dataset` once into training and validation parts with a seeded permutation.

    The split depends only on `seed`, never on the order training later draws batches in, so a
    resumed run validates on exactly the same images. Shuffling uses a generator seeded per epoch
    (`set_epoch`), so epoch 3 sees the same order whether or not the run was interrupted before it.
    """

    def __init__(self, dataset, batch_size: int, shuffle: bool, validation_split: float, num_workers: int,
                 seed: int = 0):
        self.seed = seed
        self.train_indices, self.valid_indices = split_indices(len(dataset), validation_split, seed)
        self.generator = torch.Generator().manual_seed(seed)
        self.init_kwargs = {"batch_size": batch_size, "num_workers": num_workers}
        super().__init__(Subset(dataset, self.train_indices), shuffle=shuffle, generator=self.generator,
                         **self.init_kwargs)
        self.full_dataset = dataset

    def set_epoch(self, epoch: int) -> None:
        """Make the shuffle of `epoch` a function of (seed, epoch) alone."""
        self.generator.manual_seed(self.seed * 1_000_003 + epoch)

    def split_validation(self) -> DataLoader | None:
        """The validation DataLoader (in a fixed order), or None when validation_split is 0."""
        if not self.valid_indices:
            return None
        return DataLoader(Subset(self.full_dataset, self.valid_indices), shuffle=False, **self.init_kwargs)
