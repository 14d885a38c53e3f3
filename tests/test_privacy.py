"""Someone who writes and never says yes is forgotten, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.runtime import Runtime
from db.models import Case, Conversation, Identity, InboundMessage, Mother, Outbox, TipDelivery
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
    for line in ("DAFTAR MAWAR1", "1", "siti", "udh lahir", "3 minggu yg lalu", "1",
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


async def test_hapus_data_takes_her_outbox_rows_and_tip_keys_with_her(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    # the outbox and tip_deliveries have no foreign keys (migration 0003): nothing cascades
    # there, flows.privacy.erase_mother must delete her rows itself
    ibu = phone("sim:ibu-hapus")
    for line in ("DAFTAR MAWAR1", "1", "Ani", "2", "10/11/2026", "1", "8", "1"):
        await ibu.says(line)
    await ibu.says("asi saya sedikit sekali")  # a case, and an alert about it to her cadre
    other = phone("sim:ibu-tetap")
    for line in ("DAFTAR MAWAR1", "1", "Bea", "2", "10/11/2026", "1", "8", "1"):
        await other.says(line)
    async with runtime.sessions() as session, session.begin():
        ani = await session.scalar(select(Mother.id).where(Mother.name == "Ani"))
        bea = await session.scalar(select(Mother.id).where(Mother.name == "Bea"))
        for mother_id in (ani, bea):  # a tip planned for each, as the planner writes it
            assert mother_id is not None
            session.add(TipDelivery(mother_id=mother_id, tip_key="child_d021",
                                    planned_at=runtime.clock.now()))
        cases = list((await session.scalars(select(Case.id).where(Case.mother_id == ani))).all())
    assert cases and await _count(runtime, Outbox, Outbox.case_id.in_(cases)) > 0
    assert await _count(runtime, TipDelivery, TipDelivery.mother_id == ani) > 0
    bea_rows = await _count(runtime, Outbox, Outbox.mother_id == bea)
    bea_keys = await _count(runtime, TipDelivery, TipDelivery.mother_id == bea)

    await ibu.says("HAPUS DATA")
    assert "sudah kami hapus" in await ibu.says("1")

    assert await _count(runtime, Outbox, Outbox.mother_id == ani) == 0
    assert await _count(runtime, Outbox, Outbox.case_id.in_(cases)) == 0
    assert await _count(runtime, TipDelivery, TipDelivery.mother_id == ani) == 0
    assert await _count(runtime, Outbox, Outbox.in_reply_to.is_not(None),
                        Outbox.in_reply_to.not_in(select(InboundMessage.id))) == 0
    # her goodbye is still there to be sent, and the other mother keeps everything
    goodbye = await _count(runtime, Outbox, Outbox.address == "sim:ibu-hapus",
                           Outbox.text.contains("sudah kami hapus"))
    assert goodbye == 1
    assert await _count(runtime, Outbox, Outbox.mother_id == bea) == bea_rows > 0
    assert await _count(runtime, TipDelivery, TipDelivery.mother_id == bea) == bea_keys > 0
