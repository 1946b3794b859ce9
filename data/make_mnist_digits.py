"""Make a small MNIST-format data set from scikit-learn's bundled handwritten digits.

작은 MNIST 형식 데이터셋을 scikit-learn에 들어 있는 손글씨 숫자로 만듭니다.

`sklearn.datasets.load_digits()` holds 1,797 real handwritten digits (8x8, values 0..16, CC BY 4.0).
Each is upscaled to 28x28 uint8 (bilinear, values 0..255) and written in MNIST's own IDX format,
uncompressed, where `torchvision.datasets.MNIST(root, download=False)` looks for it:
`<root>/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte`. The split is fixed: a seeded
permutation, the first 1,497 images train, the last 300 test. Deterministic: running it twice
writes identical bytes.

Run from the repository root:  python data/make_mnist_digits.py
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent / "mnist_digits" / "MNIST" / "raw"
N_TEST = 300
SEED = 0


def upscale(images: np.ndarray) -> np.ndarray:
    """(N, 8, 8) values 0..16 -> (N, 28, 28) uint8 values 0..255."""
    x = torch.from_numpy(images.astype(np.float32) / 16.0).unsqueeze(1)
    # 8 -> 20 pixels, then a 4-pixel border like MNIST's 20x20 digit in a 28x28 frame
    x = F.interpolate(x, size=(20, 20), mode="bilinear", align_corners=False)
    x = F.pad(x, (4, 4, 4, 4))
    return (x.squeeze(1).clamp(0, 1) * 255).round().to(torch.uint8).numpy()


def write_images(path: Path, images: np.ndarray) -> None:
    n, rows, cols = images.shape
    with open(path, "wb") as f:
        f.write(struct.pack(">IIII", 0x00000803, n, rows, cols))
        f.write(images.astype(np.uint8).tobytes())


def write_labels(path: Path, labels: np.ndarray) -> None:
    with open(path, "wb") as f:
        f.write(struct.pack(">II", 0x00000801, len(labels)))
        f.write(labels.astype(np.uint8).tobytes())


def main() -> None:
    digits = load_digits()
    images = upscale(digits.images)
    labels = digits.target.astype(np.uint8)
    order = np.random.default_rng(SEED).permutation(len(labels))
    train, test = order[:-N_TEST], order[-N_TEST:]
    OUT.mkdir(parents=True, exist_ok=True)
    write_images(OUT / "train-images-idx3-ubyte", images[train])
    write_labels(OUT / "train-labels-idx1-ubyte", labels[train])
    write_images(OUT / "t10k-images-idx3-ubyte", images[test])
    write_labels(OUT / "t10k-labels-idx1-ubyte", labels[test])
    print(f"wrote {len(train)} train and {len(test)} test images to {OUT}")


if __name__ == "__main__":
    main()
