"""The course tool's exceptions: each carries a message key, so its text is bilingual."""

from __future__ import annotations

from grader import messages


class CourseError(Exception):
    """Base class: a failure the tool explains to its user in Korean and English."""

    def __init__(self, key: str, **params: object) -> None:
        """Keep the message key and its fields; the text comes from the catalogue."""
        self.key = key
        self.params = params
        super().__init__(messages.format(key, **params))


class MetadataError(CourseError):
    """A notebook's ``metadata.course`` or kernelspec is missing or invalid."""

    def __init__(self, path: str, problem: str) -> None:
        """Say which notebook and what is wrong with it."""
        super().__init__("error.metadata", path=path, problem=problem)


class DataError(CourseError):
    """A course data file (TOML under grader/ or tests/course/) is malformed or breaks its schema."""

    def __init__(self, path: str, problem: str) -> None:
        """Say which file and what is wrong with it."""
        super().__init__("error.data", path=path, problem=problem)


class GradingError(CourseError):
    """A submission cannot be graded at all (not a notebook, unknown exercise)."""


class UsageError(CourseError):
    """A command was called with arguments that cannot work."""
