"""A small learned back-up for the rules: multinomial naive Bayes (binary features).

Features: canonical tokens and token bigrams (see normalize.py) plus character 4-grams
of the raw words, so unseen spellings still share most of their features.  Weights live
in model.json, built by ``bench/make_triage_corpus.py`` from a synthetic corpus (fixed
seed, reproducible).  Pure stdlib; the JSON is read once, on first use.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from .normalize import normalize

CLASSES: tuple[str, ...] = (
    "self_harm",
    "danger_baby",
    "danger_mother",
    "loss",
    "mastitis",
    "engorgement",
    "latch_pain",
    "low_milk",
    "mood",
    "question",
    "none",
)
_PATH = Path(__file__).with_name("model.json")
_BOUND = frozenset({",", ".", "?"})
_WORD = re.compile(r"[a-z]+")
TEMPERATURE = 4.0  # naive Bayes sums many correlated features: soften its certainty
_model: tuple[list[float], dict[str, list[float]]] | None = None


def features(text: str, toks: list[str] | None = None) -> list[str]:
    """Feature strings of one message (order irrelevant, duplicates removed by callers)."""
    if toks is None:
        toks = normalize(text)
    words = [t for t in toks if t not in _BOUND and not t[:1].isdigit()]
    out = ["w:" + w for w in words]
    out += ["b:" + a + "_" + b for a, b in zip(words, words[1:], strict=False)]
    if "?" in toks:
        out.append("q:?")
    for w in _WORD.findall(text.lower()[:500]):
        p = " " + w + " "
        out += ["c:" + p[i : i + 4] for i in range(len(p) - 3)]
    return out


def _load() -> tuple[list[float], dict[str, list[float]]]:
    global _model
    if _model is None:
        try:
            d = json.loads(_PATH.read_text(encoding="utf-8"))
            if tuple(d["classes"]) != CLASSES:
                raise ValueError("model classes differ")
            _model = (list(d["prior"]), dict(d["weights"]))
        except (OSError, ValueError, KeyError):  # no model: the rules stand alone
            _model = ([0.0] * len(CLASSES), {})
    return _model


def predict(text: str, toks: list[str] | None = None) -> dict[str, float]:
    """Posterior probability of each internal class."""
    return predict_with(_load(), text, toks)


def predict_with(
    model: tuple[list[float], dict[str, list[float]]], text: str, toks: list[str] | None = None
) -> dict[str, float]:
    """Posterior of each internal class under *model* (prior, weights): used by the CV too."""
    prior, weights = model
    score = [p * TEMPERATURE for p in prior]
    n = len(score)
    for f in set(features(text, toks)):
        w = weights.get(f)
        if w is not None:
            for i in range(n):
                score[i] += w[i]
    score = [s / TEMPERATURE for s in score]
    top = max(score)
    exp = [math.exp(s - top) for s in score]
    z = sum(exp)
    return {c: e / z for c, e in zip(CLASSES, exp, strict=True)}
