"""The epoch loop every trainer shares: monitoring, early stopping, a checkpoint every epoch, resuming."""

from __future__ import annotations

import math
import os
from abc import abstractmethod
from pathlib import Path

import torch

from logger import TensorboardWriter


class BaseTrainer:
    """Subclasses write `_train_epoch(epoch) -> dict of logged values`; this class does the rest.

    `monitor` is "off" or "<min|max> <key>", e.g. "max val_accuracy": the checkpoint with the best
    value is also written as model_best.pth, and after `early_stop` epochs without improvement the
    run stops. Every `save_period` epochs it writes checkpoint-epoch<N>.pth, and after every epoch
    latest.pth, so an interrupted run resumes from its last finished epoch (`-r .../latest.pth`).
    """

    def __init__(self, model, criterion, metric_ftns, optimizer, lr_scheduler, config):
        self.config = config
        self.logger = config.get_logger("trainer", config["trainer"]["verbosity"])
        self.model = model
        self.criterion = criterion
        self.metric_ftns = metric_ftns
        self.optimizer = optimizer
        self.lr_scheduler = lr_scheduler

        cfg = config["trainer"]
        self.epochs = cfg["epochs"]
        self.save_period = cfg["save_period"]
        self.monitor = cfg.get("monitor", "off")
        if self.monitor == "off":
            self.mnt_mode, self.mnt_best = "off", 0.0
        else:
            self.mnt_mode, self.mnt_metric = self.monitor.split()
            if self.mnt_mode not in ("min", "max"):
                raise ValueError(f"trainer.monitor must start with min or max, got {self.monitor!r}")
            self.mnt_best = math.inf if self.mnt_mode == "min" else -math.inf
        self.early_stop = cfg.get("early_stop") or math.inf
        self.not_improved = 0
        self.start_epoch = 1
        self.checkpoint_dir = config.save_dir
        self.writer = TensorboardWriter(config.log_dir, self.logger, cfg["tensorboard"])
        if config.resume is not None:
            self._resume_checkpoint(config.resume)

    @abstractmethod
    def _train_epoch(self, epoch: int) -> dict:
        raise NotImplementedError

    def train(self) -> dict:
        """Train from `start_epoch` to `epochs`; return the last epoch's log."""
        log: dict = {}
        for epoch in range(self.start_epoch, self.epochs + 1):
            log = {"epoch": epoch, **self._train_epoch(epoch)}
            for key, value in log.items():
                self.logger.info(f"    {key:15s}: {value}")

            best = False
            if self.mnt_mode != "off":
                if self.mnt_metric not in log:
                    raise KeyError(f"trainer.monitor names {self.mnt_metric!r}, which the epoch did not log: "
                                   f"{sorted(log)}")
                value = log[self.mnt_metric]
                improved = value < self.mnt_best if self.mnt_mode == "min" else value > self.mnt_best
                if improved:
                    self.mnt_best, self.not_improved, best = value, 0, True
                else:
                    self.not_improved += 1
            self._save_checkpoint(epoch, save_best=best)
            if self.not_improved >= self.early_stop:
                self.logger.info(f"Validation {self.mnt_metric} did not improve for {self.early_stop} epochs: "
                                 f"early stop after epoch {epoch}.")
                break
        self.writer.close()
        return log

    def _state(self, epoch: int) -> dict:
        return {
            "arch": type(self.model).__name__,
            "epoch": epoch,
            "state_dict": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "lr_scheduler": self.lr_scheduler.state_dict() if self.lr_scheduler is not None else None,
            "monitor_best": self.mnt_best,
            "not_improved": self.not_improved,
            "rng_state": torch.get_rng_state(),
            "config": dict(self.config.config),
        }

    def _save_checkpoint(self, epoch: int, save_best: bool = False) -> None:
        """Write the epoch's checkpoint(s). Each file is written whole, then renamed into place, so a run
        killed while saving leaves the previous file intact, never half of a new one."""
        state = self._state(epoch)
        names = ["latest.pth"]
        if epoch % self.save_period == 0:
            names.append(f"checkpoint-epoch{epoch}.pth")
        if save_best:
            names.append("model_best.pth")
        for name in names:
            path = self.checkpoint_dir / name
            tmp = path.with_name(name + ".tmp")
            torch.save(state, tmp)
            os.replace(tmp, path)
        self.logger.info(f"Saving checkpoint: {', '.join(names)}" + (" (best so far)" if save_best else ""))

    def _resume_checkpoint(self, resume_path: Path) -> None:
        self.logger.info(f"Loading checkpoint: {resume_path} ...")
        checkpoint = torch.load(resume_path, map_location="cpu", weights_only=False)
        if checkpoint["config"]["arch"] != self.config["arch"]:
            raise ValueError("The checkpoint's architecture (arch) differs from the configuration's: "
                             "resume with the configuration the run started with.")
        self.model.load_state_dict(checkpoint["state_dict"])
        if checkpoint["config"]["optimizer"]["type"] != self.config["optimizer"]["type"]:
            self.logger.warning("Optimizer type differs from the checkpoint's: its state is not restored.")
        else:
            self.optimizer.load_state_dict(checkpoint["optimizer"])
        if self.lr_scheduler is not None and checkpoint.get("lr_scheduler") is not None:
            self.lr_scheduler.load_state_dict(checkpoint["lr_scheduler"])
        self.start_epoch = checkpoint["epoch"] + 1
        self.mnt_best = checkpoint["monitor_best"]
        self.not_improved = checkpoint.get("not_improved", 0)
        torch.set_rng_state(checkpoint["rng_state"])
        self.logger.info(f"Checkpoint loaded. Resume training from epoch {self.start_epoch}")
