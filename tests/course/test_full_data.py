"""The full-data switches of 07 and 08: papermill parameters that a learner with internet sets.

Nothing may be downloaded here, so each test builds, in ``tmp_path``, a tiny copy of the real data
set's layout from the course's shipped files (Speech Commands v0.02 for 07, NSMC for 08), runs the
lesson on it with papermill in a fresh ``course-main`` kernel, offline and with strict warnings as
``course run`` does, and checks that the lesson took the full-data path and loaded what was written.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import strict
from grader.nbio import read_notebook
from grader.paths import NOTEBOOKS, ROOT

pytestmark = pytest.mark.kernel

WORDS = ["zero", "one", "two", "three", "four"]
TIMEOUT_S = 150


def _run(name: str, tmp_path: Path, parameters: dict) -> str:
    """Execute notebooks/`name` with `parameters`; return the text it printed."""
    source = NOTEBOOKS / name
    output = tmp_path / "executed" / name
    output.parent.mkdir()
    command = [
        sys.executable, "-m", "papermill", str(source), str(output),
        "--kernel", "course-main", "--cwd", str(NOTEBOOKS), "--no-progress-bar",
        "--execution-timeout", str(TIMEOUT_S), "--log-level", "WARNING",
        "-y", json.dumps(parameters),  # JSON is YAML: keeps str/int/bool types exact
    ]
    env = {**os.environ, "COURSE_OFFLINE": "1", strict.FLAG: "1",
           strict.DEMOS: strict.demo_fingerprints(read_notebook(source).cells)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S + 60)
    assert done.returncode == 0, done.stderr[-3000:]
    executed = read_notebook(output)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1, "papermill did not inject the parameters"
    return "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.get("output_type") == "stream")


def test_07_speechcommands_layout(tmp_path):
    """DATASET="speechcommands" reads SPEECHCOMMANDS' folder and split lists, capped per word."""
    audio = ROOT / "data" / "audio"
    base = tmp_path / "SpeechCommands" / "speech_commands_v0.02"
    testing, validation = [], []
    for digit, word in enumerate(WORDS):
        (base / word).mkdir(parents=True)
        for lang in ("ko", "en"):
            for take in range(3):
                rel = f"{word}/{lang}{digit}a0b1c2_nohash_{take}.wav"  # <speaker>_nohash_<n>.wav
                shutil.copy(audio / f"digit{digit}_{lang}_{take}.wav", base / rel)
                if take == 0:
                    testing.append(rel)
                elif take == 2 and lang == "ko":
                    validation.append(rel)
    # a word the lesson must skip, and the noise folder SPEECHCOMMANDS itself skips
    (base / "five").mkdir()
    shutil.copy(audio / "digit4_en_1.wav", base / "five" / "f1f2f3f4_nohash_0.wav")
    (base / "_background_noise_").mkdir()
    shutil.copy(audio / "chirp.wav", base / "_background_noise_" / "chirp.wav")
    (base / "testing_list.txt").write_text("\n".join(testing) + "\n")
    (base / "validation_list.txt").write_text("\n".join(validation) + "\n")
    # training: 30 - 10 testing - 5 validation + 1 "five" = 16 clips, 3 per kept word
    printed = _run("07_audio.ipynb", tmp_path, {"DATASET": "speechcommands", "DATA_ROOT": str(tmp_path),
                                                "DOWNLOAD": False, "MAX_PER_CLASS": 2})
    assert "SPEECHCOMMANDS training: 10 of 16 clips" in printed, printed[-2000:]
    assert "SPEECHCOMMANDS testing: 10 of 10 clips" in printed, printed[-2000:]
    assert "train (10, 26) | test (10, 26) | classes [2, 2, 2, 2, 2]" in printed
    assert re.search(r"accuracy on the unseen voice: \d\.\d\d", printed)


def test_08_nsmc_format(tmp_path):
    """CORPUS="nsmc" reads ratings_train.txt / ratings_test.txt, skips empty reviews, caps the rows."""
    with open(ROOT / "data" / "text" / "reviews.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for name, part in [("ratings_train.txt", rows[:240]), ("ratings_test.txt", rows[240:])]:
        lines = ["id\tdocument\tlabel"]
        for i, row in enumerate(part):
            if i == 3:
                lines.append(f"{9000000 + len(lines)}\t\t1")  # NSMC has a few empty documents
            lines.append(f"{9000000 + len(lines)}\t{row['text']}\t{row['label']}")
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    printed = _run("08_text.ipynb", tmp_path, {"CORPUS": "nsmc", "CORPUS_PATH": str(tmp_path),
                                               "MAX_TRAIN": 200, "MAX_TEST": 60})
    assert "NSMC: 200 train + 60 test reviews" in printed, printed[-2000:]
    assert "260 문장 / sentences" in printed
    for model in ("RNN", "LSTM", "GRU", "Transformer", "LSTM + pretrained"):
        assert re.search(rf"^{re.escape(model)} +params +\d+ .*test accuracy \d\.\d{{3}}", printed, re.MULTILINE), model
