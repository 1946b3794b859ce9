"""Held-out test labels (grader.kernel.heldout): a graded answer never reads them, the grader compares outside.

The exercise here classifies Fashion-MNIST's test images by their nearest class mean of 6,000 training
images (about 0.68 accurate); its hidden test requires 0.6 on the 10,000 test images. Each attack would
pass if the labels were readable inside the judge or if the grader trusted what the judge's process says.
"""

from __future__ import annotations

import os

import nbformat
import pytest

from grader import sandbox
from grader.grade import grade_notebook
from grader.kernel import heldout
from grader.mutations import with_answers
from grader.paths import SOLUTIONS
from tests.factory import answer, graded_cell, md, notebook
from tests.integration.grading import grade, points, submit

pytestmark = [pytest.mark.kernel,
              pytest.mark.skipif(not heldout.label_files(), reason="dataset-fashion-mnist is not installed"),
              pytest.mark.skipif(sandbox.bwrap() is None and not os.environ.get("CI"),
                                 reason="bubblewrap is not installed or not allowed here")]

SETUP = """\
import torch
from grader.asserts import check_held_out_accuracy, held_out_inputs, visible_checks_passed
from grader.kernel.heldout import read_idx

_shape, _x = read_idx("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
_, _y = read_idx("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz")
train_x = torch.frombuffer(bytearray(_x), dtype=torch.uint8).reshape(_shape)[:6000]
train_y = torch.frombuffer(bytearray(_y), dtype=torch.uint8)[:6000].long()
"""
HONEST = """\
def predict(images):
    ### BEGIN SOLUTION
    x = train_x.flatten(1).float() / 255
    means = torch.stack([x[train_y == k].mean(0) for k in range(10)])
    return torch.cdist(images.flatten(1).float() / 255, means).argmin(dim=1)
    ### END SOLUTION"""
TEST = """\
predictions = predict(held_out_inputs("fashion-mnist-test"))
visible_checks_passed()
### BEGIN HIDDEN TESTS
check_held_out_accuracy(predict(held_out_inputs("fashion-mnist-test")), "fashion-mnist-test", at_least=0.6,
                        what="처음 보는 이미지에서 정확도가 0.6 이상이어야 합니다 / "
                             "accuracy on unseen images must be at least 0.6")
### END HIDDEN TESTS"""
REQUIREMENT = "accuracy on unseen images must be at least 0.6"


@pytest.fixture
def held_out_course(tmp_path):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    nbformat.write(notebook(md("# 98. 처음 보는 데이터", "ko"), md("# 98. Held-out data", "en"),
                            nbformat.v4.new_code_cell(SETUP), answer("predict_answer", HONEST),
                            graded_cell("predict_tests", TEST, points=2),
                            course={"schema_version": 1, "budget_s": 60}), solutions / "98_heldout.ipynb")
    return solutions


def graded(tmp_path, solutions, predict_source):
    nb = with_answers(nbformat.read(solutions / "98_heldout.ipynb", 4), {"predict_answer": predict_source})
    tmp_path.mkdir(exist_ok=True)
    return grade(submit(tmp_path, nb, "98_heldout.ipynb"), solutions)


def test_an_honest_model_passes_with_the_labels_compared_outside(tmp_path, held_out_course):
    """Does the nearest-mean classifier (0.68) get its points, though its process cannot read the labels?"""
    result = graded(tmp_path, held_out_course, HONEST)
    assert points(result) == {"predict_tests": 2}, result.errors


def test_a_weak_model_fails_the_hidden_requirement(tmp_path, held_out_course):
    """Does a constant prediction (0.10) lose the part, with only the check's own requirement shown?"""
    result = graded(tmp_path, held_out_course, "def predict(images):\n    return torch.zeros(len(images))")
    assert points(result) == {"predict_tests": 0}
    assert any(REQUIREMENT in e for e in result.errors), result.errors
    assert not any("0.1000" in e for e in result.errors)  # the measured accuracy stays the grader's


READ_LABELS = """\
import gzip
def predict(images):
    with gzip.open("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz") as f:
        return torch.frombuffer(bytearray(f.read()[8:]), dtype=torch.uint8).long()"""


def test_an_answer_that_reads_the_test_labels_finds_nothing(tmp_path, held_out_course, monkeypatch):
    """Is the labels file empty for the judge (the cheat scores 0), while a judge that could read it would pass?"""
    assert points(graded(tmp_path / "in", held_out_course, READ_LABELS)) == {"predict_tests": 0}
    monkeypatch.setattr(heldout, "label_files", list)  # what hiding the file prevents
    assert points(graded(tmp_path / "out", held_out_course, READ_LABELS)) == {"predict_tests": 2}


