"""A recall-oriented learned net: binary logistic regression "urgent vs not".

Features: canonical tokens and token bigrams (normalize.py) plus character 3-5-grams of
each raw word (with word-boundary spaces), so unseen spellings, dialect words and
English grammar still share most of their features with lines seen in training.  Each
feature has value 1/sqrt(number of features) (long messages do not shout louder).

Weights live in urgent_model.json, built by ``bench/make_triage_corpus.py`` (fixed seed,
sorted keys, rounded weights: a rebuild gives the same file).  The classifier uses it
only to RAISE a non-urgent rule result to urgent (never to lower one), at the threshold
chosen by grouped cross-validation (see make_triage_corpus.grouped_cv).
Pure stdlib; the JSON is read once, on first use; a missing file means "rules alone".
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from .normalize import normalize

_PATH = Path(__file__).with_name("urgent_model.json")
_BOUND = frozenset({",", ".", "?"})
_WORD = re.compile(r"[a-z]+")
_model: tuple[float, dict[str, float]] | None = None


def features(text: str, toks: list[str] | None = None) -> set[str]:
    """Feature strings of one message."""
    if toks is None:
        toks = normalize(text)
    words = [t for t in toks if t not in _BOUND and not t[:1].isdigit()]
    out = {"w:" + w for w in words}
    out.update("b:" + a + "_" + b for a, b in zip(words, words[1:], strict=False))
    for w in set(_WORD.findall(text.lower()[:600])):
        p = " " + w + " "
        n = len(p)
        for k in (3, 4, 5):
            for i in range(n - k + 1):
                out.add(p[i : i + k])
    return out


def _load() -> tuple[float, dict[str, float]]:
    global _model
    if _model is None:
        try:
            d = json.loads(_PATH.read_text(encoding="utf-8"))
            _model = (float(d["bias"]), {k: float(v) for k, v in d["weights"].items()})
        except (OSError, ValueError, KeyError, TypeError):  # no model: the rules stand alone
            _model = (-50.0, {})
    return _model


def score_with(model: tuple[float, dict[str, float]], feats: set[str]) -> float:
    """Probability of "urgent" under *model* (bias, weights) for a feature set."""
    bias, weights = model
    if not feats:
        return 1.0 / (1.0 + math.exp(-bias)) if bias > -50 else 0.0
    get = weights.get
    s = 0.0
    for f in feats:
        w = get(f)
        if w is not None:
            s += w
    z = bias + s / math.sqrt(len(feats))
    if z < -35:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def predict(text: str, toks: list[str] | None = None) -> float:
    """Probability that the message is urgent (danger_baby or danger_mother)."""
    return score_with(_load(), features(text, toks))
