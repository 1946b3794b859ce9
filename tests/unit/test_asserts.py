"""grader.asserts: visible-test helpers with bilingual messages."""

import pytest
import torch

from grader import asserts


def test_check_shape_message_is_bilingual():
    """Does a shape mismatch explain itself in both languages?"""
    with pytest.raises(AssertionError) as info:
        asserts.check_shape(torch.zeros(2, 3), (3, 2), name="x")
    assert "모양" in str(info.value) and "shape should be (3, 2), got (2, 3)" in str(info.value)


@pytest.mark.parametrize("call", [
    lambda: asserts.check_equal(torch.tensor([1, 2]), [1, 3]),
    lambda: asserts.check_equal(torch.tensor([1, 2]), [1, 2, 3]),
    lambda: asserts.check_close(torch.tensor([1.0]), [1.1]),
    lambda: asserts.check_close(torch.tensor([float("nan")]), [1.0]),
    lambda: asserts.check_close(torch.zeros(2), torch.zeros(3)),
    lambda: asserts.check_dtype(torch.zeros(1), torch.int64),
    lambda: asserts.check_type(1, str),
    lambda: asserts.check_shape([1, 2], (2,)),
    lambda: asserts.check(False, "x"),
])
def test_wrong_values_fail(call):
    """Does each helper fail on a wrong value (and never with a TypeError)?"""
    with pytest.raises(AssertionError):
        call()


def test_right_values_pass():
    """Do the helpers accept right values?"""
    asserts.check_equal(torch.tensor([1, 2]), [1, 2])
    asserts.check_close(torch.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-9])
    asserts.check_dtype(torch.zeros(1), torch.float32)
    asserts.check_shape(torch.zeros(2, 3), (2, 3))
    asserts.check_equal({"a": 1}, {"a": 1})


def test_an_object_equal_to_everything_does_not_pass():
    """Does a learner's object with an always-true __eq__ fail check_equal?"""

    class Liar:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    with pytest.raises(AssertionError):
        asserts.check_equal(Liar(), [1, 2])
    with pytest.raises(AssertionError):
        asserts.check_equal(1.0, 1)  # a float where an int is asked


# --- values that only pretend (grading that cannot be fooled) ---------------------------------------

class _Liar(torch.Tensor):
    """A tensor subclass whose torch functions all answer True."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return True


def _mock_tensor():
    from unittest import mock

    fake = mock.MagicMock(spec=torch.Tensor)
    fake.shape, fake.dtype = (3,), torch.float32
    fake.__eq__ = lambda self, other: True
    fake.__bool__ = lambda self: True
    return fake


@pytest.mark.parametrize("call", [
    lambda v: asserts.check_type(v, torch.Tensor),
    lambda v: asserts.check_shape(v, (3,)),
    lambda v: asserts.check_dtype(v, torch.float32),
    lambda v: asserts.check_close(v, [1.0, 2.0, 3.0]),
    lambda v: asserts.check_equal(v, torch.tensor([1.0, 2.0, 3.0])),
    lambda v: asserts.check(v, "true"),
])
def test_a_mock_that_claims_to_be_a_tensor_fails_every_check(call):
    """isinstance believes a MagicMock(spec=torch.Tensor); the checks judge the real class."""
    with pytest.raises(AssertionError):
        call(_mock_tensor())


def test_a_tensor_subclass_is_judged_by_its_data_not_its_hooks():
    """A __torch_function__ that says True to everything changes nothing: the data are compared."""
    wrong = torch.tensor([9.0, 9.0, 9.0]).as_subclass(_Liar)
    right = torch.tensor([1.0, 2.0, 3.0]).as_subclass(_Liar)
    for check in (asserts.check_close, asserts.check_equal):
        with pytest.raises(AssertionError):
            check(wrong, torch.tensor([1.0, 2.0, 3.0]))
        check(right, torch.tensor([1.0, 2.0, 3.0]))
    asserts.check_shape(right, (3,))


def test_values_of_another_type_never_equal():
    """A str subclass with its own __eq__, a list holding an always-equal object: not equal."""

    class Always(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    class Anything:
        def __eq__(self, other):
            return True

    with pytest.raises(AssertionError):
        asserts.check_equal(Always("no"), "yes")
    with pytest.raises(AssertionError):
        asserts.check_equal([Anything()], [1])
    with pytest.raises(AssertionError):
        asserts.check(Anything(), "a real True")
    asserts.check_equal(Always("yes"), "yes")  # a real str subclass with the same text (torch.__version__)
