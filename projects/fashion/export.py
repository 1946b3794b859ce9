"""Export a checkpoint for serving: torch.export's graph, saved as .pt2 and converted to ONNX.

    python export.py -r saved/models/fashion_cnn/<run>/model_best.pth -o saved/export

Writes model.pt2 (torch.export.save) and model.onnx (its class names in the model's metadata), then
runs both on real test images and compares them with the eager model: export.json records the
largest differences. The served model takes raw pixels (N, 1, 28, 28), float 0-255, any batch size
from 1 to 1024, and returns class probabilities (N, 10).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from data_loader.data_loaders import CLASSES, FILES, read_idx
from model.checkpoint import load_model

MAX_BATCH = 1024


class Deployable(nn.Module):
    """What the server runs: the trained model followed by softmax."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.model(pixels), dim=1)


def export(model: nn.Module, out_dir: Path, data_dir: str) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    deployable = Deployable(model).eval()
    example = torch.zeros(2, 1, 28, 28)
    batch = torch.export.Dim("batch", min=1, max=MAX_BATCH)
    t0 = time.perf_counter()
    program = torch.export.export(deployable, (example,), dynamic_shapes={"pixels": {0: batch}})
    torch.export.save(program, out_dir / "model.pt2")
    t1 = time.perf_counter()
    onnx_program = torch.onnx.export(program, (example,), dynamo=True, input_names=["pixels"],
                                     output_names=["probabilities"], verbose=False)
    onnx_program.save(str(out_dir / "model.onnx"))
    t2 = time.perf_counter()

    import onnx

    proto = onnx.load(str(out_dir / "model.onnx"))
    onnx.helper.set_model_props(proto, {"classes": json.dumps(CLASSES), "input": "pixels float32 (N,1,28,28) 0-255"})
    onnx.save(proto, str(out_dir / "model.onnx"))

    # Compare on 256 real test images (the compare needs no labels, so no test metric is computed here).
    images = read_idx(Path(data_dir) / FILES[False][0])[:256]
    pixels = torch.from_numpy(images.astype(np.float32)).unsqueeze(1)
    with torch.no_grad():
        eager = deployable(pixels)
        loaded = torch.export.load(out_dir / "model.pt2").module()(pixels)
    import onnxruntime as ort

    session = ort.InferenceSession(str(out_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    onnx_out = session.run(None, {"pixels": pixels.numpy()})[0]
    report = {
        "images_compared": len(pixels),
        "max_abs_diff_pt2": float((loaded - eager).abs().max()),
        "max_abs_diff_onnx": float(np.abs(onnx_out - eager.numpy()).max()),
        "same_class_onnx": float((onnx_out.argmax(1) == eager.argmax(1).numpy()).mean()),
        "export_seconds": round(t1 - t0, 2),
        "onnx_seconds": round(t2 - t1, 2),
        "onnx_bytes": (out_dir / "model.onnx").stat().st_size + sum(
            f.stat().st_size for f in out_dir.glob("model.onnx.data")),
    }
    (out_dir / "export.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Export a checkpoint to .pt2 and ONNX")
    parser.add_argument("-r", "--resume", required=True, help="the checkpoint, usually model_best.pth")
    parser.add_argument("-o", "--out", default=None, help="output folder (default: export/ beside the checkpoint)")
    args = parser.parse_args(argv)
    path = Path(args.resume)
    if not path.is_file():
        parser.error(f"no checkpoint at {path}")
    torch.set_num_threads(2)
    model, checkpoint = load_model(path)
    out_dir = Path(args.out) if args.out else path.parent / "export"
    report = export(model, out_dir, checkpoint["config"]["data_loader"]["args"]["data_dir"])
    print(json.dumps(report, indent=2))
    tolerance = 1e-4
    if report["max_abs_diff_onnx"] > tolerance or report["max_abs_diff_pt2"] > tolerance:
        raise SystemExit(f"the exported model differs from the eager one by more than {tolerance}")
    return report


if __name__ == "__main__":
    main()
