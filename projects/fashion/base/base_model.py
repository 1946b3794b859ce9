"""The base of every model: `forward` is the model's own, printing shows the trainable parameter count."""

from __future__ import annotations

from abc import abstractmethod

import torch.nn as nn


class BaseModel(nn.Module):
    @abstractmethod
    def forward(self, *inputs):
        """The forward pass."""
        raise NotImplementedError

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters() if p.requires_grad)

    def __str__(self) -> str:
        return super().__str__() + f"\nTrainable parameters: {self.num_parameters():,}"
