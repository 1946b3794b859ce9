"""The network: a small CNN for 28x28 grayscale images that takes raw pixels (0-255)."""

from __future__ import annotations

import torch
import torch.nn as nn

from base import BaseModel


class FashionCNN(BaseModel):
    """Two conv blocks and a classifier head; 10 logits out.

    Scaling the pixels lives inside the model (a fixed map from 0..255 to -1..1, fitted on nothing),
    so what is exported and served takes the same input the data files hold.
    """

    def __init__(self, channels: int = 16, dropout: float = 0.25, num_classes: int = 10):
        super().__init__()
        c = channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2),          # 14x14
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.BatchNorm2d(2 * c), nn.ReLU(), nn.MaxPool2d(2),  # 7x7
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(2 * c * 7 * 7, 64), nn.ReLU(),
                                  nn.Dropout(dropout), nn.Linear(64, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.float() / 127.5 - 1.0
        return self.head(self.features(x))
