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

import os
from typing import Any

from grader import messages


def _fail(key: str, **fields: Any) -> None:
    shown = {k: v if type(v) in (int, float, str, messages.Both) else _Shown(v) for k, v in fields.items()}
    raise AssertionError(messages.format(key, **shown))


class _Shown:
    """A value as a message shows it: its repr, or its type's name when its repr fails or lies."""

    def __init__(self, value: Any) -> None:
        try:
            text = repr(value)
            self.text = text[:500] if type(text) is str else f"<{type(value).__name__}>"
        except Exception:  # noqa: BLE001 - a hostile __repr__ must not turn a failed check into a crash
            self.text = f"<{type(value).__name__}>"

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def check(condition: object, what: str) -> None:
    """Assert `condition`, a real True or False (a bool, or a one-element tensor or array of one).

    `what` says, in both languages, what was expected. An object that merely says it is true (a mock,
    a class with its own ``__bool__``) fails.
    """
    said = messages.Both.split(what) if type(what) is str else what  # "한국어 / English": each line its own
    if type(condition) is not bool:
        if _as_tensor(condition) is not None or _is_numpy(condition):
            condition = bool(_plain(condition, "condition"))
        else:
            _fail("assert.failed", what=said)
    if not condition:
        _fail("assert.failed", what=said)


def check_equal(actual: Any, expected: Any, *, name: str = "value") -> None:
    """Assert ``actual == expected`` (tensors: same shape and all elements equal).

    The test's own value decides, and only for a value of exactly the same type, element by element:
    an object whose ``__eq__`` always says True, or that claims to be another type, does not pass.
    """
    if not _strict_equal(actual, expected):
        _fail("assert.equal", name=name, expected=expected, actual=actual)


def _strict_equal(actual: Any, expected: Any) -> bool:
    if _is_tensor(expected) or _is_tensor(actual):
        import torch

        got, want = _as_tensor(actual), _as_tensor(expected)
        if want is None and _is_plain_value(expected):
            want = torch.as_tensor(expected, dtype=None if got is None else got.dtype)
        if got is None or want is None:
            return False
        got, want = got.detach().cpu(), want.detach().cpu().to(got.dtype)
        return tuple(got.shape) == tuple(want.shape) and bool(torch.equal(got, want))
    if issubclass(type(actual), str) and issubclass(type(expected), str):  # torch.__version__ is a str subclass
        return str.__str__(actual) == str.__str__(expected)
    if type(actual) is not type(expected):
        return False
    if type(expected) in (list, tuple):
        return len(actual) == len(expected) and all(_strict_equal(a, e) for a, e in zip(actual, expected, strict=True))
    if type(expected) is dict:
        return (set(actual) == set(expected) and all(type(k) is str or type(k) is int for k in actual)
                and all(_strict_equal(actual[k], expected[k]) for k in expected))
    return bool(expected == actual) is True


def check_type(value: Any, expected: type | tuple[type, ...], *, name: str = "value") -> None:
    """Assert that `value` is an instance of `expected`, judged by its real class (``type(value)``).

    ``isinstance`` believes an object's ``__class__``, which a mock may fake; the real class cannot.
    """
    if not issubclass(type(value), expected):
        wanted = getattr(expected, "__name__", str(expected))
        _fail("assert.type", name=name, expected=wanted, actual=type(value).__name__)


def check_shape(tensor: Any, expected: tuple[int, ...], *, name: str = "tensor") -> None:
    """Assert that `tensor` (a tensor or a NumPy array) has shape `expected`."""
    actual = tuple(_check_array(tensor, name).shape)
    if actual != tuple(expected):
        _fail("assert.shape", name=name, expected=tuple(expected), actual=actual)


def check_dtype(tensor: Any, expected: Any, *, name: str = "tensor") -> None:
    """Assert that `tensor.dtype` is `expected` (for example ``torch.float32``)."""
    dtype = _check_array(tensor, name).dtype
    if dtype != expected:
        _fail("assert.dtype", name=name, expected=expected, actual=dtype)


def check_close(actual: Any, expected: Any, *, atol: float = 1e-6, rtol: float = 1e-5,
                name: str = "value") -> None:
    """Assert that numbers or tensors are equal within ``atol + rtol * |expected|``.

    Each side must really be a number, a (plain) tensor, a NumPy array, or a list or tuple of them.
    """
    import torch

    a, e = _plain(actual, name), _plain(expected, name)
    if a.shape != e.shape:
        _fail("assert.shape", name=name, expected=tuple(e.shape), actual=tuple(a.shape))
    diff = (a - e).abs()
    bad = diff > atol + rtol * e.abs()
    if bool(bad.any()) or bool(torch.isnan(a).ne(torch.isnan(e)).any()):
        _fail("assert.close", name=name, diff=float(diff.nan_to_num(float("inf")).max()), atol=atol)


