"""`asibot simulate`: the whole scheduler in virtual time against the simulator channel.

Mothers are registered at the start (pregnant from week 28 to 39, or with a child up
to five months old), spread over WIB, WITA and WIT and over tip hours; each pregnant
mother reports the birth some days around her due date. Then the clock moves an
hour at a time: heartbeat (plan tips, nudges, reminders, case timers), then the
delivery loop drains the outbox. At the end the outbox is read back for figures.
"""

from __future__ import annotations

import random
import statistics
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Identity, Mother, Outbox
from flows.menu import record_birth
from flows.quiet import in_quiet_hours
from flows.reminders import plan_reminders
from flows.types import FlowConfig
from scheduler.clock import FakeClock
from scheduler.delivery import Deliverer, DeliveryConfig
from scheduler.jobs import HeartbeatState, heartbeat
from scheduler.transport import OutgoingMessage

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
START = datetime(2027, 1, 4, 0, 0, tzinfo=UTC)


class CountingTransport:
    """The simulator channel, counting every send per outbox row."""

    channel = "simulator"

    def __init__(self) -> None:
        self.sends: Counter[int] = Counter()

    async def send(self, message: OutgoingMessage) -> str | None:
        self.sends[message.outbox_id] += 1
        return f"sim-{message.outbox_id}"

    async def close(self) -> None:
        return None


@dataclass
class SimulationReport:
    """What was delivered, for people and for `--json`."""

    mothers: int
    days: int
    tips_sent: int
    tips_per_mother_min: int
    tips_per_mother_median: float
    tips_per_mother_max: int
    longest_gap_days: float
    duplicates: int
    checkins_sent: int
    reminders_sent: int
    births_reported: int
    tips_in_quiet_hours: int
    tips_at_her_hour: float
    held_or_failed: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        return [
            f"mothers            {self.mothers} over {self.days} days",
            f"tips sent          {self.tips_sent} (per mother min {self.tips_per_mother_min}, "
            f"median {self.tips_per_mother_median:g}, max {self.tips_per_mother_max})",
            f"longest gap        {self.longest_gap_days:.1f} days between two tips",
            f"duplicates         {self.duplicates}",
            f"check-ins          {self.checkins_sent}",
            f"reminders          {self.reminders_sent} (birth report, nudge)",
            f"births reported    {self.births_reported}",
            f"quiet-hour tips    {self.tips_in_quiet_hours}",
            f"at her hour        {self.tips_at_her_hour:.1%} of tips",
            f"held or failed     {self.held_or_failed}",
        ]


async def register(
    session: AsyncSession, count: int, rng: random.Random, now: datetime
) -> dict[int, tuple[datetime, date]]:
    """Create the mothers and their addresses; returns when each pregnant one reports a birth."""
    births: dict[int, tuple[datetime, date]] = {}
    mothers: list[Mother] = []
    for n in range(count):
        tz = rng.choice(ZONES)
        today = now.astimezone(ZoneInfo(tz)).date()
        pregnant = rng.random() < 0.6
        if pregnant:
            anchor = today + timedelta(days=rng.randint(7, 84))
            day = (today - anchor).days
        else:
            anchor = today - timedelta(days=rng.randint(0, 150))
            day = (today - anchor).days
        mother = Mother(name=f"Ibu {n + 1}", lang="en" if rng.random() < 0.1 else "id", tz=tz,
                        tip_hour=rng.randint(6, 20), stage="pregnant" if pregnant else "postnatal",
                        due_date=anchor if pregnant else None,
                        birth_date=None if pregnant else anchor, status="active",
                        tips_from_day=day, unreachable=False, failure_days=[], created_at=now,
                        last_inbound_at=now)
        mothers.append(mother)
    session.add_all(mothers)
    await session.flush()
    for mother in mothers:
        session.add(Identity(channel="simulator", address=f"sim:ibu-{mother.id}",
                             mother_id=mother.id, last_inbound_at=now, created_at=now))
        await plan_reminders(session, mother, now)
        if mother.stage == "pregnant" and mother.due_date is not None:
            born = mother.due_date + timedelta(days=rng.randint(-14, 10))
            report = datetime.combine(born, datetime.min.time(), ZoneInfo(mother.tz))
            reported = report.astimezone(UTC) + timedelta(hours=rng.randint(12, 60))
            born = max(born, today)  # not before she registered
            births[mother.id] = (max(reported, now + timedelta(hours=1)), born)
    return births


