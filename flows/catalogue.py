"""The tip catalogue as flows use it: loaded once, looked up by key."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Tip as TipRow
from messages.tips import Tip, load_tips


@lru_cache(maxsize=1)
def tips_by_key() -> dict[str, Tip]:
    """Every tip, by its stable key."""
    return {tip.key: tip for tip in load_tips()}


async def sync_tips(session: AsyncSession) -> int:
    """Write the catalogue's schedule into the `tips` table the planner reads; returns the count."""
    tips = tips_by_key()
    existing = {row.key: row for row in (await session.scalars(select(TipRow))).all()}
    for key, tip in tips.items():
        row = existing.pop(key, None) or TipRow(key=key)
        row.stage, row.offset_days = tip.stage, tip.offset_days
        row.must_deliver, row.stale_after_days = tip.must_deliver, tip.stale_after_days
        session.add(row)
    for gone in existing.values():  # a tip removed from the catalogue is no longer planned
        await session.delete(gone)
    return len(tips)
