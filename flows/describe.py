"""Saying dates and ages in her language."""

from __future__ import annotations

from datetime import date

from flows.journey import JourneyPoint
from messages.texts import text as ui_text


def say_date(value: date, lang: str) -> str:
    """`7 November 2026` with the month named in her language."""
    months = [m.strip() for m in ui_text("date.months", lang).split(",")]
    return f"{value.day} {months[value.month - 1]} {value.year}"


def say_age(point: JourneyPoint, lang: str) -> str:
    """`usia 3 minggu`, `usia kandungan 30 minggu`, `5 months old`."""
    if point.stage == "pregnancy":
        return ui_text("age.pregnant_weeks", lang, weeks=max(point.gestational_week, 0))
    days = max(point.day, 0)
    if days < 14:
        return ui_text("age.days", lang, days=days)
    if days < 60:
        return ui_text("age.weeks", lang, weeks=days // 7)
    return ui_text("age.months", lang, months=int(days / 30.44))
