"""export.py and serve.py: the exported model matches eager, and the service answers good and bad requests."""

from __future__ import annotations

import http.client
import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from project_testing import DATA_DIR, PROJECT, read, run


@pytest.fixture(scope="module")
def exported(trained, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    run("export.py", "-r", str(trained / "model_best.pth"), "-o", str(out))
    return out


def test_the_exported_programs_match_the_eager_model(exported):
    report = read(exported / "export.json")
    assert report["images_compared"] == 256
    assert report["max_abs_diff_pt2"] <= 1e-5 and report["max_abs_diff_onnx"] <= 1e-4
    assert report["same_class_onnx"] == 1.0
    program = torch.export.load(exported / "model.pt2")
    for batch in (1, 7):  # the batch dimension is dynamic
        probabilities = program.module()(torch.zeros(batch, 1, 28, 28))
        assert probabilities.shape == (batch, 10)
        assert torch.allclose(probabilities.sum(dim=1), torch.ones(batch), atol=1e-5)


@pytest.fixture(scope="module")
def server(exported):
    process = subprocess.Popen([sys.executable, "serve.py", "--model", str(exported / "model.onnx"), "--port", "0",
                                "--max-bytes", "65536", "--quiet"], cwd=PROJECT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert "Serving" in line, process.stderr.read()
        port = int(line.rsplit(":", 1)[1].strip())
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_image(index: int = 0) -> tuple[bytes, int]:
    from data_loader.data_loaders import FILES, read_idx

    image = read_idx(DATA_DIR / FILES[False][0])[index]
    label = int(read_idx(DATA_DIR / FILES[False][1])[index])
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue(), label


test_image.__test__ = False  # a helper, not a test


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG that declares width x height but holds 64 bytes of pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def test_a_real_image_gets_its_class_and_probabilities(server):
    _, port = server
    correct = 0
    for index in range(20):
        body, label = test_image(index)
        status, answer = request(port, "POST", "/predict", body, {"Content-Type": "image/png"})
        assert status == 200, answer
        probabilities = answer["probabilities"]
        assert len(probabilities) == 10 and abs(sum(probabilities.values()) - 1) < 1e-3
        assert answer["class"] == max(probabilities, key=probabilities.get)
        correct += answer["index"] == label
    assert correct >= 12  # a 2-epoch model on 1,350 images: most of 20 test images right
    status, health = request(port, "GET", "/health")
    assert status == 200 and health["requests"] >= 20 and health["classes"][9] == "Ankle boot"


def test_json_pixels_give_the_same_answer_as_the_image(server):
    _, port = server
    body, _ = test_image(3)
    pixels = np.asarray(Image.open(io.BytesIO(body))).tolist()
    _, from_image = request(port, "POST", "/predict", body, {"Content-Type": "image/png"})
    status, from_json = request(port, "POST", "/predict", json.dumps({"pixels": pixels}).encode(),
                                {"Content-Type": "application/json"})
    assert status == 200 and from_json["probabilities"] == from_image["probabilities"]


BAD = {
    "corrupt image": (b"\x89PNG\r\n\x1a\nthis is not a png", "image/png", 400, "not an image"),
    "truncated image": (None, "image/png", 400, "truncated or corrupt"),
    "wrong size": ("64x48", "image/png", 400, "expected a 28x28 image, got 64x48"),
    "huge declared size": (png_claiming(100_000, 100_000), "image/png", 400, "far more pixels"),
    "large declared size": (png_claiming(10_000, 10_000), "image/png", 400, "got 10000x10000"),
    "wrong JSON shape": (json.dumps({"pixels": [[0] * 28] * 27}).encode(), "application/json", 400, "[27, 28]"),
    "pixels out of range": (json.dumps({"pixels": [[300] * 28] * 28}).encode(), "application/json", 400, "0 to 255"),
    "not JSON": (b"{pixels:", "application/json", 400, "expected JSON"),
    "unsupported format": ("TIFF", "image/tiff", 415, "TIFF"),
    "empty body": (b"", "image/png", 400, "empty"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gets_a_clear_error_in_both_languages(server, case):
    process, port = server
    body, kind, expected, phrase = BAD[case]
    if body is None:
        body = test_image(0)[0][:60]
    elif body in ("64x48", "TIFF"):
        buffer = io.BytesIO()
        size, kind_of_file = ((64, 48), "PNG") if body == "64x48" else ((28, 28), "TIFF")
        Image.new("L", size).save(buffer, format=kind_of_file)
        body = buffer.getvalue()
    status, answer = request(port, "POST", "/predict", body, {"Content-Type": kind})
    assert status == expected and phrase in answer["error"] and answer["error_ko"], answer
    assert process.poll() is None
    assert request(port, "GET", "/health")[0] == 200  # and the service carries on


def test_a_huge_body_is_refused_before_it_is_sent(server):
    _, port = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.putrequest("POST", "/predict")
    connection.putheader("Content-Type", "image/png")
    connection.putheader("Content-Length", str(10**9))  # a gigabyte announced; not a byte of it sent
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413 and "limit is 65536" in json.loads(response.read())["error"]
    connection.close()


def test_wrong_paths_methods_and_missing_lengths(server):
    _, port = server
    assert request(port, "GET", "/nothing")[0] == 404
    assert request(port, "POST", "/health", b"x")[0] == 404
    assert request(port, "DELETE", "/predict")[0] == 405
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.putrequest("POST", "/predict")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 411
    connection.close()
