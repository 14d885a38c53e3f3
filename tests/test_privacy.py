"""Someone who writes and never says yes is forgotten, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.runtime import Runtime
from db.models import Conversation, Identity, Outbox
from scheduler.jobs import heartbeat


async def _count(runtime: Runtime, model: Any, *where: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where))
                   or 0)


async def test_a_woman_who_never_consents_is_forgotten_after_a_week(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    stranger = phone("sim:penasaran")
    assert "HAPUS DATA" in await stranger.says("halo")  # the consent question, unanswered
    siti = phone("sim:ibu-1")
    for line in ("DAFTAR MAWAR1", "1", "1", "siti", "udh lahir", "3 minggu yg lalu", "1",
                 "pagi aja", "1"):
        await siti.says(line)
    async with runtime.sessions() as session, session.begin():
        pending = await session.scalars(select(Outbox).where(Outbox.status == "pending"))
        for row in pending:
            row.status = "delivered"

    runtime.clock.advance(timedelta(days=6))
    await heartbeat(runtime.sessions, runtime.clock.now(), runtime.config)
    assert await _count(runtime, Identity, Identity.address == "sim:penasaran") == 1

    runtime.clock.advance(timedelta(days=2))
    done = await heartbeat(runtime.sessions, runtime.clock.now(), runtime.config)
    assert done.forgotten == 1
    assert await _count(runtime, Identity, Identity.address == "sim:penasaran") == 0
    assert await _count(runtime, Outbox, Outbox.address == "sim:penasaran") == 0
    assert await _count(runtime, Conversation,
                        Conversation.identity_id.not_in(select(Identity.id))) == 0
    # the mother who said yes, and the cadres, are untouched
    assert await _count(runtime, Identity, Identity.address == "sim:ibu-1") == 1
    assert await _count(runtime, Identity, Identity.address == "sim:kader-sari") == 1
    assert await _count(runtime, Outbox, Outbox.address == "sim:ibu-1") > 0
