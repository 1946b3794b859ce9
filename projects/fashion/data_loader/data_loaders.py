"""Fashion-MNIST from its original IDX files (the Debian package dataset-fashion-mnist installs them)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import TensorDataset

from base import BaseDataLoader

#: The ten classes, in label order (Zalando's names).
CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
FILES = {True: ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
         False: ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}


def read_idx(path: str | Path) -> np.ndarray:
    """One IDX file (gzip-compressed or not) as a NumPy array: the format's magic number gives its shape."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if data[:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_fashion_mnist(data_dir: str | Path, train: bool, limit: int | None = None, seed: int = 0) -> TensorDataset:
    """Images as uint8 tensors (N, 1, 28, 28) and labels as int64, optionally a seeded random subset of `limit`.

    The images stay as raw pixels 0-255: the model scales them itself (`model.FashionCNN`), so the
    exported model takes what a camera or a PNG gives, and no statistic is fitted on any data.
    """
    data_dir = Path(data_dir)
    images_file, labels_file = (data_dir / name for name in FILES[train])
    for file in (images_file, labels_file):
        if not file.exists():
            raise FileNotFoundError(
                f"Fashion-MNIST is missing ({file}): install the Debian package dataset-fashion-mnist "
                f"(make setup, or sudo apt-get install dataset-fashion-mnist), or set data_loader.args.data_dir.\n"
                f"Fashion-MNIST 파일이 없습니다({file}). Debian 패키지 dataset-fashion-mnist를 설치하거나 "
                f"data_loader.args.data_dir를 바꾸세요.")
    images = torch.from_numpy(read_idx(images_file).copy()).unsqueeze(1)
    labels = torch.from_numpy(read_idx(labels_file).astype(np.int64))
    if limit is not None and limit < len(labels):
        keep = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))[:limit]
        images, labels = images[keep], labels[keep]
    return TensorDataset(images, labels)


class FashionMnistDataLoader(BaseDataLoader):
    """Training (with a validation split) or test batches of Fashion-MNIST."""

    def __init__(self, data_dir: str, batch_size: int, shuffle: bool = True, validation_split: float = 0.1,
                 num_workers: int = 0, training: bool = True, limit: int | None = None, seed: int = 0):
        dataset = load_fashion_mnist(data_dir, train=training, limit=limit if training else None, seed=seed)
        super().__init__(dataset, batch_size, shuffle, validation_split, num_workers, seed=seed)
