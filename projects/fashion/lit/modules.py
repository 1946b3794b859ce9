"""The same project with PyTorch Lightning: what train.py, trainer/ and base/ write by hand, Lightning does.

The network (model.model.FashionCNN), the data files (data_loader) and the validation split
(base.split_indices) are the template's own: only the loop around them changes.
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset

from base.base_data_loader import split_indices
from data_loader.data_loaders import load_fashion_mnist
from model.metric import accuracy
from model.model import FashionCNN


class LitFashion(pl.LightningModule):
    """FashionCNN with its loss, metrics, optimizer and schedule: trainer/trainer.py's job, per step."""

    def __init__(self, channels: int = 16, dropout: float = 0.25, lr: float = 2e-3, weight_decay: float = 0.0,
                 step_size: int = 4, gamma: float = 0.5):
        super().__init__()
        self.save_hyperparameters()
        self.model = FashionCNN(channels=channels, dropout=dropout)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.model(pixels)

    def _step(self, batch, stage: str) -> torch.Tensor:
        data, target = batch
        output = self(data)
        loss = F.cross_entropy(output, target)
        # on_epoch=True: the logged value is the mean over the epoch, weighted by batch size.
        self.log(f"{stage}_loss", loss, prog_bar=stage != "test", on_step=False, on_epoch=True, batch_size=len(target))
        self.log(f"{stage}_accuracy", accuracy(output, target), prog_bar=stage != "train", on_step=False,
                 on_epoch=True, batch_size=len(target))
        return loss

    def training_step(self, batch, batch_idx):
        return self._step(batch, "train")

    def validation_step(self, batch, batch_idx):
        self._step(batch, "val")

    def test_step(self, batch, batch_idx):
        self._step(batch, "test")

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=self.hparams.lr, weight_decay=self.hparams.weight_decay)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=self.hparams.step_size,
                                                    gamma=self.hparams.gamma)
        return {"optimizer": optimizer, "lr_scheduler": scheduler}


class FashionDataModule(pl.LightningDataModule):
    """data_loader/ and base/base_data_loader.py's job: the files, the split, the loaders."""

    def __init__(self, data_dir: str = "/usr/share/datasets/fashion-mnist", batch_size: int = 128,
                 validation_split: float = 0.1, limit: int | None = 12000, seed: int = 0, num_workers: int = 0):
        super().__init__()
        self.save_hyperparameters()

    def setup(self, stage: str) -> None:
        hp = self.hparams
        if stage in ("fit", "validate"):
            train = load_fashion_mnist(hp.data_dir, train=True, limit=hp.limit, seed=hp.seed)
            train_idx, valid_idx = split_indices(len(train), hp.validation_split, hp.seed)
            self.train_set, self.valid_set = Subset(train, train_idx), Subset(train, valid_idx)
        if stage in ("test", "predict"):
            self.test_set = load_fashion_mnist(hp.data_dir, train=False)

    def train_dataloader(self) -> DataLoader:
        return DataLoader(self.train_set, batch_size=self.hparams.batch_size, shuffle=True,
                          num_workers=self.hparams.num_workers)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(self.valid_set, batch_size=self.hparams.batch_size, num_workers=self.hparams.num_workers)

    def test_dataloader(self) -> DataLoader:
        return DataLoader(self.test_set, batch_size=1000, num_workers=self.hparams.num_workers)
