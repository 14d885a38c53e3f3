"""The short welcome series: what she must know now, minus what her tips will soon say.

A mother who registers late gets two or three welcome texts for her stage band
(``welcome.<band>.<n>`` in ``ui/welcome.yaml``). A mother who registers early in a
stage would hear the same advice twice: in the welcome, and a day or two later as
her stage's own tip. So a welcome text names the tips that tell her the same
(``covered_by``); while one of them will reach her within ``WELCOME_HORIZON_DAYS``,
the text is left out, or replaced by its shorter ``instead`` text (the part those
tips do not cover). Pure: the caller passes the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

from messages.texts import has, ui_texts
from messages.tips import Tip

WELCOME_COUNT = 3  # welcome.<band>.1 .. welcome.<band>.3
WELCOME_HORIZON_DAYS = 7  # a tip due within a week "will soon tell her the same"


def coming_soon(tip: Tip | None, stage: str, day: int, horizon: int = WELCOME_HORIZON_DAYS
                ) -> bool:
    """True when ``tip`` will still be sent to a mother registering on ``day`` of ``stage``.

    The scheduler sends a mother the tips from her registration day on
    (``tips_from_day``), so a tip due today or within the horizon is still ahead.
    """
    return tip is not None and tip.stage == stage and day <= tip.offset_days <= day + horizon


def welcome_key(key: str, stage: str, day: int, tips: Mapping[str, Tip],
                horizon: int = WELCOME_HORIZON_DAYS) -> str | None:
    """The text to send for the welcome text ``key``: itself, its shorter one, or None."""
    seen: set[str] = set()
    current: str | None = key
    while current is not None and current not in seen and has(current):
        seen.add(current)
        entry = ui_texts()[current]
        if not any(coming_soon(tips.get(k), stage, day, horizon) for k in entry.covered_by):
            return current
        current = entry.instead
    return None


def welcome_keys(band: str, stage: str, day: int, tips: Mapping[str, Tip],
                 horizon: int = WELCOME_HORIZON_DAYS) -> list[str]:
    """The welcome texts, in order, for a mother registering on ``day`` of ``stage``."""
    keys = []
    for number in range(1, WELCOME_COUNT + 1):
        chosen = welcome_key(f"welcome.{band}.{number}", stage, day, tips, horizon)
        if chosen is not None:
            keys.append(chosen)
    return keys
