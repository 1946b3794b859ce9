"""Logging to the console and to <run>/info.log, configured from logger_config.json."""

from __future__ import annotations

import logging
import logging.config
from pathlib import Path

from utils import read_json

CONFIG = Path(__file__).with_name("logger_config.json")


def setup_logging(save_dir: Path, log_config: Path = CONFIG, default_level: int = logging.INFO) -> None:
    """Send file handlers' output into `save_dir` (the run's log folder)."""
    if log_config.is_file():
        config = read_json(log_config)
        for handler in config["handlers"].values():
            if "filename" in handler:
                handler["filename"] = str(save_dir / handler["filename"])
        logging.config.dictConfig(config)
    else:
        print(f"Warning: logging configuration file is not found in {log_config}.")
        logging.basicConfig(level=default_level)
