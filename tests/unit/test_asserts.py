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
