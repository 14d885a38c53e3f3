"""Forgetting people who never said yes.

Before consent only her address and where she is in the conversation are kept, so the
bot can answer her. Someone who starts and never consents is forgotten after a week:
her address, her conversation and the messages we sent her, as if she never wrote.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Identity, Outbox

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
