"""The Lightning version from its command line: fit with YAML and overrides, checkpoints, TensorBoard, test."""

from __future__ import annotations

import torch
from project_testing import run
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def test_lightning_cli_fits_with_an_override_and_tests_the_best_checkpoint(tmp_path):
    common = ["-c", "lit/config.yaml", "--trainer.default_root_dir", str(tmp_path),
              "--trainer.logger.init_args.save_dir", str(tmp_path), "--trainer.enable_progress_bar", "false",
              "--data.limit", "1500", "--data.batch_size", "100"]
    run("lit/main.py", "fit", *common, "--trainer.max_epochs", "2", "--model.lr", "0.003")
    version = tmp_path / "fashion_cnn" / "version_0"
    saved = (version / "config.yaml").read_text()
    assert "lr: 0.003" in saved and "max_epochs: 2" in saved  # the overrides took effect, and were recorded
    checkpoints = sorted(p.name for p in (version / "checkpoints").iterdir())
    assert "last.ckpt" in checkpoints and any(name.startswith("best-") for name in checkpoints)
    last = torch.load(version / "checkpoints" / "last.ckpt", weights_only=False)
    assert last["epoch"] == 1 and last["hyper_parameters"]["lr"] == 0.003  # epochs count from 0
    # last.ckpt is the final epoch even when that epoch did not improve (14 batches of 100 per epoch)
    assert last["global_step"] == 2 * 14
    events = EventAccumulator(str(version)).Reload()
    accuracy = [e.value for e in events.Scalars("val_accuracy")]
    assert len(accuracy) == 2 and accuracy[-1] > 0.6

    best = next(p for p in (version / "checkpoints").iterdir() if p.name.startswith("best-"))
    tested = run("lit/main.py", "test", *common, "--ckpt_path", str(best))
    assert "test_accuracy" in tested.stdout
