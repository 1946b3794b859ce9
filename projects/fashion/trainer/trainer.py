"""One epoch of training and one of validation, with a progress bar and TensorBoard scalars."""

from __future__ import annotations

import sys

import torch
from torchvision.utils import make_grid
from tqdm import tqdm

from base import BaseTrainer
from utils import MetricTracker


class Trainer(BaseTrainer):
    def __init__(self, model, criterion, metric_ftns, optimizer, config, device, data_loader,
                 valid_data_loader=None, lr_scheduler=None):
        super().__init__(model, criterion, metric_ftns, optimizer, lr_scheduler, config)
        self.device = device
        self.data_loader = data_loader
        self.valid_data_loader = valid_data_loader
        self.len_epoch = len(data_loader)
        self.progress_bar = config["trainer"].get("progress_bar", True)
        names = [m.__name__ for m in self.metric_ftns]
        self.train_metrics = MetricTracker("loss", *names, writer=self.writer)
        # Validation is written once per epoch (its means), after the loop: see _valid_epoch.
        self.valid_metrics = MetricTracker("loss", *names)

    def _train_epoch(self, epoch: int) -> dict:
        self.model.train()
        self.train_metrics.reset()
        if hasattr(self.data_loader, "set_epoch"):
            self.data_loader.set_epoch(epoch)
        bar = tqdm(self.data_loader, desc=f"epoch {epoch}/{self.epochs}", unit="batch", leave=False,
                   disable=not self.progress_bar, file=sys.stderr, mininterval=1.0)
        for batch_idx, (data, target) in enumerate(bar):
            data, target = data.to(self.device), target.to(self.device)
            self.optimizer.zero_grad()
            output = self.model(data)
            loss = self.criterion(output, target)
            loss.backward()
            self.optimizer.step()

            self.writer.set_step((epoch - 1) * self.len_epoch + batch_idx)
            self.train_metrics.update("loss", loss.item(), n=len(target))
            for met in self.metric_ftns:
                self.train_metrics.update(met.__name__, met(output, target), n=len(target))
            bar.set_postfix(loss=f"{loss.item():.3f}", refresh=False)
        log = self.train_metrics.result()

        if self.valid_data_loader is not None:
            log.update({"val_" + k: v for k, v in self._valid_epoch(epoch).items()})
        if self.lr_scheduler is not None:
            self.writer.add_scalar("learning_rate", self.optimizer.param_groups[0]["lr"])
            self.lr_scheduler.step()
        return log

    def _valid_epoch(self, epoch: int) -> dict:
        """Metrics over the whole validation split, each weighted by batch size."""
        self.model.eval()
        self.valid_metrics.reset()
        first_batch = None
        with torch.no_grad():
            for data, target in self.valid_data_loader:
                if first_batch is None:
                    first_batch = data[:32]
                data, target = data.to(self.device), target.to(self.device)
                output = self.model(data)
                self.valid_metrics.update("loss", self.criterion(output, target).item(), n=len(target))
                for met in self.metric_ftns:
                    self.valid_metrics.update(met.__name__, met(output, target), n=len(target))
        self.writer.set_step(epoch * self.len_epoch, "valid")
        log = self.valid_metrics.result()
        for key, value in log.items():
            self.writer.add_scalar(key, value)
        # What the model sees, and how its weights are spread: TensorBoard's IMAGES and HISTOGRAMS tabs.
        self.writer.add_image("input", make_grid(first_batch.float() / 255, nrow=8))
        for name, parameter in self.model.named_parameters():
            self.writer.add_histogram(name, parameter.detach().cpu())
        return log
