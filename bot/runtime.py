"""The running system's shared parts: settings, database, clock, and the engine's entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot.settings import Settings
from db.session import make_engine, make_sessionmaker
from flows import engine as flow_engine
from flows.catalogue import sync_tips
from flows.types import FlowConfig, HandleResult, Inbound
from scheduler.clock import Clock, SystemClock


def flow_config(settings: Settings) -> FlowConfig:
    """What the flows need to know of the settings."""
    return FlowConfig(
        puskesmas_name=settings.puskesmas_name,
        puskesmas_phone=settings.puskesmas_phone,
        emergency_name=settings.emergency_name,
        emergency_phone=settings.emergency_phone,
        timezone=settings.timezone,
        default_tip_hour=settings.default_tip_hour,
        quiet_start=settings.quiet_hours_start,
        quiet_end=settings.quiet_hours_end,
        plan_chunk_mothers=settings.plan_chunk_mothers,
        plan_connections=settings.plan_connections,
        sla_urgent_minutes=settings.sla_urgent_minutes,
        sla_normal_minutes=settings.sla_normal_minutes,
    )


@dataclass
class Runtime:
    """One process's handle on the system."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock = field(default_factory=SystemClock)

    @cached_property
    def config(self) -> FlowConfig:
        """The flows' view of the settings (read once: settings do not change while running)."""
        return flow_config(self.settings)

    async def handle(self, inbound: Inbound) -> HandleResult:
        """Run one inbound message through the engine."""
        return await flow_engine.handle(inbound, self.sessions, self.config)

    async def sync_catalogue(self, attempts: int = 3) -> int:
        """Bring the planner's tip table in line with messages/.

        Processes that start together (several `asibot serve`, workers) sync at the same
        moment on a new catalogue: the one that writes second collides with the rows the
        other has just committed (a duplicate key, a row gone), and its next try sees them.
        """
        tried = 0
        while True:
            tried += 1
            try:
                async with self.sessions() as session, session.begin():
                    return await sync_tips(session)
            except (IntegrityError, StaleDataError):
                if tried >= attempts:
                    raise

    async def close(self) -> None:
        """Release the database connections."""
        await self.engine.dispose()


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """A runtime on the configured database."""
    engine = make_engine(settings.database_url)
    return Runtime(settings, engine, make_sessionmaker(engine), clock or SystemClock())
