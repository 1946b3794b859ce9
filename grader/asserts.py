"""Small checks for visible tests in exercises, with failure messages in Korean and English.

This is the one grader module that notebooks import. It needs only the standard library; tensors
are handled when torch is importable (every course kernel has it).

Examples:
    >>> check_equal(2 + 2, 4, name="2 + 2")
    >>> check_equal(2 + 2, 5, name="2 + 2")
    Traceback (most recent call last):
    ...
    AssertionError: 2 + 2: 기댓값 5, 실제값 4
    2 + 2: expected 5, got 4
"""

from __future__ import annotations

from typing import Any

from grader import messages


def _fail(key: str, **fields: Any) -> None:
    raise AssertionError(messages.format(key, **fields))


def check(condition: object, what: str) -> None:
    """Assert `condition`; `what` says, in both languages, what was expected."""
    if not condition:
        _fail("assert.failed", what=what)


def check_equal(actual: Any, expected: Any, *, name: str = "value") -> None:
    """Assert ``actual == expected`` (tensors: same shape and all elements equal)."""
    if _is_tensor(actual) or _is_tensor(expected):
        import torch

        ok = (
            _is_tensor(actual)
            and tuple(actual.shape) == tuple(torch.as_tensor(expected).shape)
            and bool(torch.equal(actual.cpu(), torch.as_tensor(expected, dtype=actual.dtype).cpu()))
        )
    else:
        # The test's own value decides, and only for a value of the same type: an object whose
        # __eq__ always says True must not pass.
        ok = type(actual) is type(expected) and bool(expected == actual) is True
    if not ok:
        _fail("assert.equal", name=name, expected=expected, actual=actual)


def check_type(value: Any, expected: type | tuple[type, ...], *, name: str = "value") -> None:
    """Assert ``isinstance(value, expected)``."""
    if not isinstance(value, expected):
        wanted = getattr(expected, "__name__", str(expected))
        _fail("assert.type", name=name, expected=wanted, actual=type(value).__name__)


def check_shape(tensor: Any, expected: tuple[int, ...], *, name: str = "tensor") -> None:
    """Assert that `tensor` (anything with ``.shape``) has shape `expected`."""
    check_type_has(tensor, "shape", name=name)
    actual = tuple(tensor.shape)
    if actual != tuple(expected):
        _fail("assert.shape", name=name, expected=tuple(expected), actual=actual)


def check_dtype(tensor: Any, expected: Any, *, name: str = "tensor") -> None:
    """Assert that `tensor.dtype` is `expected` (for example ``torch.float32``)."""
    check_type_has(tensor, "dtype", name=name)
    if tensor.dtype != expected:
        _fail("assert.dtype", name=name, expected=expected, actual=tensor.dtype)


def check_close(actual: Any, expected: Any, *, atol: float = 1e-6, rtol: float = 1e-5,
                name: str = "value") -> None:
    """Assert that numbers or tensors are equal within ``atol + rtol * |expected|``."""
    import torch

    a, e = (v.detach().cpu().double() if _is_tensor(v) else torch.as_tensor(v, dtype=torch.float64)
            for v in (actual, expected))
    if a.shape != e.shape:
        _fail("assert.shape", name=name, expected=tuple(e.shape), actual=tuple(a.shape))
    diff = (a - e).abs()
    bad = diff > atol + rtol * e.abs()
    if bool(bad.any()) or bool(torch.isnan(a).ne(torch.isnan(e)).any()):
        _fail("assert.close", name=name, diff=float(diff.nan_to_num(float("inf")).max()), atol=atol)


def visible_checks_passed() -> None:
    """Say, in both languages, that the visible checks of a test cell passed (never "all tests passed")."""
    print(messages.format("assert.visible_passed"))


def check_type_has(value: Any, attribute: str, *, name: str) -> None:
    """Assert that `value` has `attribute` (a friendlier failure than AttributeError)."""
    if not hasattr(value, attribute):
        _fail("assert.type", name=name, expected=f"object with .{attribute}", actual=type(value).__name__)


def _is_tensor(value: Any) -> bool:
    return type(value).__module__.startswith("torch") and hasattr(value, "dtype") and hasattr(value, "shape")
