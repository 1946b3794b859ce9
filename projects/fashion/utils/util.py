"""Small helpers shared by the project: JSON files in key order, and running means of metrics."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path


def read_json(path: str | Path) -> OrderedDict:
    """The JSON file at `path`, its keys in file order."""
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle, object_hook=OrderedDict)


def write_json(content: dict, path: str | Path) -> None:
    """Write `content` to `path` as indented UTF-8 JSON, atomically (a crash never leaves half a file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(content, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


class MetricTracker:
    """Running means of named values over one epoch; optionally written to TensorBoard as they come."""

    def __init__(self, *keys: str, writer=None):
        self.writer = writer
        self.keys = keys
        self.reset()

    def reset(self) -> None:
        self._total = dict.fromkeys(self.keys, 0.0)
        self._count = dict.fromkeys(self.keys, 0)

    def update(self, key: str, value: float, n: int = 1) -> None:
        if self.writer is not None:
            self.writer.add_scalar(key, value)
        self._total[key] += value * n
        self._count[key] += n

    def avg(self, key: str) -> float:
        return self._total[key] / max(self._count[key], 1)

    def result(self) -> dict[str, float]:
        return {key: self.avg(key) for key in self.keys}
