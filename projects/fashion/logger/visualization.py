"""TensorBoard logging: a SummaryWriter that knows the current step and whether it is training or validation."""

from __future__ import annotations

from datetime import datetime


class TensorboardWriter:
    """Wraps `torch.utils.tensorboard.SummaryWriter`: `set_step(step, "valid")` then `add_scalar("loss", v)`
    writes the tag `loss/valid` at that step. Disabled (every call a no-op) when `enabled` is false."""

    def __init__(self, log_dir, logger, enabled: bool):
        self.writer = None
        if enabled:
            from torch.utils.tensorboard import SummaryWriter

            self.writer = SummaryWriter(str(log_dir))
        self.step = 0
        self.mode = ""
        self.timer = datetime.now()

    def set_step(self, step: int, mode: str = "train") -> None:
        self.mode = mode
        self.step = step
        if step == 0:
            self.timer = datetime.now()
        else:
            duration = datetime.now() - self.timer
            self.add_scalar("steps_per_sec", 1 / max(duration.total_seconds(), 1e-9))
            self.timer = datetime.now()

    def add_scalar(self, tag: str, value: float) -> None:
        if self.writer is not None:
            self.writer.add_scalar(f"{tag}/{self.mode}", value, self.step)

    def add_image(self, tag: str, image, dataformats: str = "CHW") -> None:
        if self.writer is not None:
            self.writer.add_image(f"{tag}/{self.mode}", image, self.step, dataformats=dataformats)

    def add_histogram(self, tag: str, values) -> None:
        if self.writer is not None:
            self.writer.add_histogram(f"{tag}/{self.mode}", values, self.step, bins="auto")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
