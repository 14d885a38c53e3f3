"""Forgetting people who never said yes.

Before consent only her address and where she is in the conversation are kept, so the
bot can answer her. Someone who starts and never consents is forgotten after a week:
her address, her conversation and the messages we sent her, as if she never wrote.

`erase_mother` is the one way a mother's row is deleted (HAPUS DATA, or a record a danger
sign made before she refused): the queue tables the planner fills by the million have no
foreign keys, so what a CASCADE did for them is done here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Case, Identity, InboundMessage, Mother, Outbox, TipDelivery

STRANGER_DAYS = 7
_SETTLED = ("sent", "delivered", "read", "failed", "undelivered")


async def forget_strangers(session: AsyncSession, now: datetime,
                           days: int = STRANGER_DAYS) -> int:
    """Delete addresses with no mother and no staff, silent for `days`; how many."""
    cutoff = now - timedelta(days=days)
    strangers = and_(
        Identity.mother_id.is_(None), Identity.staff_id.is_(None),
        func.coalesce(Identity.last_inbound_at, Identity.created_at) < cutoff,
    )
    addresses = select(Identity.channel, Identity.address).where(strangers)
    await session.execute(
        delete(Outbox)
        .where(Outbox.mother_id.is_(None), Outbox.staff_id.is_(None),
               Outbox.status.in_(_SETTLED),
               tuple_(Outbox.channel, Outbox.address).in_(addresses))
        .execution_options(synchronize_session=False))
    gone = await session.execute(
        delete(Identity).where(strangers).execution_options(synchronize_session=False))
    return int(getattr(gone, "rowcount", 0) or 0)


async def erase_mother(session: AsyncSession, mother_id: int) -> None:
    """Delete a mother's row and, explicitly, the queue rows its foreign keys used to take.

    `outbox` and `tip_deliveries` have no foreign keys (migration 0003: each was a trigger
    per row the planner writes). So, before her row goes: her outbox rows and those of her
    cases (the alerts about her sent to staff) are deleted, replies to her messages forget
    which message they answered (the SET NULL), and her (mother, tip) keys are deleted, so
    that a mother who later gets her id (SQLite may reuse it) misses no tip. The other
    tables still cascade from `mothers`. A row the caller wants kept (her goodbye) must no
    longer carry her id when this runs.
    """
    cases = select(Case.id).where(Case.mother_id == mother_id)
    said = select(InboundMessage.id).where(InboundMessage.mother_id == mother_id)
    for statement in (
        delete(Outbox).where(Outbox.mother_id == mother_id),
        delete(Outbox).where(Outbox.case_id.in_(cases)),
        update(Outbox).where(Outbox.in_reply_to.in_(said)).values(in_reply_to=None),
        delete(TipDelivery).where(TipDelivery.mother_id == mother_id),
        delete(Mother).where(Mother.id == mother_id),
    ):
        await session.execute(statement.execution_options(synchronize_session=False))
