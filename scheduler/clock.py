"""Time is an input: everything that asks "what time is it" is handed a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that says what time it is (always an aware UTC datetime)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """Now, in UTC."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that tests and `asibot simulate` move by hand."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The time it has been set to."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward and return the new time."""
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to a moment (never backwards)."""
        moment = moment.astimezone(UTC)
        if moment < self._now:
            raise ValueError("a clock does not run backwards")
        self._now = moment
