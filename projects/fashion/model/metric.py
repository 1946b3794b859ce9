"""Metrics, named in config.json's "metrics": each takes logits (N, C) and labels (N,) and returns a float."""

import torch


def accuracy(output: torch.Tensor, target: torch.Tensor) -> float:
    with torch.no_grad():
        return (output.argmax(dim=1) == target).float().mean().item()


def top_k_accuracy(output: torch.Tensor, target: torch.Tensor, k: int = 3) -> float:
    with torch.no_grad():
        top = output.topk(k, dim=1).indices
        return (top == target.unsqueeze(1)).any(dim=1).float().mean().item()


def top_3_accuracy(output: torch.Tensor, target: torch.Tensor) -> float:
    return top_k_accuracy(output, target, k=3)
