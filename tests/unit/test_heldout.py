"""Held-out checks without a kernel: the grader's verdict, the check's own two paths, the test cell's text."""

from __future__ import annotations

import gzip

import pytest

from grader import asserts
from grader.judging import held_out_check
from grader.kernel import heldout

needs_data = pytest.mark.skipif(not heldout.label_files(), reason="dataset-fashion-mnist is not installed")
NAME = "fashion-mnist-test"


@pytest.fixture(scope="module")
def truth():
    return heldout.labels(NAME)


def test_an_idx_file_is_read_and_anything_else_refused(tmp_path):
    good, bad, short = tmp_path / "good.gz", tmp_path / "bad.gz", tmp_path / "short.gz"
    good.write_bytes(gzip.compress(b"\0\0\x08\x02" + (2).to_bytes(4, "big") + (3).to_bytes(4, "big") + bytes(range(6))))
    bad.write_bytes(gzip.compress(b"\0\0\x0d\x01" + (1).to_bytes(4, "big") + b"\0\0\0\0"))  # floats, not bytes
    short.write_bytes(gzip.compress(b"\0\0\x08\x01" + (5).to_bytes(4, "big") + b"\1\2"))
    assert heldout.read_idx(str(good)) == ((2, 3), bytes(range(6)))
    for path in (bad, short):
        with pytest.raises(ValueError):
            heldout.read_idx(str(path))


@needs_data
def test_the_verdict_passes_only_one_good_enough_claim(truth):
    wrong = bytes((t + 1) % 10 for t in truth)
    assert heldout.verdict([(NAME, truth)], NAME, 0.99) is None
    assert "0.0000 < 0.5" in heldout.verdict([(NAME, wrong)], NAME, 0.5)
    assert "2" in heldout.verdict([(NAME, truth), (NAME, truth)], NAME, 0.5)  # a second claim: not trusted
    assert "0" in heldout.verdict([], NAME, 0.5)  # the check never reached the grader
    assert "malformed" in heldout.verdict([("mnist", truth)], NAME, 0.5)  # not the data set the test names
    assert "malformed" in heldout.verdict([(NAME, list(truth))], NAME, 0.5)
    assert "9999 predictions" in heldout.verdict([(NAME, truth[:-1])], NAME, 0.5)


def test_the_test_cells_text_gives_the_data_and_the_accuracy():
    source = 'x = 1\ncheck_held_out_accuracy(p, "fashion-mnist-test",\n    at_least=0.75, what="a / b")\n'
    assert held_out_check(source) == (2, NAME, 0.75)
    assert held_out_check('check_held_out_accuracy(p, data=name, at_least=LIMIT, what="a / b")') == (1, None, None)
    assert held_out_check("check(acc >= 0.75, 'a / b')") is None
    assert held_out_check("check_held_out_accuracy(") is None  # not Python: the cell's own error decides


@needs_data
def test_the_check_judges_itself_outside_the_judge(truth, monkeypatch):
    import torch

    monkeypatch.delenv(heldout.ENV, raising=False)
    labels = torch.tensor(list(truth))
    asserts.check_held_out_accuracy(labels, NAME, at_least=1.0, what="정확도 / accuracy")
    worse = labels.clone()
    worse[:5000] = (worse[:5000] + 1) % 10
    with pytest.raises(AssertionError, match="accuracy measured on the held-out data: 0.5000"):
        asserts.check_held_out_accuracy(worse, NAME, at_least=0.75, what="정확도 / accuracy")
    with pytest.raises(AssertionError, match=r"shape should be \(10000,\)"):
        asserts.check_held_out_accuracy(labels[:10], NAME, at_least=0.75, what="정확도 / accuracy")
    assert tuple(asserts.held_out_inputs(NAME).shape) == (10000, 28, 28)


@needs_data
def test_in_the_judge_the_check_only_claims(truth, monkeypatch):
    """Under the judge it reads no labels: it hands over its predictions (negative or huge ones as 255)."""
    import torch

    claims = []
    monkeypatch.setenv(heldout.ENV, "1")
    monkeypatch.setattr(heldout, "claim", lambda *args: claims.append(args))
    monkeypatch.setattr(heldout, "labels", lambda name: pytest.fail("read the labels"))
    predictions = torch.zeros(10000)
    predictions[:3] = torch.tensor([-1.0, 300.0, 9.0])
    asserts.check_held_out_accuracy(predictions, NAME, at_least=0.99, what="정확도 / accuracy")
    assert claims == [(NAME, bytes([255, 255, 9]) + bytes(9997))]
