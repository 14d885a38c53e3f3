"""Quiet hours: when nothing but an emergency may reach a phone, on its owner's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def in_quiet_hours(hour: int, start: int, end: int) -> bool:
    """True when `hour` falls in the quiet hours (which may wrap past midnight)."""
    if start == end:
        return False
    return start <= hour or hour < end if start > end else start <= hour < end


def daytime_from(moment: datetime, zone: ZoneInfo, start: int, end: int) -> datetime:
    """`moment`, or the end of the quiet hours it falls in (the local morning)."""
    local = moment.astimezone(zone)
    if not in_quiet_hours(local.hour, start, end):
        return moment
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += timedelta(days=1)
    return morning.astimezone(UTC)


def add_daytime_minutes(
    moment: datetime, minutes: int, zone: ZoneInfo, start: int, end: int
) -> datetime:
    """`moment` plus `minutes` counted outside the quiet hours only."""
    if start == end:
        return moment + timedelta(minutes=minutes)
    left = timedelta(minutes=minutes)
    at = daytime_from(moment, zone, start, end).astimezone(zone)
    while True:
        evening = at.replace(hour=start, minute=0, second=0, microsecond=0)
        if evening <= at:
            evening += timedelta(days=1)
        if at + left <= evening:
            return (at + left).astimezone(UTC)
        left -= evening - at
        at = daytime_from(evening, zone, start, end).astimezone(zone)
