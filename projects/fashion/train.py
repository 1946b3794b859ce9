"""Train the model that config.json describes.

    python train.py -c config.json                         # a new run in saved/models/<name>/<run-id>/
    python train.py -c config.json --lr 0.001 --epochs 3   # override what the file says
    python train.py -r saved/models/<name>/<run-id>/latest.pth --epochs 10   # resume, maybe for longer
"""

from __future__ import annotations

import argparse
import collections

import numpy as np
import torch

import data_loader.data_loaders as module_data
import model.loss as module_loss
import model.metric as module_metric
import model.model as module_arch
from parse_config import ConfigParser
from trainer import Trainer

CustomArgs = collections.namedtuple("CustomArgs", "flags type target")
OPTIONS = [
    CustomArgs(["--lr", "--learning-rate"], float, "optimizer;args;lr"),
    CustomArgs(["--bs", "--batch-size"], int, "data_loader;args;batch_size"),
    CustomArgs(["--epochs"], int, "trainer;epochs"),
    CustomArgs(["--save-dir"], str, "trainer;save_dir"),
    CustomArgs(["-d", "--device"], str, "device"),
]


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def main(config: ConfigParser) -> dict:
    logger = config.get_logger("train")
    seed = config["seed"]
    torch.manual_seed(seed)
    np.random.seed(seed)
    if config["threads"]:
        torch.set_num_threads(config["threads"])

    data_loader = config.init_obj("data_loader", module_data, seed=seed)
    valid_data_loader = data_loader.split_validation()
    logger.info(f"{len(data_loader.train_indices)} training and {len(data_loader.valid_indices)} validation images")

    model = config.init_obj("arch", module_arch)
    logger.info(model)
    device = pick_device(config["device"])
    model = model.to(device)

    criterion = getattr(module_loss, config["loss"])
    metrics = [getattr(module_metric, name) for name in config["metrics"]]
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = config.init_obj("optimizer", torch.optim, trainable)
    lr_scheduler = config.init_obj("lr_scheduler", torch.optim.lr_scheduler, optimizer)

    trainer = Trainer(model, criterion, metrics, optimizer, config=config, device=device,
                      data_loader=data_loader, valid_data_loader=valid_data_loader, lr_scheduler=lr_scheduler)
    return trainer.train()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Train a Fashion-MNIST classifier")
    parser.add_argument("-c", "--config", default=None, help="configuration file (default: none)")
    parser.add_argument("-r", "--resume", default=None, help="checkpoint to resume from (default: none)")
    main(ConfigParser.from_args(parser, OPTIONS))
