"""The course's data files, metadata and JSON outputs, checked against the JSON Schemas in grader/schema/.

Each TOML data file (kernels, mistakes, glossary, deprecations, wrong answers) is read through
:func:`load_toml`, and a notebook's ``metadata.course`` through :func:`problems`, so a typo in a key or a
value of the wrong type stops with the file, the place and what is wrong, instead of surfacing later as a
``KeyError`` deep in a check. The JSON the tool writes for other tools (``build/report.json``, ``course
grade --json``, ``gradebook.json``) has a schema too: the contract, written down and tested.
"""

from __future__ import annotations

import functools
import json
import tomllib
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from grader.errors import DataError
from grader.paths import relative

SCHEMAS = Path(__file__).with_name("schema")


@functools.cache
def _registry() -> Registry:
    """Every schema of grader/schema/ under its ``$id``, so one may refer to another (``grade-result.json#/...``)."""
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.json"))]
    return Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """The validator of ``grader/schema/<name>.json`` (itself checked against the 2020-12 meta-schema)."""
    schema = _registry().contents(f"{name}.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(instance: Any, name: str) -> list[str]:
    """What is wrong with `instance` under schema `name`: one ``place: problem`` per error, in document order."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{e.json_path.removeprefix('$.') if e.absolute_path else '(top level)'}: {e.message}" for e in errors]


def load_toml(path: Path, name: str) -> dict[str, Any]:
    """Read the TOML file `path` and check it against schema `name`.

    Raises:
        DataError: the file is not TOML, or its content breaks the schema (every problem is listed).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise DataError(relative(path), str(err)) from None
    found = problems(data, name)
    if found:
        raise DataError(relative(path), "; ".join(found[:5]) + (f" (+{len(found) - 5})" if len(found) > 5 else ""))
    return data
