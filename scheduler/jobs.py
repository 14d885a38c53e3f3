"""The heartbeat: APScheduler (in-memory job store) ticks, the database decides.

Every job is idempotent and coordinates through the database only (unique keys,
ON CONFLICT DO NOTHING, conditional UPDATEs, leases), because APScheduler 3
cannot share a job store between processes: `asibot serve` and any number of
`asibot worker` processes may run these at once. The delivery loop runs beside
the scheduler as one long task per channel (see scheduler/delivery.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Mother
from flows import cases
from flows.privacy import forget_orphans, forget_strangers
from flows.reminders import BATCH, ReminderCounts, plan_nudges, send_due_reminders
from flows.types import FlowConfig
from scheduler.delivery import Deliverer, DeliveryConfig
from scheduler.planner import plan_in_chunks

if TYPE_CHECKING:
    from scheduler.transport import Transport

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60


@dataclass
class HeartbeatState:
    """What this process already planned: (local date, hour) per zone."""

    planned: dict[str, tuple[date, int]] = field(default_factory=dict)


@dataclass
class HeartbeatResult:
    """What one tick did."""

    tips: int = 0
    nudges_planned: int = 0
    reminders: ReminderCounts = field(default_factory=ReminderCounts)
    followups: int = 0
    escalated: int = 0
    forgotten: int = 0
    forgotten_messages: int = 0


async def zones_to_plan(
    session: AsyncSession, now: datetime, state: HeartbeatState | None
) -> list[str]:
    """Zones whose local hour changed since this process last planned them."""
    zones = (await session.scalars(
        select(Mother.tz).where(Mother.status == "active").distinct())).all()
    if state is None:
        return list(zones)
    due = []
    for tz in zones:
        local = now.astimezone(ZoneInfo(tz))
        if state.planned.get(tz) != (local.date(), local.hour):
            due.append(tz)
    return due


async def heartbeat(
    sessions: async_sessionmaker[AsyncSession], now: datetime, config: FlowConfig,
    state: HeartbeatState | None = None,
) -> HeartbeatResult:
    """One tick: plan tips and nudges; send due reminders, follow-ups, escalations; forget
    strangers who never consented, and the last messages to people already forgotten."""
    result = HeartbeatResult()
    async with sessions() as session:
        zones = await zones_to_plan(session, now, state)
    if zones:  # a transaction per range of mothers (see scheduler.planner.plan_in_chunks)
        planned = await plan_in_chunks(
            sessions, now, quiet_start=config.quiet_start, quiet_end=config.quiet_end,
            zones=zones, chunk=config.plan_chunk_mothers, connections=config.plan_connections)
        result.tips = planned.tips
    if state is not None:
        for tz in zones:
            local = now.astimezone(ZoneInfo(tz))
            state.planned[tz] = (local.date(), local.hour)
    async with sessions() as session, session.begin():
        result.nudges_planned = await plan_nudges(session, now)
    while True:
        async with sessions() as session, session.begin():
            counts = await send_due_reminders(session, now, config)
        for name in ("checkins", "birth_reports", "nudges", "skipped", "postponed"):
            setattr(result.reminders, name, getattr(result.reminders, name) + getattr(counts, name))
        if counts.sent + counts.skipped + counts.postponed < BATCH:
            break
    async with sessions() as session, session.begin():
        result.followups = await cases.send_followups(session, now, config)
    async with sessions() as session, session.begin():
        result.escalated = await cases.escalate_overdue(session, now, config)
    async with sessions() as session, session.begin():
        result.forgotten = await forget_strangers(session, now)
        result.forgotten_messages = await forget_orphans(session, now)
    return result


@contextlib.asynccontextmanager
async def running(
    runtime: Any,
    *,
    plan: bool = True,
    deliver: bool = True,
    transports: Mapping[str, Transport],
    worker: str | None = None,
    config: DeliveryConfig | None = None,
) -> AsyncIterator[Deliverer | None]:
    """Heartbeat jobs and the delivery loop, for as long as the block runs.

    `runtime` is bot.runtime.Runtime (settings, sessions, clock, config).
    """
    settings = runtime.settings
    if not settings.scheduler_enabled:
        yield None
        return
    state = HeartbeatState()

    async def beat() -> None:
        try:
            done = await heartbeat(runtime.sessions, runtime.clock.now(), runtime.config, state)
            if done.tips or done.reminders.sent or done.followups or done.escalated:
                log.info("heartbeat", extra={"tips": done.tips, "reminders": done.reminders.sent,
                                             "followups": done.followups,
                                             "escalated": done.escalated})
        except Exception:  # noqa: BLE001  (the next tick tries again; nothing is lost)
            log.exception("heartbeat failed")

    scheduler = AsyncIOScheduler(timezone=ZoneInfo(settings.timezone))
    if plan:
        scheduler.add_job(beat, "interval", seconds=HEARTBEAT_SECONDS, id="heartbeat",
                          max_instances=1, coalesce=True, next_run_time=datetime.now(ZoneInfo(
                              settings.timezone)))
        scheduler.start()
    deliverer: Deliverer | None = None
    stop = asyncio.Event()
    task: asyncio.Task[None] | None = None
    if deliver and transports:
        deliverer = Deliverer(transports, runtime.sessions, runtime.clock,
                              config or DeliveryConfig.from_settings(settings), worker)
        task = asyncio.create_task(deliverer.run(stop))
    try:
        yield deliverer
    finally:
        if plan:
            scheduler.shutdown(wait=False)
        stop.set()
        if task is not None:
            await task
        for transport in transports.values():
            with contextlib.suppress(Exception):
                await transport.close()
