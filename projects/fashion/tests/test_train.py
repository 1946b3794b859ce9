"""train.py and test.py from the command line: overrides, checkpoints, resuming, early stopping, the test set once."""

from __future__ import annotations

import re

import pytest
import torch
from project_testing import SMALL, read, run
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def test_overrides_change_a_nested_key_and_leave_the_rest():
    from parse_config import apply_overrides

    config = {"optimizer": {"type": "Adam", "args": {"lr": 0.1}}, "trainer": {"epochs": 3}}
    changed = apply_overrides(config, {"optimizer;args;lr": 0.5, "trainer.epochs": 7, "trainer;epochs_unused": None})
    assert changed == {"optimizer": {"type": "Adam", "args": {"lr": 0.5}}, "trainer": {"epochs": 7}}
    assert config["optimizer"]["args"]["lr"] == 0.1  # the caller's configuration is untouched


@pytest.mark.parametrize("key", ["optimizer.args.lrr", "trainer.epochs.x", "nothing"])
def test_an_override_of_a_key_that_does_not_exist_is_an_error(key):
    from parse_config import apply_overrides

    with pytest.raises(KeyError, match="unknown configuration key"):
        apply_overrides({"optimizer": {"args": {"lr": 0.1}}, "trainer": {"epochs": 3}}, {key: 1})


def test_the_validation_split_is_disjoint_complete_and_seeded():
    from base.base_data_loader import split_indices

    train, valid = split_indices(1000, 0.1, seed=3)
    assert len(valid) == 100 and len(train) == 900
    assert set(train).isdisjoint(valid) and set(train) | set(valid) == set(range(1000))
    assert split_indices(1000, 0.1, seed=3) == (train, valid)
    assert split_indices(1000, 0.1, seed=4)[1] != valid
    with pytest.raises(ValueError):
        split_indices(10, 1.0, seed=0)


def test_a_run_saves_its_config_checkpoints_logs_and_tensorboard_scalars(trained):
    config = read(trained / "config.json")
    assert config["data_loader"]["args"]["batch_size"] == 100  # --bs
    assert config["data_loader"]["args"]["limit"] == 1500  # --set
    assert config["trainer"]["epochs"] == 2  # --epochs
    for name in ("latest.pth", "checkpoint-epoch1.pth", "checkpoint-epoch2.pth", "model_best.pth"):
        assert (trained / name).is_file(), name
    checkpoint = torch.load(trained / "latest.pth", weights_only=False)
    assert checkpoint["epoch"] == 2
    log_dir = trained.parents[2] / "log" / "fashion_cnn" / "base"
    assert "Saving checkpoint" in (log_dir / "info.log").read_text()
    events = EventAccumulator(str(log_dir)).Reload()
    accuracy = [e.value for e in events.Scalars("accuracy/valid")]
    assert len(accuracy) == 2 and accuracy[-1] > 0.6  # 1,350 images, 2 epochs: well above chance (0.1)
    assert len(events.Scalars("loss/train")) == 2 * 14  # one per batch: 14 batches of 100 (1,350 images)


def test_a_resumed_run_ends_exactly_where_an_uninterrupted_one_does(tmp_path):
    common = ["-c", "config.json", "--save-dir", str(tmp_path), *SMALL]
    run("train.py", *common, "--epochs", "3", "--run-id", "straight")
    run("train.py", *common, "--epochs", "2", "--run-id", "cut")  # as if stopped after epoch 2
    resumed = run("train.py", "-r", str(tmp_path / "models/fashion_cnn/cut/latest.pth"), "--epochs", "3")
    assert "Resume training from epoch 3" in resumed.stdout
    assert "epoch 1/3" not in resumed.stderr and "epoch          : 1" not in resumed.stdout
    straight = torch.load(tmp_path / "models/fashion_cnn/straight/latest.pth", weights_only=False)
    cut = torch.load(tmp_path / "models/fashion_cnn/cut/latest.pth", weights_only=False)
    assert cut["epoch"] == straight["epoch"] == 3
    for name, tensor in straight["state_dict"].items():
        assert torch.equal(tensor, cut["state_dict"][name]), name
    steps = [s["step"] for s in cut["optimizer"]["state"].values()]
    assert steps and all(float(s) == 3 * 14 for s in steps)  # Adam's step count went on from epoch 2's
    assert cut["lr_scheduler"]["last_epoch"] == 3


def test_early_stopping_ends_a_run_that_stops_improving(tmp_path):
    # A learning rate of 0 leaves the weights alone (only BatchNorm's running statistics move), so
    # validation accuracy soon stops improving: with early_stop=2 the run ends 2 epochs after its best.
    done = run("train.py", "-c", "config.json", "--save-dir", str(tmp_path), "--run-id", "flat", *SMALL,
               "--epochs", "6", "--lr", "0", "--set", "trainer.early_stop=2")
    match = re.search(r"early stop after epoch (\d+)", done.stdout)
    assert match, done.stdout[-2000:]
    stopped = int(match.group(1))
    folder = tmp_path / "models/fashion_cnn/flat"
    assert stopped < 6 and not (folder / f"checkpoint-epoch{stopped + 1}.pth").exists()
    assert torch.load(folder / "model_best.pth", weights_only=False)["epoch"] == stopped - 2


def test_a_typo_in_an_override_stops_the_run_before_it_starts(tmp_path):
    done = run("train.py", "-c", "config.json", "--save-dir", str(tmp_path), "--set", "optimizer.args.lrr=0.1",
               check=False)
    assert done.returncode == 2 and "unknown configuration key 'optimizer.args.lrr'" in done.stderr
    assert not any(tmp_path.rglob("*.pth"))


def test_a_new_run_never_overwrites_an_existing_one(trained):
    done = run("train.py", "-c", "config.json", "--save-dir", str(trained.parents[2]), "--run-id", "base", *SMALL,
               check=False)
    assert done.returncode != 0 and "already holds a run" in done.stderr


def test_the_test_set_is_evaluated_once_per_checkpoint(trained, tmp_path):
    import shutil

    best = tmp_path / "model_best.pth"
    shutil.copy(trained / "model_best.pth", best)
    first = run("test.py", "-r", str(best))
    record = read(tmp_path / "test_metrics.json")
    assert record["metrics"]["n_test"] == 10_000 and 0.6 < record["metrics"]["accuracy"] <= 1.0
    second = run("test.py", "-r", str(best))
    assert "already evaluated" in second.stderr and first.stdout == second.stdout


def test_new_project_copies_the_code_but_no_runs(trained, tmp_path):
    run("new_project.py", str(tmp_path / "mine"))
    copied = {p.relative_to(tmp_path / "mine").as_posix() for p in (tmp_path / "mine").rglob("*") if p.is_file()}
    assert {"train.py", "test.py", "config.json", "parse_config.py", "base/base_trainer.py", "model/model.py",
            "lit/config.yaml", "logger/logger_config.json"} <= copied
    assert not any(name.startswith(("saved", "tests")) or "__pycache__" in name for name in copied)
    assert run("new_project.py", str(tmp_path / "mine"), check=False).returncode != 0  # never overwrites
