"""Rebuild a trained model from a checkpoint that train.py saved."""

from __future__ import annotations

from pathlib import Path

import torch

import model.model as module_arch


def load_model(checkpoint_path: str | Path) -> tuple[torch.nn.Module, dict]:
    """The checkpoint's model in eval mode, and the whole checkpoint (its "config" says how it was trained)."""
    checkpoint = torch.load(checkpoint_path, map_location="cpu", weights_only=False)
    config = checkpoint["config"]
    model = getattr(module_arch, config["arch"]["type"])(**config["arch"]["args"])
    model.load_state_dict(checkpoint["state_dict"])
    return model.eval(), checkpoint
