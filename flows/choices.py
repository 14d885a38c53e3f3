"""Understanding a reply to a question with choices: its number, its words, or a synonym."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from messages.texts import text as ui_text
from messages.texts import ui_texts

# how mothers shorten the words our labels use
_SHORT = {
    "udh": "sudah", "udah": "sudah", "sdh": "sudah", "dah": "sudah", "blm": "belum",
    "blum": "belum", "gk": "tidak", "ga": "tidak", "gak": "tidak", "nggak": "tidak",
    "ngga": "tidak", "enggak": "tidak", "tdk": "tidak", "tak": "tidak", "dak": "tidak",
    "idak": "tidak", "iya": "ya", "iy": "ya", "y": "ya", "yes": "ya", "yg": "yang",
    "hml": "hamil", "bumil": "hamil", "lhr": "lahir", "brp": "berapa", "bs": "bisa",
}
_STOPWORDS = {"saya", "aku", "sy", "yang", "dan", "atau", "sudah", "the", "a", "i", "my", "is"}


def words(raw: str) -> list[str]:
    """Lower-case words of a reply, with common abbreviations spelled out."""
    tokens = re.findall(r"[a-z0-9]+", raw.lower())
    return [_SHORT.get(token, token) for token in tokens]


def synonyms(vocab_key: str) -> set[str]:
    """Words (from messages/ui/words.yaml, every locale) that mean one answer."""
    entry = ui_texts()[vocab_key]
    found: set[str] = set()
    for value in entry.texts.values():
        found.update(w.strip().lower() for w in value.split(",") if w.strip())
    return found


def match_choice(
    raw: str, options: Sequence[tuple[str, str]], vocab: dict[str, str] | None = None
) -> str | None:
    """The key of the option a reply picks, or None when it is not clear.

    `options` are (key, label) pairs in the order shown (number 1 is the first);
    `vocab` maps an option key to a words.* entry of synonyms.
    """
    reply = raw.strip().lower()
    number = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", reply)
    if number:
        index = int(number.group(1)) - 1
        return options[index][0] if 0 <= index < len(options) else None
    said = words(reply)
    if not said:
        return None
    joined = " ".join(said)
    for key, vocab_key in (vocab or {}).items():
        for phrase in synonyms(vocab_key):
            if phrase and re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", joined):
                return key
    scores: dict[str, int] = {}
    for key, label in options:
        label_words = {w for w in words(label) if w not in _STOPWORDS}
        scores[key] = len(label_words & set(said))
    best = max(scores.values(), default=0)
    winners = [key for key, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def labels(keys: Iterable[str], lang: str, prefix: str) -> list[tuple[str, str]]:
    """(key, label) pairs from the texts `prefix.key` in a language."""
    return [(key, ui_text(f"{prefix}.{key}", lang)) for key in keys]
