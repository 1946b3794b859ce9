"""The Lightning version's command line: LightningCLI builds the model, the data and the Trainer from YAML.

    python lit/main.py fit -c lit/config.yaml                         # train
    python lit/main.py fit -c lit/config.yaml --model.lr 0.001 --trainer.max_epochs 3
    python lit/main.py fit -c lit/config.yaml --ckpt_path saved/lightning/.../last.ckpt   # resume
    python lit/main.py test -c lit/config.yaml --ckpt_path saved/lightning/.../best.ckpt  # test, once
    python lit/main.py fit -c lit/config.yaml -c lit/wandb.yaml       # also track with W&B, offline
    python lit/main.py fit --print_config                             # every option and its value
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project's root: model/, data_loader/, base/

from pytorch_lightning.cli import LightningCLI  # noqa: E402

from lit.modules import FashionDataModule, LitFashion  # noqa: E402


def main() -> None:
    LightningCLI(LitFashion, FashionDataModule, seed_everything_default=0,
                 save_config_kwargs={"overwrite": True})


if __name__ == "__main__":
    main()
