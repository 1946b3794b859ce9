"""Make the short recordings in data/audio/ for chapter 07 (audio).
07장(오디오)에서 쓰는 data/audio/의 짧은 녹음을 만듭니다.

How it was run / 실행 방법 (Debian 12, once, by the chapter author):

    sudo apt-get install -y espeak-ng        # espeak-ng 1.51 (Debian 1.51+dfsg-10+deb12u2)
    .venvs/main/bin/python data/make_audio.py

What it writes / 만드는 파일 (16 kHz, mono, 16-bit PCM WAV):
- digit{d}_{lang}_{take}.wav: the digits 0-4 spoken by espeak-ng's synthetic voices in Korean
  (영 일 이 삼 사) and English (zero ... four), three takes each with a different voice variant and
  speed; leading and trailing silence trimmed. 30 files.
- chirp.wav: a 1.5 s sine sweep from 200 Hz to 4 kHz plus a 440 Hz tone, made with NumPy.

The output is deterministic for a given espeak-ng version. Nothing is downloaded.
"""

import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "audio"
RATE = 16_000
WORDS = {
    "ko": ["영", "일", "이", "삼", "사"],
    "en": ["zero", "one", "two", "three", "four"],
}
# (voice variant, words per minute, pitch 0-99) for each take / 녹음마다 목소리 변형, 속도, 음높이
TAKES = [("", 150, 50), ("+f3", 120, 70), ("+m3", 180, 35)]


def read_wav(path):
    with wave.open(str(path), "rb") as f:
        rate, frames = f.getframerate(), f.readframes(f.getnframes())
    return np.frombuffer(frames, dtype=np.int16).astype(np.float32) / 32768.0, rate


def write_wav(path, samples):
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype(np.int16)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(pcm.tobytes())


def resample(x, rate):
    if rate == RATE:
        return x
    t_new = np.arange(int(len(x) * RATE / rate)) / RATE
    return np.interp(t_new, np.arange(len(x)) / rate, x).astype(np.float32)


def trim(x, threshold=0.02, pad=800):
    loud = np.flatnonzero(np.abs(x) > threshold)
    return x[max(loud[0] - pad, 0): loud[-1] + pad] if len(loud) else x


def main():
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        for lang, words in WORDS.items():
            for digit, word in enumerate(words):
                for take, (variant, speed, pitch) in enumerate(TAKES):
                    subprocess.run(["espeak-ng", "-v", lang + variant, "-s", str(speed), "-p", str(pitch),
                                    "-w", str(raw), word], check=True)
                    x, rate = read_wav(raw)
                    x = trim(resample(x, rate))
                    x = 0.7 * x / np.abs(x).max()  # 최대 진폭 0.7로 / peak at 0.7
                    write_wav(OUT / f"digit{digit}_{lang}_{take}.wav", x)
    t = np.arange(int(1.5 * RATE)) / RATE
    f0, f1 = 200.0, 4000.0
    phase = 2 * np.pi * (f0 * t + (f1 - f0) / (2 * 1.5) * t**2)
    write_wav(OUT / "chirp.wav", 0.4 * np.sin(phase) + 0.2 * np.sin(2 * np.pi * 440.0 * t))
    total = sum(p.stat().st_size for p in OUT.glob("*.wav"))
    print(f"{len(list(OUT.glob('*.wav')))} files, {total / 1024:.0f} KiB in {OUT}")


if __name__ == "__main__":
    main()
