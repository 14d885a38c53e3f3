"""The one path every message takes.

An inbound message is deduplicated on (channel, msg_id), matched to its person and
her conversation, checked for danger signs, and handed to the step that owns it.
The new state, any case or reminder, and every reply as an outbox row are stored
in ONE transaction: either all of it happened or none of it.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from sqlalchemy import Integer, Select, bindparam, exists, false, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Conversation, Identity, InboundMessage, Mother, Outbox, Staff
from db.types import UTCDateTime

# the flows register their steps on import
from flows import cadre, cases, keywords, loss, menu, onboarding, problem  # noqa: F401
from flows import steps as step_registry
from flows.choices import match_choice
from flows.context import IDLE, Ctx
from flows.reminders import release_held
from flows.triage import PROBLEM_LABELS, TriageResult, classify
from flows.types import FlowConfig, HandleResult, Inbound

log = logging.getLogger(__name__)

_REGISTER = re.compile(r"^\s*(?:/start|daftar|register|join)\s*([A-Za-z0-9_-]{2,40})?\s*$", re.I)


async def handle(
    inbound: Inbound, sessions: async_sessionmaker[AsyncSession], config: FlowConfig
) -> HandleResult:
    """Handle one inbound message; a second delivery of the same message changes nothing."""
    for attempt in (1, 2):
        try:
            return await _handle_once(inbound, sessions, config)
        except IntegrityError:
            # two first messages from one new address raced to create her identity
            if attempt == 2:
                raise
            log.info("retrying a %s message after a concurrent insert", inbound.channel)
    raise AssertionError("unreachable")


async def _handle_once(
    inbound: Inbound, sessions: async_sessionmaker[AsyncSession], config: FlowConfig
) -> HandleResult:
    async with sessions() as session, session.begin() as transaction:
        identity, conversation, mother, staff, held = await _load(session, inbound)
        if mother is not None and mother.status == cases.REGISTERING:
            mother = None  # a record made mid-registration: she is still registering
        inbound_id = await _record(session, inbound, identity, mother)
        if inbound_id is None:
            earlier = await _earlier_replies(session, inbound)
            await transaction.rollback()  # a repeat changes nothing, not even a new identity
            return earlier
        identity.last_inbound_at = inbound.at
        if mother is not None:
            mother.last_inbound_at = inbound.at
        if held:  # her 24-hour window is open again
            await release_held(session, identity, inbound.at)
        if conversation is None:
            conversation = Conversation(identity_id=identity.id, flow=IDLE[0], step=IDLE[1],
                                        data={}, misses=0, updated_at=inbound.at)
            session.add(conversation)
        ctx = Ctx(session=session, inbound=inbound, config=config, identity=identity,
                  conversation=conversation, mother=mother, staff=staff, inbound_id=inbound_id)
        await _dispatch(ctx)
        if not ctx.deleted:
            ctx.conversation.updated_at = inbound.at
        await session.flush()
        return HandleResult(outbox_ids=[row.id for row in ctx.sent])


async def _load(
    session: AsyncSession, inbound: Inbound
) -> tuple[Identity, Conversation | None, Mother | None, Staff | None, bool]:
    """Her identity, conversation and record in one round trip (created when she is new),
    and whether messages wait, held, for her WhatsApp window to open (always looked for
    when she is new: a goodbye to an address that was forgotten may be held)."""
    whatsapp = inbound.channel == "whatsapp"
    query = _load_query(session.bind.dialect.name, whatsapp)
    found = (await session.execute(
        query, {"channel": inbound.channel, "address": inbound.address})).first()
    if found is not None:
        identity, conversation, mother, staff, is_held = found
        return identity, conversation, mother, staff, bool(is_held)
    identity = Identity(channel=inbound.channel, address=inbound.address, created_at=inbound.at,
                        last_inbound_at=inbound.at)
    session.add(identity)
    await session.flush()
    return identity, None, None, None, whatsapp


@functools.cache
def _load_query(dialect: str, whatsapp: bool) -> Select[Any]:
    """The statement `_load` runs, built once (building it is a good part of its cost)."""
    held = (
        exists().where(Outbox.channel == Identity.channel, Outbox.address == Identity.address,
                       Outbox.status == "held").correlate(Identity)
        if whatsapp else false()
    )
    query = (
        select(Identity, Conversation, Mother, Staff, held)
        .outerjoin(Conversation, Conversation.identity_id == Identity.id)
        .outerjoin(Mother, Mother.id == Identity.mother_id)
        .outerjoin(Staff, Staff.id == Identity.staff_id)
        .where(Identity.channel == bindparam("channel"),
               Identity.address == bindparam("address"))
    )
    if dialect == "postgresql":
        query = query.with_for_update(of=Identity)  # one message of hers at a time
    return query


# a plain statement: SQLAlchemy cannot cache the compiled form of an ON CONFLICT construct,
# and this one runs for every message
_RECORD = text(
    "INSERT INTO inbound_messages (channel, msg_id, identity_id, mother_id, text, at) "
    "VALUES (:channel, :msg_id, :identity_id, :mother_id, :text, :at) "
    "ON CONFLICT (channel, msg_id) DO NOTHING RETURNING id"
).bindparams(bindparam("at", type_=UTCDateTime())).columns(id=Integer)


async def _record(
    session: AsyncSession, inbound: Inbound, identity: Identity, mother: Mother | None
) -> int | None:
    """Record the message once; None when this (channel, msg_id) was handled before.

    Her words are kept only once she has consented (and are deleted with her).
    """
    values = {"channel": inbound.channel, "msg_id": inbound.msg_id, "at": inbound.at,
              "identity_id": identity.id, "mother_id": mother.id if mother else None,
              "text": inbound.text if mother else None}
    inbound_id: int | None = (await session.execute(_RECORD, values)).scalar_one_or_none()
    return inbound_id


async def _earlier_replies(session: AsyncSession, inbound: Inbound) -> HandleResult:
    """The replies the first delivery produced, so a retried webhook is answered again."""
    first = (
        select(InboundMessage.id)
        .where(InboundMessage.channel == inbound.channel, InboundMessage.msg_id == inbound.msg_id)
        .scalar_subquery()
    )
    ids = (await session.scalars(
        select(Outbox.id).where(Outbox.in_reply_to == first).order_by(Outbox.id))).all()
    return HandleResult(duplicate=True, outbox_ids=list(ids))


async def _dispatch(ctx: Ctx) -> None:
    """Route the message: staff, global words, danger signs, an open thread, the step."""
    text = ctx.inbound.text.strip()
    if ctx.staff is not None:
        await cadre.handle(ctx, text)
        return
    if not text:
        await problem.media(ctx)
        return
    word = keywords.keyword(text)
    if word is not None:
        await keywords.handle(ctx, word)
        return
    if ctx.mother is None:
        await _not_registered(ctx, text)
        return
    if ctx.mother.status in ("opted_out", "loss") and not _in_a_step(ctx):
        await problem.after_stop(ctx, text)
        return
    result = classify(text)
    if result.urgent or result.label == "loss":  # a danger sign or a loss wins over any question
        await problem.report(ctx, text, result)
        return
    if _in_a_step(ctx):
        found = step_registry.get(ctx.conversation.flow, ctx.conversation.step)
        assert found is not None
        if _problem_before_the_question(ctx, found, text, result):
            await problem.report(ctx, text, result)
            return
        await found.answer(ctx, text)
        return
    if await cases.relay_from_mother(ctx, text):
        return
    await problem.free_text(ctx, text, result)


def _problem_before_the_question(
    ctx: Ctx, found: step_registry.Step, text: str, result: TriageResult
) -> bool:
    """She names a problem ("puting sy lecet bgt") where we asked something else: her
    problem is heard first. Not when the step asks for her own words, nor when her reply
    also picks one of the choices offered ("iya, tp asi sy dikit" answers a yes/no)."""
    if result.label not in PROBLEM_LABELS or found.her_words:
        return False
    return not (ctx.options and match_choice(text, ctx.options) is not None)


def _in_a_step(ctx: Ctx) -> bool:
    return (ctx.conversation.flow, ctx.conversation.step) != IDLE and step_registry.get(
        ctx.conversation.flow, ctx.conversation.step
    ) is not None


async def _not_registered(ctx: Ctx, text: str) -> None:
    """Someone we do not know yet: safety first, then consent before anything else."""
    result = classify(text)
    if result.urgent:  # her words are an emergency, never an answer ("kejang dari tadi")
        await problem.urgent_unregistered(ctx, result)
        return
    if result.label == "loss":  # never read as a date or an answer: the loss pathway
        await loss.during_registration(ctx, text)
        return
    registering = _REGISTER.match(text)
    if _in_a_step(ctx) and not registering:
        found = step_registry.get(ctx.conversation.flow, ctx.conversation.step)
        assert found is not None
        await found.answer(ctx, text)
        return
    await onboarding.start(ctx, registering.group(1) if registering else None)