def held_out_inputs(data: str):
    """The test inputs of the held-out data set `data` as a uint8 tensor, e.g. ``(10000, 28, 28)`` for
    ``"fashion-mnist-test"`` (Fashion-MNIST's test images). Their labels are for
    :func:`check_held_out_accuracy` alone."""
    import torch

    from grader.kernel import heldout

    shape, values = heldout.inputs(data)
    return torch.frombuffer(bytearray(values), dtype=torch.uint8).reshape(shape)


def check_held_out_accuracy(predictions: Any, data: str, *, at_least: float, what: str) -> None:
    """Assert that `predictions` (one class index per input of :func:`held_out_inputs`, in order) reach an
    accuracy of `at_least` on the held-out data set `data`.

    When a submission is graded, its code never reads these labels: the sandbox hides them, and the grader
    compares the predictions outside it, reading `data` and `at_least` from the test cell's text: write
    both as literals, and make one such check per test cell. Elsewhere this reads the labels itself.
    `what` says, in both languages, what is required.
    """
    import torch

    from grader.kernel import heldout

    said = messages.Both.split(what) if type(what) is str else what
    count = heldout.size(data)
    values = _plain(predictions, "predictions")
    if tuple(values.shape) != (count,):
        _fail("assert.shape", name="predictions", expected=(count,), actual=tuple(values.shape))
    codes = values.to(torch.int64)
    codes[(codes < 0) | (codes > 254)] = 255  # a class no data set here has: a wrong prediction, not a crash
    predicted = bytes(codes.tolist())
    if os.environ.get(heldout.ENV):  # graded: the grader, outside the sandbox, decides
        heldout.claim(data, predicted)  # the required accuracy: the grader reads it in this call's text
        return
    measured = heldout.accuracy(predicted, heldout.labels(data))
    if measured < at_least:
        _fail("assert.held_out", what=said, accuracy=f"{measured:.4f}")


def visible_checks_passed() -> None:
    """Say, in both languages, that the visible checks of a test cell passed (never "all tests passed")."""
    print(messages.format("assert.visible_passed"))


def _check_array(value: Any, name: str) -> Any:
    """`value` as a plain tensor (or the NumPy array it is), or a failed check."""
    tensor = _as_tensor(value)
    if tensor is None and not _is_numpy(value):
        _fail("assert.type", name=name, expected="torch.Tensor", actual=type(value).__name__)
    return value if tensor is None else tensor


def _is_tensor(value: Any) -> bool:
    """Whether `value`'s real class is a torch.Tensor or a subclass of it."""
    import sys

    torch = sys.modules.get("torch")
    return torch is not None and issubclass(type(value), torch.Tensor)


def _as_tensor(value: Any):
    """`value` as a plain ``torch.Tensor`` on the same data, or None when it is no tensor one can trust.

    Subclasses (torchvision's ``tv_tensors.Image``, ``nn.Parameter``) are viewed as plain tensors
    without running any of their own hooks; one that intercepts torch's operators itself
    (``__torch_dispatch__``) can make every operation say anything, so it is refused.
    """
    import inspect
    import sys

    torch = sys.modules.get("torch")
    if torch is None or not issubclass(type(value), torch.Tensor):
        return None
    if type(value) is torch.Tensor:
        return value
    if inspect.getattr_static(type(value), "__torch_dispatch__", None) is not inspect.getattr_static(
            torch.Tensor, "__torch_dispatch__", None):
        return None
    with torch._C.DisableTorchFunctionSubclass():
        return torch.Tensor.as_subclass(value, torch.Tensor)


def _is_numpy(value: Any) -> bool:
    import sys

    np = sys.modules.get("numpy")
    return np is not None and (type(value) is np.ndarray or (issubclass(type(value), np.generic)
                                                              and type(value).__module__ == "numpy"))


def _plain(value: Any, name: str):
    """`value` as a float64 CPU tensor, refusing anything that only pretends to be a number or a tensor."""
    import torch

    tensor = _as_tensor(value)
    if tensor is not None:
        return tensor.detach().cpu().double()
    if _is_plain_value(value):
        return torch.as_tensor(value, dtype=torch.float64)
    _fail("assert.type", name=name, expected="number or torch.Tensor", actual=type(value).__name__)


def _is_plain_value(value: Any) -> bool:
    """A real number, tensor or NumPy value, or a list or tuple of them (nothing that only pretends)."""
    return (type(value) in (int, float, bool) or _as_tensor(value) is not None or _is_numpy(value)
            or (type(value) in (list, tuple) and all(_is_plain_value(v) for v in value)))
