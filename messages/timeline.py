"""A mother's whole tip journey, computed from the catalogue alone.

Pure: no database, no clock. It answers "if a mother registered at pregnancy
week 20 (or on the day of birth), which tip would she get on which day, at her
hour?" so editors can read the catalogue as she will live it, and tests can
prove the schedule has no holes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from messages.tips import PREGNANCY_WEEKS, Tip, offset_for_week

DEFAULT_TZ = "Asia/Jakarta"
LAST_CHILD_DAY = 730  # 24 months: the programme ends here


@dataclass(frozen=True)
class TimelineEntry:
    """One tip as it would reach the mother."""

    at: datetime  # aware, in the mother's time zone
    key: str
    stage: str
    day: int  # the tip's offset from its anchor (birth or due date)
    must_deliver: bool
    topic: str
    text: str

    @property
    def date(self) -> date:
        """The local calendar day of delivery."""
        return self.at.date()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (date and time as ISO strings)."""
        return {
            "date": self.at.date().isoformat(),
            "time": self.at.strftime("%H:%M"),
            "at": self.at.isoformat(),
            "key": self.key,
            "stage": self.stage,
            "day": self.day,
            "must_deliver": self.must_deliver,
            "topic": self.topic,
            "text": self.text,
        }


def journey(
    tips: list[Tip],
    *,
    born: date | None = None,
    due: date | None = None,
    lang: str = "id",
    hour: int = 8,
    tz: str = DEFAULT_TZ,
    values: dict[str, str] | None = None,
    send_hour: Callable[[int], int] | None = None,
) -> list[TimelineEntry]:
    """Every tip a mother would receive, in order, until the child is 730 days old.

    With ``due`` she registered at pregnancy week 20: she gets pregnancy tips
    from week 20 until the birth; the child is born on ``born`` if given, else
    on the due date, so pregnancy tips from that day on are never sent (the
    scheduler only sends them while the birth is not yet reported). With only
    ``born`` she registered on the day of birth and gets child tips from day 0.
    Each tip goes out on anchor + offset at ``hour`` local time, or at
    ``send_hour(hour)`` when given: the scheduler's own rule for an hour inside the
    quiet hours (passed in by the caller, as messages/ imports nothing of ours).
    """
    if born is None and due is None:
        raise ValueError("give the birth date (born) or the due date (due)")
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0..23, got {hour}")
    zone = ZoneInfo(tz)
    at_hour = send_hour(hour) if send_hour is not None else hour
    birth = born if born is not None else due
    assert birth is not None  # for mypy: one of the two is set
    entries: list[TimelineEntry] = []

    def add(tip: Tip, day: date) -> None:
        at = datetime.combine(day, time(at_hour), tzinfo=zone)
        text = tip.render(lang, **(values or {})) if lang in tip.texts else ""
        entries.append(
            TimelineEntry(
                at, tip.key, tip.stage, tip.offset_days, tip.must_deliver, tip.topic, text
            )
        )

    if due is not None:
        first = offset_for_week(PREGNANCY_WEEKS[0])
        for tip in tips:
            if tip.stage != "pregnancy" or tip.offset_days < first:
                continue
            when = due + timedelta(days=tip.offset_days)
            if when < birth:
                add(tip, when)
    for tip in tips:
        if tip.stage == "child" and 0 <= tip.offset_days <= LAST_CHILD_DAY:
            add(tip, birth + timedelta(days=tip.offset_days))
    entries.sort(key=lambda e: (e.at, e.stage != "pregnancy", e.day))
    return entries


def format_line(entry: TimelineEntry, width: int = 70) -> str:
    """'2026-01-15 08:00  day 0  newborn_day00_imd  <first 70 chars>'."""
    text = " ".join(entry.text.split())[:width]
    label = f"week {40 + entry.day // 7}" if entry.stage == "pregnancy" else f"day {entry.day}"
    return f"{entry.at:%Y-%m-%d %H:%M}  {label}  {entry.key}  {text}"
