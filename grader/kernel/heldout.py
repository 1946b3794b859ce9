"""Held-out test data whose labels a graded answer never reads.

A hidden test that measures a trained model on a data set's test split computes the model's
predictions on the test *inputs* and hands them to :func:`grader.asserts.check_held_out_accuracy`.
Where the judge runs a submission (``course grade``), the sandbox shows the inputs but an empty file
in place of each labels file below, so no code in the learner's process can train on the test
labels, memorise them or look them up; the check sends the predictions to the grader, which compares
them with the labels outside the sandbox (:func:`verdict`). Anywhere else (a lesson, ``course run``,
a learner's own JupyterLab) the check reads the labels itself.

Kernel-side (:data:`grader.kernels.KERNEL_SIDE`): the standard library only.
"""

from __future__ import annotations

import gzip
import os
import sys

#: Set in the judge's environment: there, the check hands its predictions to the grader.
ENV = "COURSE_JUDGE"
#: The audit event that carries a check's predictions to the judge (it hears every audit event).
EVENT = "course.held_out"

_FASHION = "/usr/share/datasets/fashion-mnist"  # the Debian package dataset-fashion-mnist
#: name -> (inputs file, labels file), IDX files compressed with gzip.
SETS = {
    "fashion-mnist-test": (f"{_FASHION}/t10k-images-idx3-ubyte.gz", f"{_FASHION}/t10k-labels-idx1-ubyte.gz"),
}


def _header(handle) -> tuple[int, ...]:
    """The shape an IDX file's header gives; the file must hold unsigned bytes."""
    header = handle.read(4)
    if len(header) != 4 or header[:3] != b"\0\0\x08":  # two zero bytes, type 0x08 = unsigned byte
        raise ValueError(f"{handle.name}: not an IDX file of unsigned bytes")
    return tuple(int.from_bytes(handle.read(4), "big") for _ in range(header[3]))


def read_idx(path: str) -> tuple[tuple[int, ...], bytes]:
    """The shape and the raw uint8 values of a gzip-compressed IDX file (the format of (Fashion-)MNIST)."""
    with gzip.open(path, "rb") as handle:
        shape = _header(handle)
        size = 1
        for n in shape:
            size *= n
        data = handle.read(size)
    if len(data) != size:
        raise ValueError(f"{path}: {len(data)} of {size} values")
    return shape, data


def inputs(name: str) -> tuple[tuple[int, ...], bytes]:
    """The test inputs of the held-out set `name` (shape, uint8 values)."""
    return read_idx(SETS[name][0])


def size(name: str) -> int:
    """How many examples the held-out set `name` has (read from its inputs file's header alone)."""
    with gzip.open(SETS[name][0], "rb") as handle:
        return _header(handle)[0]


def labels(name: str) -> bytes:
    """The test labels of the held-out set `name`, one byte each. Raises OSError or ValueError where they
    cannot be read (inside the judge's sandbox: always)."""
    return read_idx(SETS[name][1])[1]


def label_files() -> list[str]:
    """Every labels file the sandbox replaces with an empty one (those that exist on this machine)."""
    return [files[1] for files in SETS.values() if os.path.isfile(files[1])]


def accuracy(predictions: bytes, truth: bytes) -> float:
    """The share of positions where `predictions` and `truth` hold the same label."""
    return sum(p == t for p, t in zip(predictions, truth, strict=True)) / len(truth)


def claim(name: str, predictions: bytes) -> None:
    """Hand the predictions to the judge, which passes them to the grader with the test cell's verdict."""
    sys.audit(EVENT, name, predictions)


def verdict(claims: object, name: str, at_least: float) -> str | None:
    """Decide a test cell's held-out check outside the sandbox: None if it passes, else why not (bilingual).

    `name` and `at_least` come from the test cell's own text (the instructor's), never from the claim: the
    learner's code can raise the same audit event with anything in it. A claim it adds is one too many,
    so the cell fails rather than trusting either.
    """
    from grader import messages

    if type(claims) is not list or len(claims) != 1:
        return messages.format("heldout.claims", count=len(claims) if type(claims) is list else 0)
    claim = claims[0]
    if type(claim) not in (tuple, list) or len(claim) != 2 or claim[0] != name or type(claim[1]) is not bytes:
        return messages.format("heldout.malformed")
    predictions = claim[1]
    try:
        truth = labels(name)
    except (OSError, ValueError, KeyError) as err:
        return messages.format("heldout.unreadable", name=name, error=str(err)[:300])
    if len(predictions) != len(truth):
        return messages.format("heldout.count", got=len(predictions), want=len(truth))
    measured = accuracy(predictions, truth)
    return None if measured >= at_least else messages.format("heldout.below", accuracy=f"{measured:.4f}",
                                                             at_least=at_least)
