"""Writing messages to the outbox: the only way anything is ever sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Identity, Mother, Outbox, Staff
from flows.types import Choice

# a row written to an address as nobody's: before consent, during registration, a goodbye
TO_NOBODY = and_(Outbox.mother_id.is_(None), Outbox.staff_id.is_(None))


def numbered(labels: list[str]) -> list[Choice]:
    """Choices keyed 1..n, as both channels present them."""
    return [Choice(str(i), label) for i, label in enumerate(labels, start=1)]


def enqueue(
    session: AsyncSession,
    *,
    channel: str,
    address: str,
    text: str,
    now: datetime,
    choices: list[Choice] | None = None,
    kind: str = "reply",
    mother_id: int | None = None,
    staff_id: int | None = None,
    case_id: int | None = None,
    in_reply_to: int | None = None,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> Outbox:
    """Add one pending outbox row to the session (sent after the transaction commits)."""
    row = Outbox(
        channel=channel,
        address=address,
        text=text,
        choices=[{"key": c.key, "label": c.label} for c in choices or []],
        kind=kind,
        mother_id=mother_id,
        staff_id=staff_id,
        case_id=case_id,
        in_reply_to=in_reply_to,
        dedupe_key=dedupe_key,
        status="pending",
        attempts=0,
        not_before=not_before or now,
        created_at=now,
    )
    session.add(row)
    return row


async def preferred_identity(
    session: AsyncSession, *, mother: Mother | None = None, staff: Staff | None = None
) -> Identity | None:
    """The address a person last wrote from (or any of theirs): where to reach them."""
    query = select(Identity)
    if mother is not None:
        query = query.where(Identity.mother_id == mother.id)
    elif staff is not None:
        query = query.where(Identity.staff_id == staff.id)
    else:
        return None
    query = query.order_by(Identity.last_inbound_at.desc().nulls_last(), Identity.id)
    return (await session.scalars(query.limit(1))).first()


async def adopt_replies(session: AsyncSession, identity: Identity, mother_id: int) -> None:
    """What we wrote to her address before she had a record (the consent question, her
    registration's questions) is hers from now on: it carries her id, so it goes with her
    (`flows.privacy.erase_mother`) and the few rows written to nobody stay few."""
    await session.execute(
        update(Outbox)
        .where(TO_NOBODY, Outbox.channel == identity.channel,
               Outbox.address == identity.address)
        .values(mother_id=mother_id)
        .execution_options(synchronize_session=False))