async def simulate(
    sessions: async_sessionmaker[AsyncSession], *, mothers: int, days: int, seed: int,
    config: FlowConfig | None = None, start: datetime = START,
) -> SimulationReport:
    """Run `days` of virtual time for `mothers` and report what was delivered."""
    rng = random.Random(seed)
    config = config or FlowConfig()
    clock = FakeClock(start)
    transport = CountingTransport()
    deliverer = Deliverer({"simulator": transport}, sessions, clock, DeliveryConfig(),
                          worker="simulate")
    async with sessions() as session, session.begin():
        births = await register(session, mothers, rng, start)
    by_hour: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for mother_id, (at, born) in births.items():
        by_hour[int((at - start).total_seconds() // 3600)].append((mother_id, born))
    state = HeartbeatState()
    reported = 0
    for hour in range(days * 24):
        now = start + timedelta(hours=hour)
        clock.set(now)
        if by_hour.get(hour):
            async with sessions() as session, session.begin():
                for mother_id, born in by_hour[hour]:
                    mother = await session.get(Mother, mother_id)
                    if mother is None or mother.stage != "pregnant":
                        continue
                    local = now.astimezone(ZoneInfo(mother.tz)).date()
                    record_birth(mother, born, local)
                    await plan_reminders(session, mother, now)
                    reported += 1
        await heartbeat(sessions, now, config, state)
        await deliverer.drain()
    return await report(sessions, transport, mothers=mothers, days=days, births=reported,
                        config=config)


async def report(
    sessions: async_sessionmaker[AsyncSession], transport: CountingTransport, *, mothers: int,
    days: int, births: int, config: FlowConfig,
) -> SimulationReport:
    """Read the outbox back into figures."""
    async with sessions() as session:
        zones: dict[int, str] = {
            i: tz for i, tz in (await session.execute(select(Mother.id, Mother.tz))).all()}
        hours: dict[int, int] = {
            i: h for i, h in (await session.execute(select(Mother.id, Mother.tip_hour))).all()}
        rows = (await session.execute(
            select(Outbox.id, Outbox.mother_id, Outbox.kind, Outbox.dedupe_key, Outbox.status,
                   Outbox.sent_at).order_by(Outbox.id))).all()
    tips: dict[int, list[datetime]] = defaultdict(list)
    tip_keys: Counter[tuple[int | None, str]] = Counter()
    checkins = reminders = quiet = at_hour = troubled = 0
    for row_id, mother_id, kind, key, status, sent_at in rows:
        if status in ("held", "failed", "undelivered"):
            troubled += 1
        if sent_at is None:
            continue
        if kind == "tip":
            tips[mother_id].append(sent_at)
            tip_keys[(mother_id, (key or str(row_id)).rsplit(":", 1)[-1])] += 1
            local = sent_at.astimezone(ZoneInfo(zones[mother_id]))
            quiet += in_quiet_hours(local.hour, config.quiet_start, config.quiet_end)
            at_hour += local.hour == hours[mother_id]
        elif kind == "checkin" and (key or "").endswith(":intro"):
            checkins += 1
        elif kind == "reminder":
            reminders += 1
    duplicates = sum(n - 1 for n in transport.sends.values() if n > 1) + sum(
        n - 1 for n in tip_keys.values() if n > 1)
    counts = [len(tips.get(mother_id, [])) for mother_id in zones]
    gaps = [
        (later - earlier).total_seconds() / 86400
        for sent in tips.values()
        for earlier, later in zip(sorted(sent), sorted(sent)[1:], strict=False)
    ]
    total = sum(counts)
    return SimulationReport(
        mothers=mothers, days=days, tips_sent=total,
        tips_per_mother_min=min(counts, default=0),
        tips_per_mother_median=statistics.median(counts) if counts else 0,
        tips_per_mother_max=max(counts, default=0),
        longest_gap_days=max(gaps, default=0.0), duplicates=duplicates,
        checkins_sent=checkins, reminders_sent=reminders, births_reported=births,
        tips_in_quiet_hours=quiet, tips_at_her_hour=at_hour / total if total else 0.0,
        held_or_failed=troubled,
    )


def scratch_database() -> str:
    """A throwaway SQLite file for a simulation run."""
    folder = Path(tempfile.mkdtemp(prefix="asibot-sim-"))
    return f"sqlite+aiosqlite:///{folder / 'simulate.db'}"
