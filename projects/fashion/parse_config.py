"""The run's configuration: config.json, command-line overrides, and the run's folders.

    python train.py -c config.json --lr 0.001 --bs 64 --set trainer.early_stop=5
    python train.py -r saved/models/fashion_cnn/<run>/latest.pth            # resume an interrupted run

Every override names a key that already exists in the file (a typo is an error, not a new key), and
the configuration actually used is saved beside the run's checkpoints as config.json.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from functools import reduce
from operator import getitem
from pathlib import Path

from logger import setup_logging
from utils import read_json, write_json

VERBOSITY = {0: logging.WARNING, 1: logging.INFO, 2: logging.DEBUG}


class ConfigParser:
    def __init__(self, config: dict, resume: Path | None = None, modification: dict | None = None,
                 run_id: str | None = None):
        """`modification` maps keys written as "a;b;c" (or "a.b.c") to new values."""
        self._config = apply_overrides(config, modification or {})
        self.resume = resume

        save_dir = Path(self.config["trainer"]["save_dir"])
        name = self.config["name"]
        if run_id is None:
            run_id = datetime.now().strftime(r"%m%d_%H%M%S")
        self._save_dir = save_dir / "models" / name / run_id
        self._log_dir = save_dir / "log" / name / run_id
        # A resumed run goes on in the folder it started in; a new run with a taken name is an error.
        exist_ok = resume is not None and Path(resume).parent.resolve() == self._save_dir.resolve()
        if not exist_ok and self._save_dir.exists() and any(self._save_dir.iterdir()):
            raise FileExistsError(f"{self._save_dir} already holds a run: choose another --run-id, or resume it "
                                  f"with -r {self._save_dir / 'latest.pth'}")
        self._save_dir.mkdir(parents=True, exist_ok=True)
        self._log_dir.mkdir(parents=True, exist_ok=True)
        write_json(self.config, self._save_dir / "config.json")
        setup_logging(self._log_dir)

    @classmethod
    def from_args(cls, parser: argparse.ArgumentParser, options: Iterable = (), argv: list[str] | None = None):
        """Parse the command line: -c CONFIG, -r CHECKPOINT, --run-id, --set KEY=VALUE and `options`."""
        for opt in options:
            parser.add_argument(*opt.flags, default=None, type=opt.type, help=f"sets {opt.target}")
        parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                            help="override any key of the configuration, e.g. --set trainer.epochs=3 (value as JSON)")
        parser.add_argument("--run-id", default=None, help="the run's folder name (default: the date and time)")
        args = parser.parse_args(argv)

        resume = None
        if args.resume is not None:
            resume = Path(args.resume)
            if not resume.is_file():
                parser.error(f"no checkpoint at {resume}")
        if args.config is not None:
            config = read_json(args.config)
        elif resume is not None:
            config = read_json(resume.parent / "config.json")  # the run's own configuration
        else:
            parser.error("give a configuration file (-c config.json) or a checkpoint to resume (-r ...)")
        run_id = args.run_id
        if resume is not None and run_id is None:
            run_id = resume.parent.name

        modification = {opt.target: getattr(args, _dest(opt.flags)) for opt in options}
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep:
                parser.error(f"--set expects KEY=VALUE, got {item!r}")
            modification[key] = _parse_value(value)
        try:
            return cls(config, resume, modification, run_id)
        except (KeyError, TypeError) as error:
            # str(KeyError) wraps its message in quotes: show the message itself.
            parser.error(error.args[0] if error.args else str(error))

    def init_obj(self, name: str, module, *args, **kwargs):
        """The object that config[name] describes: `module.<type>(*args, **config args, **kwargs)`."""
        spec = self[name]
        module_args = dict(spec["args"])
        clash = set(kwargs) & set(module_args)
        if clash:
            raise ValueError(f"{name}: the configuration may not set {sorted(clash)}")
        module_args.update(kwargs)
        return getattr(module, spec["type"])(*args, **module_args)

    def get_logger(self, name: str, verbosity: int = 2) -> logging.Logger:
        if verbosity not in VERBOSITY:
            raise ValueError(f"verbosity {verbosity} is not one of {sorted(VERBOSITY)}")
        logger = logging.getLogger(name)
        logger.setLevel(VERBOSITY[verbosity])
        return logger

    def __getitem__(self, name: str):
        return self.config[name]

    @property
    def config(self) -> dict:
        return self._config

    @property
    def save_dir(self) -> Path:
        return self._save_dir

    @property
    def log_dir(self) -> Path:
        return self._log_dir


def apply_overrides(config: dict, modification: dict) -> dict:
    """A copy of `config` with each "a;b;c" (or "a.b.c") key set to its value; None values are skipped.

    Raises KeyError for a key the configuration does not have, so a typo cannot go unnoticed.
    """
    config = json.loads(json.dumps(config))  # a deep copy; the caller's dict is left alone
    for key, value in modification.items():
        if value is None:
            continue
        keys = key.replace(".", ";").split(";")
        try:
            parent = reduce(getitem, keys[:-1], config)
        except (KeyError, TypeError):
            raise KeyError(f"unknown configuration key {key!r}") from None
        if not isinstance(parent, dict) or keys[-1] not in parent:
            raise KeyError(f"unknown configuration key {key!r}")
        parent[keys[-1]] = value
    return config


def _parse_value(text: str):
    """JSON when it parses (3, 0.1, true, null, [1, 2]), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _dest(flags) -> str:
    return next(f for f in flags if f.startswith("--")).lstrip("-").replace("-", "_")
