"""Understanding a reply to a question with choices: its number, its words, or a synonym.

A word she negates is not her answer: `ga mau` and `tidak setuju` are a no, never a
yes because `mau` or `setuju` appears in them; `gak betul` is not `betul`.
"""

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
    "belom": "belum", "blom": "belum", "lom": "belum", "ndak": "tidak", "nda": "tidak",
    "engga": "tidak", "kagak": "tidak", "ogah": "tidak", "bener": "benar",
}
_STOPWORDS = {"saya", "aku", "sy", "yang", "dan", "atau", "sudah", "the", "a", "i", "my", "is"}
# a word right after one of these is negated (`gak` and the like are spelled out first)
NEGATIONS = frozenset({"tidak", "belum", "jangan", "bukan", "kurang", "not", "never"})
# "it's fine": neither a yes nor a no on its own (`gak apa-apa`, `gpp`)
_NEUTRAL = re.compile(
    r"\b(tidak (apa )?(apa|apa2|papa|pp)( apa)?|tidak masalah|gpp|gapapa|gakpapa|gkpp)\b")


def words(raw: str) -> list[str]:
    """Lower-case words of a reply, with common abbreviations spelled out."""
    tokens = re.findall(r"[a-z0-9]+", re.sub(r"n[’']t\b", " not", raw.lower()))
    return [_SHORT.get(token, token) for token in tokens]


def synonyms(vocab_key: str) -> set[str]:
    """Words (from messages/ui/words.yaml, every locale) that mean one answer, spelled
    as `words` spells a reply (`udh lahir` is looked for as `sudah lahir`)."""
    entry = ui_texts()[vocab_key]
    found: set[str] = set()
    for value in entry.texts.values():
        found.update(" ".join(words(w)) for w in value.split(",") if w.strip())
    return found


def _negated(joined: str, start: int) -> bool:
    """The word before position `start` of a spelled-out reply negates what follows."""
    before = joined[:start].split()
    return bool(before) and before[-1] in NEGATIONS


def says(joined: str, phrase: str) -> bool:
    """The spelled-out reply contains the phrase, not negated (`tidak setuju` is no `setuju`)."""
    pattern = rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"
    return any(not _negated(joined, m.start()) for m in re.finditer(pattern, joined))


def says_any(raw: str, vocab_key: str) -> bool:
    """The reply says one of a words.* entry's phrases, not negated."""
    joined = " ".join(words(raw))
    return any(says(joined, phrase) for phrase in synonyms(vocab_key) if phrase)


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
    joined = _NEUTRAL.sub(" ", " ".join(said)).strip()
    for key, vocab_key in (vocab or {}).items():
        for phrase in synonyms(vocab_key):
            if phrase and says(joined, phrase):
                return key
    said = joined.split()
    # a negated word counts only toward a label that says the negation too (`Tidak tahu`)
    affirmed = {w for i, w in enumerate(said) if i == 0 or said[i - 1] not in NEGATIONS}
    scores: dict[str, int] = {}
    for key, label in options:
        label_words = {w for w in words(label) if w not in _STOPWORDS}
        counted = set(said) if label_words & NEGATIONS else affirmed
        scores[key] = len(label_words & counted)
    best = max(scores.values(), default=0)
    winners = [key for key, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def labels(keys: Iterable[str], lang: str, prefix: str) -> list[tuple[str, str]]:
    """(key, label) pairs from the texts `prefix.key` in a language."""
    return [(key, ui_text(f"{prefix}.{key}", lang)) for key in keys]
