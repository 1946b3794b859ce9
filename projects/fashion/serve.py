"""A small HTTP inference service for the exported model (ONNX Runtime, Python's standard library server).

    python serve.py --model saved/export/model.onnx --port 8000

    GET  /health    -> {"status": "ok", "classes": [...], "requests": n}
    POST /predict   body: a 28x28 grayscale image (PNG, JPEG, BMP, GIF, WebP),
                    or JSON {"pixels": 28 rows of 28 numbers 0-255}
                 -> {"class": "Ankle boot", "index": 9, "probabilities": {"T-shirt/top": 0.0001, ...}}

Bad input gets a JSON error with an HTTP status, in English and Korean, and the server carries on:
400 malformed (corrupt image, wrong size, bad JSON), 404 unknown path, 405 wrong method,
411 no Content-Length, 413 body over --max-bytes (refused before it is read), 415 unsupported type.
With --port 0 the system picks a free port; the first line printed says which.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import onnxruntime as ort
from PIL import Image, UnidentifiedImageError

SIDE = 28
IMAGE_FORMATS = {"PNG", "JPEG", "BMP", "GIF", "WEBP"}


class BadRequest(Exception):
    """An input the service refuses: an HTTP status and the reason in both languages."""

    def __init__(self, status: HTTPStatus, en: str, ko: str):
        super().__init__(en)
        self.status, self.en, self.ko = status, en, ko


class Model:
    """The ONNX model and its class names (stored in the model's metadata by export.py)."""

    def __init__(self, path: str, threads: int = 1):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.classes = json.loads(self.session.get_modelmeta().custom_metadata_map["classes"])
        self.input_name = self.session.get_inputs()[0].name

    def predict(self, pixels: np.ndarray) -> dict:
        probabilities = self.session.run(None, {self.input_name: pixels.reshape(1, 1, SIDE, SIDE)})[0][0]
        index = int(probabilities.argmax())
        return {"class": self.classes[index], "index": index,
                "probabilities": {name: round(float(p), 6) for name, p in zip(self.classes, probabilities, strict=True)}}


def pixels_from_image(body: bytes) -> np.ndarray:
    try:
        image = Image.open(io.BytesIO(body))  # reads the header only: the size is known before decoding
    except Image.DecompressionBombError:
        raise BadRequest(HTTPStatus.BAD_REQUEST, f"the image declares far more pixels than {SIDE}x{SIDE}",
                         f"이미지가 {SIDE}x{SIDE}보다 훨씬 많은 픽셀을 가졌다고 선언합니다") from None
    except (UnidentifiedImageError, OSError):
        raise BadRequest(HTTPStatus.BAD_REQUEST, "the body is not an image this service can read (corrupt or unknown format)",
                         "본문이 이 서비스가 읽을 수 있는 이미지가 아닙니다(손상되었거나 모르는 형식)") from None
    if image.format not in IMAGE_FORMATS:
        raise BadRequest(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"image format {image.format} is not accepted: "
                         f"use {', '.join(sorted(IMAGE_FORMATS))}",
                         f"이미지 형식 {image.format}은 받지 않습니다. {', '.join(sorted(IMAGE_FORMATS))} 중 하나를 쓰세요")
    if image.size != (SIDE, SIDE):
        width, height = image.size
        raise BadRequest(HTTPStatus.BAD_REQUEST, f"expected a {SIDE}x{SIDE} image, got {width}x{height}",
                         f"{SIDE}x{SIDE} 이미지여야 하는데 {width}x{height}입니다")
    try:
        image.load()
    except (OSError, SyntaxError, ValueError):
        raise BadRequest(HTTPStatus.BAD_REQUEST, "the image is truncated or corrupt", "이미지가 잘렸거나 손상되었습니다") from None
    return np.asarray(image.convert("L"), dtype=np.float32)


def pixels_from_json(body: bytes) -> np.ndarray:
    try:
        payload = json.loads(body)
        rows = payload["pixels"]
        pixels = np.asarray(rows, dtype=np.float32)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        raise BadRequest(HTTPStatus.BAD_REQUEST, 'expected JSON {"pixels": [[...28 numbers...], ... 28 rows]}',
                         'JSON {"pixels": [[...숫자 28개...], ... 28줄]} 형식이어야 합니다') from None
    if pixels.shape != (SIDE, SIDE):
        raise BadRequest(HTTPStatus.BAD_REQUEST, f"expected pixels of shape [{SIDE}, {SIDE}], got {list(pixels.shape)}",
                         f"pixels의 모양은 [{SIDE}, {SIDE}]이어야 하는데 {list(pixels.shape)}입니다")
    if not np.isfinite(pixels).all() or pixels.min() < 0 or pixels.max() > 255:
        raise BadRequest(HTTPStatus.BAD_REQUEST, "pixels must be finite numbers from 0 to 255",
                         "pixels는 0부터 255 사이의 유한한 수여야 합니다")
    return pixels


def make_handler(model: Model, max_bytes: int, stats: dict, lock: threading.Lock, quiet: bool):
    class Handler(BaseHTTPRequestHandler):
        server_version = "FashionServe/1.0"
        protocol_version = "HTTP/1.1"
        timeout = 10  # seconds a client may take to send its request: a stalled client frees its thread
        # Headers and body go out in separate writes: with Nagle's algorithm on, the body of each answer on a
        # kept-alive connection waits for the client's delayed ACK (about 40 ms on Linux). TCP_NODELAY sends at once.
        disable_nagle_algorithm = True

        def do_GET(self):
            if self.path != "/health":
                return self._error(BadRequest(HTTPStatus.NOT_FOUND, f"no such path: {self.path}", f"없는 경로입니다: {self.path}"))
            with lock:
                requests = stats["requests"]
            self._send(HTTPStatus.OK, {"status": "ok", "classes": model.classes, "requests": requests})

        def do_POST(self):
            if self.path != "/predict":
                return self._error(BadRequest(HTTPStatus.NOT_FOUND, f"no such path: {self.path}", f"없는 경로입니다: {self.path}"))
            started = time.perf_counter()
            try:
                body = self._body()
                kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
                pixels = pixels_from_json(body) if kind == "application/json" else pixels_from_image(body)
                result = model.predict(pixels)
            except BadRequest as error:
                return self._error(error)
            result["latency_ms"] = round((time.perf_counter() - started) * 1000, 3)
            with lock:
                stats["requests"] += 1
            self._send(HTTPStatus.OK, result)

        def do_PUT(self):
            self._error(BadRequest(HTTPStatus.METHOD_NOT_ALLOWED, "use GET /health or POST /predict",
                                   "GET /health 또는 POST /predict를 쓰세요"))

        do_DELETE = do_PATCH = do_PUT

        def _body(self) -> bytes:
            length = self.headers.get("Content-Length")
            if length is None:
                raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header", "Content-Length 헤더를 보내세요")
            try:
                length = int(length)
            except ValueError:
                raise BadRequest(HTTPStatus.BAD_REQUEST, "Content-Length is not a number", "Content-Length가 숫자가 아닙니다") from None
            if length > max_bytes:
                raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is {length} bytes; the limit is {max_bytes}",
                                 f"본문이 {length}바이트입니다. 한도는 {max_bytes}바이트입니다")
            if length <= 0:
                raise BadRequest(HTTPStatus.BAD_REQUEST, "the body is empty", "본문이 비어 있습니다")
            return self.rfile.read(length)

        def _error(self, error: BadRequest) -> None:
            # The body of a refused request may not have been read: close the connection after answering.
            self.close_connection = True
            self._send(error.status, {"error": error.en, "error_ko": error.ko, "status": int(error.status)})

        def _send(self, status: HTTPStatus, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 (the standard library's signature)
            if not quiet:
                sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the exported Fashion-MNIST model over HTTP")
    parser.add_argument("--model", required=True, help="model.onnx written by export.py")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    parser.add_argument("--max-bytes", type=int, default=1 << 20, help="largest request body accepted (default 1 MiB)")
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads per request")
    parser.add_argument("--quiet", action="store_true", help="no line per request")
    args = parser.parse_args(argv)
    if args.max_bytes <= 0:
        parser.error("--max-bytes must be positive")
    model = Model(args.model, threads=args.threads)
    handler = make_handler(model, args.max_bytes, {"requests": 0}, threading.Lock(), args.quiet)
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    print(f"Serving {args.model} on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
