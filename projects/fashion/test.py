"""Evaluate a saved checkpoint on the test set, once.

    python test.py -r saved/models/fashion_cnn/<run>/model_best.pth

The test set answers one question, at the end: how well does the model chosen on validation data do
on data nothing was chosen on. So the result is recorded beside the checkpoint (test_metrics.json,
with the checkpoint's SHA-256), and a second evaluation of the same checkpoint prints the recorded
result instead of computing it again; `--again` insists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import torch

import model.loss as module_loss
import model.metric as module_metric
from data_loader.data_loaders import FashionMnistDataLoader
from model.checkpoint import load_model


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def evaluate(model: torch.nn.Module, config: dict, batch_size: int = 1000) -> dict:
    args = config["data_loader"]["args"]
    loader = FashionMnistDataLoader(args["data_dir"], batch_size=batch_size, shuffle=False, validation_split=0.0,
                                    training=False)
    criterion = getattr(module_loss, config["loss"])
    metrics = [getattr(module_metric, name) for name in config["metrics"]]
    totals = {"loss": 0.0, **{m.__name__: 0.0 for m in metrics}}
    n = 0
    with torch.no_grad():
        for data, target in loader:
            output = model(data)
            totals["loss"] += criterion(output, target).item() * len(target)
            for met in metrics:
                totals[met.__name__] += met(output, target) * len(target)
            n += len(target)
    return {"n_test": n, **{key: value / n for key, value in totals.items()}}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Evaluate a checkpoint on the Fashion-MNIST test set")
    parser.add_argument("-r", "--resume", required=True, help="the checkpoint, usually model_best.pth")
    parser.add_argument("--again", action="store_true", help="evaluate even if this checkpoint was evaluated before")
    args = parser.parse_args(argv)
    path = Path(args.resume)
    if not path.is_file():
        parser.error(f"no checkpoint at {path}")
    record_path = path.with_name("test_metrics.json")
    digest = sha256(path)
    if record_path.exists() and not args.again:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if record.get("checkpoint_sha256") == digest:
            print(f"This checkpoint was already evaluated on the test set ({record_path}); its result:",
                  file=sys.stderr)
            print(json.dumps(record["metrics"], indent=2))
            return record["metrics"]
    torch.set_num_threads(2)
    model, checkpoint = load_model(path)
    metrics = evaluate(model, checkpoint["config"])
    record = {"checkpoint": path.name, "checkpoint_sha256": digest, "epoch": checkpoint["epoch"], "metrics": metrics}
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(metrics, indent=2))
    return metrics


if __name__ == "__main__":
    main()