#: Claims whenever predict runs (the hidden test calls it too): the answer's own predictions, so only the
#: number of claims (or, with the check kept from claiming, the accuracy the test requires) fails them.
#: (A thread that claims every few milliseconds may miss a hidden cell that runs faster than that.)
CLAIMS = """
import sys
_predict = predict
def predict(images):
    predictions = _predict(images)
    sys.audit("course.held_out", "fashion-mnist-test", bytes(predictions.long().tolist()))
    return predictions"""
#: Keeps the check from making its own claim: it judges locally, against labels the answer wrote.
BYPASS = """\
import gzip, os
import grader.kernel.heldout as _heldout
os.environ.pop("COURSE_JUDGE", None)
with gzip.open("/tmp/fake-labels.gz", "wb") as f:
    f.write(b"\\0\\0\\x08\\x01" + (10000).to_bytes(4, "big") + bytes(10000))
_heldout.SETS["fashion-mnist-test"] = (_heldout.SETS["fashion-mnist-test"][0], "/tmp/fake-labels.gz")
def predict(images):
    return torch.zeros(len(images))"""


@pytest.mark.parametrize("answer_source", [BYPASS, BYPASS + CLAIMS, HONEST + CLAIMS],
                         ids=["kept-from-the-grader", "kept-and-claims-of-its-own", "honest-and-claims-of-its-own"])
def test_a_check_the_grader_cannot_trust_fails_the_part(tmp_path, held_out_course, answer_source):
    """Does the part score 0 when the check judged itself against labels the answer wrote (no claim reached
    the grader), when the answer's own claims stand in for it (the accuracy required is the test's: all-zero
    predictions fail it), and when an honest model's claim has company, even with the same predictions?"""
    assert points(graded(tmp_path, held_out_course, answer_source)) == {"predict_tests": 0}


TRAINS_ON_THE_TEST_SPLIT = '''
def train_fashion_classifier(x_train, y_train):
    test = datasets.FashionMNIST(DATA_ROOT, train=False, download=False)  # the evaluation data, as training data
    x = torch.cat([x_train, test.data]).unsqueeze(1).float() / 255
    y = torch.cat([y_train, test.targets])
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(3):
        for xb, yb in DataLoader(TensorDataset(x, y), batch_size=256, shuffle=True):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(xb), yb).backward()
            optimizer.step()
    return model.eval()
'''


def test_chapter_06_cannot_train_on_its_test_split(tmp_path):
    """Does the vision exercise's classifier that trains on Fashion-MNIST's test split lose that part (the
    split's labels are empty for it), while every other part keeps its points?"""
    solution = SOLUTIONS / "06_vision.ipynb"
    nb = with_answers(nbformat.read(solution, 4), {"classifier_answer": TRAINS_ON_THE_TEST_SPLIT})
    result = grade_notebook(submit(tmp_path, nb, solution.name), solutions=SOLUTIONS)
    assert points(result) == {"transforms_tests": 2, "split_tests": 2, "evaluate_tests": 2, "freeze_tests": 2,
                              "classifier_tests": 0}, result.errors


MEMORISES_THE_TRAINING_FILE = '''%%writefile fashion_project/model.py
import gzip

import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"


class Memory(nn.Module):
    """Looks each image up among the training file's 60,000 (the validation images are among them); any
    other image gets an untrained network's guess."""

    def __init__(self, hidden, dropout):
        super().__init__()
        with gzip.open(f"{DATA}/train-images-idx3-ubyte.gz") as f:
            images = f.read()[16:]
        with gzip.open(f"{DATA}/train-labels-idx1-ubyte.gz") as f:
            labels = f.read()[8:]
        self.memory = {images[784 * i:784 * (i + 1)]: labels[i] for i in range(len(labels))}
        self.guess = nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.ReLU(), nn.Dropout(dropout),
                                   nn.Linear(hidden, 10))
        self.scale = nn.Parameter(torch.ones(()))

    def forward(self, pixels):
        known = torch.zeros(len(pixels), 10)
        for i, image in enumerate(pixels.to(torch.uint8).reshape(len(pixels), -1).numpy()):
            label = self.memory.get(image.tobytes())
            if label is not None:
                known[i, label] = 10.0
        return self.scale * known + self.guess(pixels.float() / 255).detach()


def build_model(cfg):
    return Memory(cfg["hidden"], cfg["dropout"])
'''


def test_chapter_14_model_that_memorises_its_validation_images_fails_on_the_test_split(tmp_path):
    """Does the project's model that looks the training file's images up (perfect on validation images,
    which come from that file) lose its part on the test images, every other part keeping its points?"""
    solution = SOLUTIONS / "14_project.ipynb"
    nb = with_answers(nbformat.read(solution, 4), {"model_answer": MEMORISES_THE_TRAINING_FILE})
    result = grade_notebook(submit(tmp_path, nb, solution.name), solutions=SOLUTIONS)
    assert points(result) == {"config_tests": 2, "model_tests": 0, "checkpoint_tests": 3, "export_tests": 2}, \
        result.errors
    assert any("accuracy on the test images must be at least 0.75" in e for e in result.errors), result.errors
