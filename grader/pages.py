"""HTML pages from Jinja2 templates (grader/templates/), escaped by default: a learner's name, a file name
or a notebook's text can never become markup."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

#: Hangul-capable fonts first (NanumGothic comes with ``make setup``), then the platform's own.
FONT_STACK = ('"NanumGothic", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", '
              '"DejaVu Sans", sans-serif')


@functools.cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True)


def template(name: str, **helpers: Any) -> Template:
    """The template `name`, with `helpers` (functions and constants) available to it by name."""
    return _environment().get_template(name, globals=helpers)
