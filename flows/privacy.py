"""Forgetting people: who never said yes, who said no, who asked us to delete her data.

Before consent only her address and where she is in the conversation are kept, so the
bot can answer her. Someone who starts and never consents is forgotten after a week:
her address, her conversation and the messages we sent her, as if she never wrote.

`erase_mother` is the one way a mother's row is deleted (HAPUS DATA, or a record a danger
sign made before she refused): the queue tables the planner fills by the million have no
foreign keys, so what a CASCADE did for them is done here, and so are the messages we
sent her address before she had a record (`forget_address`).

What her cadre and the health workers were told about her outside her cases (a new
mother's notice, KASUS and IBU lists, "case #12, Bunda Kartini, is yours") stays in
their history without her name (`unname`); what was about one of her cases goes with it.

A goodbye ("Data Bunda sudah kami hapus") must outlive what it confirms, so it is the
one row left with her address. Once it has gone, a day later, the heartbeat forgets it
too (`forget_orphans`): a message to nobody, at an address nobody has any more.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Case, Conversation, Identity, InboundMessage, Mother, Outbox, TipDelivery
from flows.outbox import TO_NOBODY

STRANGER_DAYS = 7
# how long a message to an address nobody has any more is kept after it was written: long
# enough for its status callbacks and for the simulator page to show it
ORPHAN_GRACE = timedelta(days=1)
_SETTLED = ("sent", "delivered", "read", "failed", "undelivered")
# an orphan's row is done with once settled, cancelled, or held (no one can open her
# WhatsApp window again: she is gone)
_ORPHAN_DONE = (*_SETTLED, "cancelled", "canceled", "held")
# what stands where an erased mother's name was, in what staff were told
ERASED_NAME = "—"


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
        .where(TO_NOBODY, Outbox.status.in_(_SETTLED),
               tuple_(Outbox.channel, Outbox.address).in_(addresses))
        .execution_options(synchronize_session=False))
    gone = await session.execute(
        delete(Identity).where(strangers).execution_options(synchronize_session=False))
    return int(getattr(gone, "rowcount", 0) or 0)


async def forget_orphans(session: AsyncSession, now: datetime) -> int:
    """Delete messages to nobody at an address no identity has any more, once done with
    and a day old (a goodbye after HAPUS DATA, a refusal's answer); how many.

    Such rows are few, and indexed: everything a mother was sent carries her id
    (`flows.outbox.adopt_replies`).
    """
    known = exists().where(Identity.channel == Outbox.channel,
                           Identity.address == Outbox.address)
    gone = await session.execute(
        delete(Outbox)
        .where(TO_NOBODY, ~known, Outbox.status.in_(_ORPHAN_DONE),
               Outbox.created_at < now - ORPHAN_GRACE)
        .execution_options(synchronize_session=False))
    return int(getattr(gone, "rowcount", 0) or 0)


async def forget_address(session: AsyncSession, channel: str, address: str,
                         keep: Collection[int] = ()) -> None:
    """Delete what we wrote to an address as nobody's (the consent question, her
    registration's questions with her name in them), except the rows in `keep`."""
    query = delete(Outbox).where(TO_NOBODY, Outbox.channel == channel,
                                 Outbox.address == address)
    if keep:
        query = query.where(Outbox.id.not_in(list(keep)))
    await session.execute(query.execution_options(synchronize_session=False))


def _without(value: Any, name: re.Pattern[str]) -> Any:
    """A JSON value with the name replaced in every string of it."""
    if isinstance(value, str):
        return name.sub(ERASED_NAME, value)
    if isinstance(value, list):
        return [_without(item, name) for item in value]
    if isinstance(value, dict):
        return {key: _without(item, name) for key, item in value.items()}
    return value


async def unname(session: AsyncSession, name: str) -> None:
    """Take a mother's name out of what staff hold: the texts of messages to them (a new
    mother's notice, lists, a case taken; rows about one of her cases are deleted with it
    instead) and the choices their conversations keep ("Balas ke Bunda Kartini").

    Her name as her record has it, which is what every such text was made from (she
    cannot change it once registered). A namesake in the same list loses it too: those
    rows are only a record of what was sent.
    """
    if not name.strip():
        return
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    told = await session.execute(
        select(Outbox.id, Outbox.text)
        .where(Outbox.staff_id.is_not(None), Outbox.text.contains(name, autoescape=True)))
    for row_id, text in told.all():
        if pattern.search(text):
            await session.execute(
                update(Outbox).where(Outbox.id == row_id)
                .values(text=pattern.sub(ERASED_NAME, text))
                .execution_options(synchronize_session=False))
    kept = await session.execute(
        select(Conversation.id, Conversation.data)
        .join(Identity, Identity.id == Conversation.identity_id)
        .where(Identity.staff_id.is_not(None)))
    for conversation_id, data in kept.all():
        cleaned = _without(data, pattern)
        if cleaned != data:
            await session.execute(
                update(Conversation).where(Conversation.id == conversation_id)
                .values(data=cleaned).execution_options(synchronize_session=False))


async def erase_mother(session: AsyncSession, mother_id: int,
                       keep: Collection[int] = ()) -> None:
    """Delete a mother's row and, explicitly, the queue rows its foreign keys used to take.

    `outbox` and `tip_deliveries` have no foreign keys (migration 0003: each was a trigger
    per row the planner writes). So, before her row goes: her outbox rows and those of her
    cases (the alerts about her sent to staff) are deleted, and so is whatever was written
    to her addresses as nobody's (before she had a record); replies to her messages
    forget which message they answered (the SET NULL), her (mother, tip) keys are
    deleted, so that a mother who later gets her id (SQLite may reuse it) misses no tip,
    and what staff were told of her outside her cases no longer names her (`unname`).
    The other tables still cascade from `mothers`. A row the caller wants kept (her
    goodbye) must no longer carry her id when this runs, and be in `keep`.
    """
    addresses = (await session.execute(
        select(Identity.channel, Identity.address).where(Identity.mother_id == mother_id))).all()
    for channel, address in addresses:
        await forget_address(session, channel, address, keep)
    await unname(session, await session.scalar(
        select(Mother.name).where(Mother.id == mother_id)) or "")
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
