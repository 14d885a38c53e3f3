"""Where a mother is on her journey: pregnancy week or child age, and the stage band."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models import Mother

PREGNANCY_DAYS = 280
MAX_CHILD_DAYS = 730


@dataclass(frozen=True)
class JourneyPoint:
    """The mother's day relative to her anchor (due date when pregnant, birth date after)."""

    stage: str  # pregnancy | child
    day: int

    @property
    def band(self) -> str:
        """The welcome-series band: pregnant, newborn, infant or child."""
        if self.stage == "pregnancy":
            return "pregnant"
        if self.day <= 42:
            return "newborn"
        if self.day <= 182:
            return "infant"
        return "child"

    @property
    def gestational_week(self) -> int:
        """Completed weeks of pregnancy (week 40 on the due date)."""
        return (self.day + PREGNANCY_DAYS) // 7


def journey_point(mother: Mother, today: date) -> JourneyPoint:
    """Her place on the journey today."""
    if mother.stage == "postnatal" and mother.birth_date is not None:
        return JourneyPoint("child", (today - mother.birth_date).days)
    assert mother.due_date is not None
    return JourneyPoint("pregnancy", (today - mother.due_date).days)


def point_for(stage: str, anchor: date, today: date) -> JourneyPoint:
    """Journey point from a stage and its anchor date (before a mother row exists)."""
    return JourneyPoint("child" if stage == "postnatal" else "pregnancy", (today - anchor).days)
