"""Make the synthetic text stand-in of notebooks/08_torchtext.ipynb / 08_torchtext의 합성 텍스트 데이터를 만듭니다.

The main text lesson (notebooks/08_text.ipynb) reads real Korean text from the konlpy package;
this stand-in stays only because the torchtext kernel (torch 2.3) has neither konlpy nor kiwipiepy.

Writes, deterministically (fixed seed, no downloads):

- data/text/reviews.tsv  : short Korean and English reviews with a sentiment label
                           (columns: text, label, lang; label 1 = positive, 0 = negative).
                           The sentences are assembled from the word lists below, written for this
                           course and released under CC0 1.0.
- data/text/vectors.txt  : 16-dimensional word vectors in GloVe's text format ("word v1 ... v16"),
                           derived from reviews.tsv itself: word co-occurrence counts in a window
                           of 2, positive PMI, then a truncated SVD (NumPy). CC0 1.0 as well.

Run from the repository root: `.venvs/main/bin/python data/make_text.py`.
"""
from __future__ import annotations

import csv
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "text"
SEED = 0
DIM = 16

EN_SUBJECTS = ["the movie", "this film", "the story", "the acting", "the music", "the ending",
               "the book", "this phone", "the food", "the service", "the hotel", "the game"]
EN_POS = ["was great", "was wonderful", "was excellent", "was fun", "was lovely", "was amazing",
          "is really good", "made me happy", "was a joy", "is the best"]
EN_NEG = ["was terrible", "was boring", "was awful", "was bad", "was dull", "was a mess",
          "is really poor", "made me sad", "was a waste", "is the worst"]
EN_TAIL_POS = ["", "", " and i loved it", " and i would watch it again", " , highly recommended",
               " and everyone smiled"]
EN_TAIL_NEG = ["", "", " and i hated it", " and i want my money back", " , not recommended",
               " and everyone left early"]

KO_SUBJECTS = ["영화가", "이 영화는", "이야기가", "연기가", "음악이", "결말이", "책이", "이 휴대폰은",
               "음식이", "서비스가", "호텔이", "게임이"]
KO_POS = ["정말 좋았어요", "훌륭했어요", "최고였어요", "재미있었어요", "감동적이었어요", "멋졌어요",
          "아주 만족스러웠어요", "마음에 들었어요", "즐거웠어요", "완벽했어요"]
KO_NEG = ["정말 별로였어요", "지루했어요", "최악이었어요", "재미없었어요", "실망스러웠어요", "엉망이었어요",
          "아주 불만스러웠어요", "마음에 안 들었어요", "짜증났어요", "형편없었어요"]
KO_HEAD = ["", "", "오늘 본 ", "어제 본 ", "솔직히 ", "생각보다 "]
KO_TAIL_POS = ["", "", " 또 보고 싶어요", " 강력 추천합니다", " 모두 웃었어요"]
KO_TAIL_NEG = ["", "", " 다시는 안 봐요", " 돈이 아까워요", " 추천하지 않아요"]


def make_sentences(n_per_group: int = 80) -> list[tuple[str, int, str]]:
    rng = random.Random(SEED)
    rows: set[tuple[str, int, str]] = set()
    groups = [
        ("en", 1, lambda: f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_POS)}{rng.choice(EN_TAIL_POS)}"),
        ("en", 0, lambda: f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_NEG)}{rng.choice(EN_TAIL_NEG)}"),
        ("ko", 1, lambda: f"{rng.choice(KO_HEAD)}{rng.choice(KO_SUBJECTS)} {rng.choice(KO_POS)}{rng.choice(KO_TAIL_POS)}"),
        ("ko", 0, lambda: f"{rng.choice(KO_HEAD)}{rng.choice(KO_SUBJECTS)} {rng.choice(KO_NEG)}{rng.choice(KO_TAIL_NEG)}"),
    ]
    out = []
    for lang, label, make in groups:
        made = 0
        while made < n_per_group:
            text = make().strip()
            text = text[0].upper() + text[1:] if lang == "en" else text
            text = text + ("." if lang == "en" else rng.choice([".", "!", ""]))
            if (text, label, lang) in rows:
                continue
            rows.add((text, label, lang))
            out.append((text, label, lang))
            made += 1
    rng.shuffle(out)
    return out


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def make_vectors(sentences: list[str]) -> tuple[list[str], np.ndarray]:
    counts = Counter(t for s in sentences for t in tokens(s))
    words = sorted(counts, key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(words)}
    co = np.zeros((len(words), len(words)))
    for s in sentences:
        ids = [index[t] for t in tokens(s)]
        for i, a in enumerate(ids):
            for b in ids[max(0, i - 2):i] + ids[i + 1:i + 3]:
                co[a, b] += 1.0
    total = co.sum()
    row = co.sum(axis=1, keepdims=True)
    col = co.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore"):
        pmi = np.log(co * total / (row @ col))
    ppmi = np.maximum(pmi, 0.0)
    u, s, _ = np.linalg.svd(ppmi)
    vecs = u[:, :DIM] * np.sqrt(s[:DIM])
    vecs = vecs * np.where(vecs[np.abs(vecs).argmax(axis=0), np.arange(DIM)] < 0, -1.0, 1.0)  # fix SVD signs
    vecs = np.where(np.abs(vecs) < 5e-6, 0.0, vecs)
    return words, vecs


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = make_sentences()
    with open(OUT / "reviews.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["text", "label", "lang"])
        w.writerows(rows)
    words, vecs = make_vectors([r[0] for r in rows])
    with open(OUT / "vectors.txt", "w", encoding="utf-8") as f:
        for word, v in zip(words, vecs):
            f.write(word + " " + " ".join(f"{x:.5f}" for x in v) + "\n")
    print(f"{len(rows)} sentences, {len(words)} word vectors of dimension {DIM} -> {OUT}")


if __name__ == "__main__":
    main()
