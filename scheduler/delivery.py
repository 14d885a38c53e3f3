"""Delivering the outbox: claim, send under the provider's caps, record what happened.

An outbox row moves pending -> sending -> sent -> delivered -> read, or ends failed
(with a reason), held (WhatsApp window shut and no template), or cancelled.

* Claims: `UPDATE outbox SET status='sending', lease_until=.. WHERE id IN (SELECT ..
  FOR UPDATE SKIP LOCKED) RETURNING ..` on PostgreSQL; on SQLite the same UPDATE ..
  RETURNING under BEGIN IMMEDIATE (one writer at a time). A row whose lease ran out
  (its worker died) is claimed again: taken over within `lease_seconds`.
* A planned tip row arrives without words (empty text, see scheduler.planner): the
  claim makes them from the catalogue, her language and her name (flows.tiptext) and
  they are written into the row with its outcome; a tip no longer in the catalogue is
  cancelled at claim.
* Caps hold for all workers together: per channel, one worker is the sender, elected
  through the `leases` table (`ChannelLeader`); the others stand by and take over
  when its lease is not renewed for `leader_ttl_seconds`. The leader renews it on a
  timer of its own (`Deliverer.keep_lead`) and stops sending the moment its grant
  runs out. It paces sends with one clock per channel and one per chat (Telegram: 1
  a second per chat); a 429's retry-after pauses the channel, checked after every
  wait, and is shared through the `pause:<channel>` lease row so a standby that
  takes over honours it.
* Errors: `SendError(permanent=True)` fails the row at once and flags the mother
  unreachable; anything else is retried with exponential backoff and jitter
  (or the provider's retry-after, which also pauses the whole channel), until
  `give_up_after`. Final failures on five separate days pause her tips and tell
  her cadre.
* Every outcome is written right after the provider answers (successes by one writer
  per sender, group commit), guarded by `claimed_by`, so a crash never loses a message.
* Rows in doubt: the claim stamps `sending_since` on a row and every known outcome
  clears it. A row claimed while it is still set (its worker died mid-send, or the send
  timed out) may already be on her phone. Before sending it again the sender asks the
  provider (`FindsSent.find_sent`, "reconcile"): a message the provider already has is
  recorded as sent with the provider's id, not sent again; one it cannot be asked
  about waits and is asked again later (backoff), since waiting is safer than
  repeating. Rows claimed fresh never pay for the question.
  WhatsApp (Twilio's Messages list) is therefore exactly-once across a crash; Telegram
  cannot list what a bot sent, so a Telegram row in doubt is sent again: at-least-once,
  a crash repeating at most the messages that were in the provider's hands at that
  instant (`concurrency`; see docs/BENCHMARKS.md and docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Identity, Lease, Mother, Outbox, Staff
from db.types import UTCDateTime
from flows.cases import alert_failed
from flows.outbox import enqueue, preferred_identity
from flows.tiptext import outbox_texts
from messages.texts import text as ui_text
from scheduler.clock import Clock
from scheduler.transport import FindsSent, OutgoingMessage, SendError, Transport

log = logging.getLogger(__name__)

# how far along a row is; a status callback never moves a row back down this list
RANK = {"pending": 0, "held": 0, "queued": 1, "accepted": 1, "scheduled": 1, "sending": 1,
        "sent": 2, "delivered": 3, "read": 4}
FINAL = frozenset({"failed", "undelivered", "cancelled", "canceled"})
# messages the bot starts (not replies): they need her to be active, and on WhatsApp
# outside the 24-hour window a template
SCHEDULED_KINDS = frozenset({"tip", "reminder", "checkin", "welcome"})
WINDOW_CLOSED = "63016"  # Twilio: outside the 24-hour window, free-form text refused
# Twilio error codes in a status callback that no retry will cure: she is unreachable
# (like a permanent SendError). 63003 channel could not find the To address, 63024
# invalid message recipient (not on WhatsApp), 21211 invalid To number, 21614 To is
# not a mobile number, 21610 recipient unsubscribed (STOP), 30005 unknown destination
# handset, 30006 landline or unreachable carrier.
# Channels whose provider reports no delivery: a message it accepted counts as delivered
# (Telegram has no receipts); WhatsApp's "delivered" comes in a status callback.
DELIVERED_ON_SEND = frozenset({"telegram", "simulator"})
# Twilio codes that say this number will not take our messages (twilio.com/docs/api/errors):
# 63003 not an active WhatsApp address, 63024 an invalid recipient, 21211 an invalid To,
# 21614 not a mobile number, 21610 she unsubscribed (STOP), 30005 an unknown handset,
# 30006 a landline. 30003 (handset off, no signal) is temporary and not among them.
PERMANENT_CODES = frozenset({"63003", "63024", "21211", "21614", "21610", "30005", "30006"})
# how far before a row's first uncertain attempt the provider is searched for it: our
# clock and the provider's may disagree, and a wider window costs nothing but a longer
# list (ids other rows own are skipped, so an identical earlier text is not taken)
RECONCILE_MARGIN = timedelta(minutes=5)


TEMPLATE_VARIABLES = frozenset({"name", "text"})


@dataclass(frozen=True)
class Template:
    """An approved WhatsApp Content template: its SID and what fills its {{1}}, {{2}}..

    `variables` names, in order, what goes in each placeholder: "name" (the recipient's
    name) or "text" (the message's full text).
    """

    sid: str
    variables: tuple[str, ...] = ("text",)

    @classmethod
    def parse(cls, value: Any) -> Template:
        """A TWILIO_TEMPLATES value: "HX.." or {"sid": "HX..", "variables": ["name", "text"]}."""
        if isinstance(value, Template):
            return value
        if isinstance(value, str):
            return cls(value)
        return cls(str(value["sid"]), tuple(value.get("variables") or ("text",)))

    def fill(self, text: str, name: str | None) -> dict[str, str]:
        """Content variables for Twilio: {"1": .., "2": ..}."""
        values = {"text": text, "name": name or ""}
        return {str(n): values[v] for n, v in enumerate(self.variables, start=1)}


@dataclass(frozen=True)
class DeliveryConfig:
    """How the senders behave; built from settings (`from_settings`) or by tests."""

    rates: Mapping[str, float] = field(default_factory=dict)  # messages a second per channel
    per_chat_seconds: Mapping[str, float] = field(default_factory=dict)
    # kind -> Content template ("HX.." or {"sid": "HX..", "variables": [..]}, or Template)
    templates: Mapping[str, Any] = field(default_factory=dict)
    lease_seconds: float = 20.0
    leader_ttl_seconds: float = 10.0
    batch: int = 200
    concurrency: int = 64
    send_timeout_seconds: float = 8.0  # well inside the lease, so a slow send is not re-sent
    backoff_base_seconds: float = 2.0
    backoff_max_seconds: float = 600.0
    give_up_after: timedelta = timedelta(hours=48)
    window: timedelta = timedelta(hours=24)
    pause_after_failure_days: int = 5
    idle_seconds: float = 0.5
    # successes may be written together at most this often (0: each at once, the
    # default); a crash may repeat what was sent in this window as well as what was
    # in flight
    record_every_seconds: float = 0.0

    @classmethod
    def from_settings(cls, settings: Any) -> DeliveryConfig:
        """The deployment's caps and timings."""
        return cls(
            rates={"telegram": settings.telegram_rate_per_second,
                   "whatsapp": settings.whatsapp_rate_per_second},
            per_chat_seconds={"telegram": settings.telegram_rate_per_chat_seconds},
            templates=dict(settings.twilio_templates),
            lease_seconds=settings.delivery_lease_seconds,
            send_timeout_seconds=settings.delivery_send_timeout_seconds,
            leader_ttl_seconds=settings.delivery_leader_ttl_seconds,
            backoff_base_seconds=settings.delivery_backoff_base_seconds,
            backoff_max_seconds=settings.delivery_backoff_max_seconds,
            give_up_after=timedelta(hours=settings.delivery_give_up_hours),
        )

    def template(self, kind: str) -> Template | None:
        """The approved template for a kind of message, if the deployment has one."""
        value = self.templates.get(kind)
        return Template.parse(value) if value else None

    @property
    def send_timeout(self) -> float:
        """How long one send may take: well inside the lease, so a slow send is not repeated."""
        return min(self.send_timeout_seconds, self.lease_seconds / 3)

    def backoff(self, attempts: int) -> float:
        """Exponential backoff with jitter: between half and all of base * 2^(n-1), capped."""
        exponent = max(attempts - 1, 0)
        ceiling = min(self.backoff_max_seconds, self.backoff_base_seconds * 2**exponent)
        return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class Claimed:
    """A row this worker holds the lease on."""

    id: int
    channel: str
    address: str
    text: str
    choices: list[dict[str, Any]]
    kind: str
    mother_id: int | None
    attempts: int
    created_at: datetime
    lease_until: datetime
    staff_id: int | None = None
    error_code: str | None = None
    # when the first attempt whose outcome is unknown began (this claim's moment for a
    # fresh row); `in_doubt`: an earlier attempt may already have reached the provider
    sending_since: datetime | None = None
    dedupe_key: str | None = None
    in_doubt: bool = False
    # a planned tip whose words were made at claim (flows.tiptext): they are written
    # into the row with its outcome
    rendered: bool = False


# --- claiming ------------------------------------------------------------------------


async def claim(
    session: AsyncSession, channel: str, worker: str, now: datetime, *, limit: int,
    lease_seconds: float,
) -> list[Claimed]:
    """Take up to `limit` due rows of a channel (and rows whose worker's lease ran out).

    A row comes back `in_doubt` when an earlier attempt's outcome was never written (its
    worker died mid-send, or the send timed out): its `sending_since` was stamped by
    that attempt's claim and not cleared. Still one statement: RETURNING sees the new
    values only, so the claim keeps the old stamp (COALESCE) and a stamp older than
    `now` tells the two apart.
    """
    due = or_(and_(Outbox.status == "pending", Outbox.not_before <= now),
              and_(Outbox.status == "sending", Outbox.lease_until < now))
    ids = (select(Outbox.id).where(Outbox.channel == channel, due)
           .order_by(Outbox.not_before, Outbox.id).limit(limit))
    values = {"status": "sending", "lease_until": now + timedelta(seconds=lease_seconds),
              "claimed_by": worker, "attempts": Outbox.attempts + 1,
              "sending_since": func.coalesce(Outbox.sending_since,
                                             literal(now, type_=UTCDateTime()))}
    returning = (Outbox.id, Outbox.channel, Outbox.address, Outbox.text, Outbox.choices,
                 Outbox.kind, Outbox.mother_id, Outbox.attempts, Outbox.created_at,
                 Outbox.lease_until, Outbox.staff_id, Outbox.error_code, Outbox.sending_since,
                 Outbox.dedupe_key)
    if session.bind.dialect.name == "postgresql":
        # a MATERIALIZED CTE: `id IN (SELECT .. LIMIT n FOR UPDATE SKIP LOCKED)` may be run
        # more than once by the planner, each run skipping the rows the last one locked,
        # and so claim more than n rows
        chosen = ids.with_for_update(skip_locked=True).cte("chosen").prefix_with("MATERIALIZED")
        statement = (update(Outbox).where(Outbox.id == chosen.c.id).values(**values)
                     .returning(*returning).execution_options(synchronize_session=False))
    else:  # SQLite: BEGIN IMMEDIATE makes this the only writer
        statement = (update(Outbox).where(Outbox.id.in_(ids.scalar_subquery())).values(**values)
                     .returning(*returning).execution_options(synchronize_session=False))
    while True:
        claimed = [Claimed(*row) for row in (await session.execute(statement)).all()]
        # a planned tip row has no words yet: they are made now, from the catalogue, her
        # language and her name (flows.tiptext), so everything after this (templates,
        # the transport, the look-up of a row in doubt, the record of the send) sees
        # what she receives
        words = await outbox_texts(session, claimed)
        ready: list[Claimed] = []
        for row in claimed:
            if row.sending_since is not None and row.sending_since < now:
                row = replace(row, in_doubt=True)
            if row.id not in words:
                ready.append(row)
            elif (body := words[row.id]) is None:
                await _finish(session, row.id, worker, status="cancelled",
                              error="no words: tip not in the catalogue, or mother gone")
            else:
                ready.append(replace(row, text=body, rendered=True))
        # a batch that was all cancelled is not "nothing due" (drain would stop): the
        # cancelled rows are no longer due, so claiming again takes the next ones
        if ready or not claimed:
            return sorted(ready, key=lambda c: c.id)


async def _finish(session: AsyncSession, row_id: int, worker: str, *, in_doubt: bool = False,
                  **values: Any) -> bool:
    """Write an outcome, only if the row is still ours (no one took it over).

    `in_doubt`: the attempt may have reached the provider (a timeout), so the row keeps
    its `sending_since` and its next sender asks the provider before sending again.
    """
    if not in_doubt:
        values["sending_since"] = None
    result = await session.execute(
        update(Outbox).where(Outbox.id == row_id, Outbox.claimed_by == worker,
                             Outbox.status == "sending")
        .values(lease_until=None, **values).execution_options(synchronize_session=False))
    return getattr(result, "rowcount", 0) == 1


async def screen(
    session: AsyncSession, rows: Sequence[Claimed], worker: str, now: datetime,
    config: DeliveryConfig,
) -> tuple[list[tuple[Claimed, str | None, dict[str, str] | None]], int, int]:
    """Drop what must not go (she stopped), hold what cannot (WhatsApp window shut).

    Outside WhatsApp's 24-hour window (or when Twilio answered 63016 for the row) a
    message goes as its kind's template when one is configured. Without one, a mother's
    message is held until she writes; a staff member's (an alert to a cadre or a
    midwife) is never held: it is tried free-form, and a refusal is a recorded failure.

    Returns the rows to send with their template, how many were cancelled and held.
    """
    mother_ids = {r.mother_id for r in rows if r.mother_id and r.kind in SCHEDULED_KINDS}
    inactive: set[int] = set()
    if mother_ids:
        inactive = set((await session.scalars(select(Mother.id).where(
            Mother.id.in_(mother_ids), Mother.status != "active"))).all())
    open_window: dict[str, datetime | None] = {}
    whatsapp = {r.address for r in rows if r.channel == "whatsapp"}
    if whatsapp:
        found = await session.execute(select(Identity.address, Identity.last_inbound_at).where(
            Identity.channel == "whatsapp", Identity.address.in_(whatsapp)))
        open_window = {address: at for address, at in found.all()}
    shut = [r for r in rows if r.channel == "whatsapp" and (
        r.error_code == WINDOW_CLOSED or open_window.get(r.address) is None
        or now - cast(datetime, open_window[r.address]) >= config.window)]
    names = await _names(session, [r for r in shut if config.template(r.kind)])
    keep: list[tuple[Claimed, str | None, dict[str, str] | None]] = []
    cancelled = held = 0
    shut_ids = {r.id for r in shut}
    for row in rows:
        if row.mother_id in inactive:
            await _finish(session, row.id, worker, status="cancelled", error="not active")
            cancelled += 1
            continue
        if row.id in shut_ids:
            template = config.template(row.kind)
            if template is not None:
                name = names.get(("staff", row.staff_id) if row.staff_id else
                                 ("mother", row.mother_id or 0))
                keep.append((row, template.sid, template.fill(row.text, name)))
                continue
            if row.staff_id is not None:
                log.warning("staff message outside the WhatsApp 24-hour window and no "
                            "template for its kind: sent free-form (configure an approved "
                            "%r template in TWILIO_TEMPLATES)", row.kind,
                            extra={"outbox_id": row.id})
                keep.append((row, None, None))
                continue
            # a row in doubt stays in doubt while held: when she writes and it goes free,
            # the provider is asked first, as for any row in doubt
            await _finish(session, row.id, worker, status="held", in_doubt=row.in_doubt,
                          error="24-hour window closed, no template")
            held += 1
            continue
        keep.append((row, None, None))
    return keep, cancelled, held


async def _names(session: AsyncSession, rows: Sequence[Claimed]) -> dict[tuple[str, int], str]:
    """The recipients' names, for templates that greet her by name."""
    found: dict[tuple[str, int], str] = {}
    staff = {r.staff_id for r in rows if r.staff_id}
    mothers = {r.mother_id for r in rows if r.mother_id and not r.staff_id}
    if staff:
        for sid, name in (await session.execute(
                select(Staff.id, Staff.name).where(Staff.id.in_(staff)))).all():
            found[("staff", sid)] = name
    if mothers:
        for mid, name in (await session.execute(
                select(Mother.id, Mother.name).where(Mother.id.in_(mothers)))).all():
            found[("mother", mid)] = name
    return found


# --- status callbacks and failures ----------------------------------------------------------


async def record_status(
    session: AsyncSession, provider_msg_id: str, status: str, error_code: str | None,
    now: datetime,
) -> bool:
    """A provider's status callback: move the row forward only (never back); True if it moved."""
    query = select(Outbox).where(Outbox.provider_msg_id == provider_msg_id)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.scalars(query.limit(1))).first()
    status = status.lower()
    if row is None or row.status in FINAL:
        return False
    if status in FINAL:
        if RANK.get(row.status, 0) >= RANK["delivered"]:
            return False  # a late failure after delivery changes nothing
        row.status, row.error_code = "undelivered" if status == "undelivered" else "failed", \
            error_code
        row.error = f"provider status {status}"
        if row.staff_id is not None:
            await alert_failed(session, row.id, now)
        elif row.mother_id is not None:
            await note_failure(session, row.mother_id, now,
                               permanent=(error_code or "") in PERMANENT_CODES)
        return True
    if status not in RANK or RANK[status] <= RANK.get(row.status, 0):
        return False
    row.status = status
    if status in ("delivered", "read") and row.delivered_at is None:
        row.delivered_at = now
        if row.mother_id is not None and row.staff_id is None:
            await clear_failures(session, [row.mother_id])
    if error_code:
        row.error_code = error_code
    return True


async def window_closed(
    session: AsyncSession, provider_msg_id: str, now: datetime, config: DeliveryConfig,
) -> str:
    """A 63016 status callback (she was outside the 24-hour window): what becomes of the row.

    "resent" when its kind has a template (it goes again at once, as the template),
    "failed" for a message to staff (never held: a recorded failure), "held" for hers
    otherwise (sent when she next writes), "ignored" for an unknown or delivered row.
    """
    query = select(Outbox).where(Outbox.provider_msg_id == provider_msg_id)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.scalars(query.limit(1))).first()
    if row is None or row.status in FINAL or RANK.get(row.status, 0) >= RANK["delivered"]:
        return "ignored"
    # error_code 63016 stays on a row once sent as its template after a 63016: a second
    # refusal is not resent again
    already_template = row.error_code == WINDOW_CLOSED
    row.error_code, row.lease_until, row.sending_since = WINDOW_CLOSED, None, None
    if config.template(row.kind) is not None and not already_template:
        row.status, row.not_before, row.error = "pending", now, "63016: again as its template"
        return "resent"
    if row.staff_id is not None:
        row.status = "failed"
        row.error = "24-hour window closed (staff: configure an approved template)"
        log.error("staff message refused outside the 24-hour window: configure an approved "
                  "%r template in TWILIO_TEMPLATES", row.kind, extra={"outbox_id": row.id})
        await alert_failed(session, row.id, now)
        return "failed"
    row.status, row.error = "held", "24-hour window closed"
    return "held"


async def clear_failures(session: AsyncSession, mother_ids: Sequence[int]) -> None:
    """A message reached her: her failed days start again from none (and she is reachable).

    So the pause needs failures on five separate days *without a delivery in between*,
    not five scattered bad days over two years.
    """
    await session.execute(
        update(Mother).where(Mother.id.in_(sorted(set(mother_ids))), Mother.status == "active",
                             or_(Mother.unreachable.is_(True),
                                 cast_(Mother.failure_days, String) != "[]"))
        .values(failure_days=[], unreachable=False)
        .execution_options(synchronize_session=False))


async def note_failure(
    session: AsyncSession, mother_id: int, now: datetime, *, permanent: bool = False,
    pause_after: int = 5,
) -> bool:
    """Count a failed day for her; on the fifth separate day pause her tips and tell her cadre.

    Returns True when this failure paused her.
    """
    query = select(Mother).where(Mother.id == mother_id)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=Mother)
    mother = (await session.scalars(query)).first()
    if mother is None:
        return False
    if permanent:
        mother.unreachable = True
    day = now.astimezone(ZoneInfo(mother.tz)).date().isoformat()
    days = list(mother.failure_days or [])
    if day not in days:
        mother.failure_days = days = [*days, day]
    if len(days) < pause_after or mother.status != "active":
        return False
    mother.status = "paused"
    mother.unreachable = True
    await session.execute(
        update(Outbox).where(Outbox.mother_id == mother.id, Outbox.status.in_(("pending", "held")),
                             Outbox.kind.in_(SCHEDULED_KINDS))
        .values(status="cancelled", error="paused: unreachable")
        .execution_options(synchronize_session=False))
    cadre = await session.get(Staff, mother.cadre_id) if mother.cadre_id else None
    identity = await preferred_identity(session, staff=cadre) if cadre else None
    if cadre is not None and identity is not None:
        enqueue(session, channel=identity.channel, address=identity.address, now=now,
                text=ui_text("reminders.cadre_unreachable", cadre.lang, name=mother.name,
                             days=len(days)),
                kind="alert", staff_id=cadre.id, dedupe_key=f"unreachable:{mother.id}:{day}")
    log.warning("mother paused after failures on separate days", extra={"mother_id": mother.id})
    return True


# --- pacing ------------------------------------------------------------------------------


class Pacer:
    """One channel's cap: evenly spaced send slots, a gap per chat, and pauses on 429."""

    def __init__(self, rate: float | None, per_chat: float = 0.0) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.per_chat = per_chat
        self._next = 0.0
        self._paused_until = 0.0
        # the sends of the last second: never more than the cap in any one-second window
        self._per_second = max(1, int(rate)) if rate else 0
        self._recent: deque[float] = deque()
        self._chat_next: dict[str, float] = {}

    def pause(self, seconds: float) -> None:
        """The provider said wait: nobody on this channel sends until then."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    @property
    def paused_for(self) -> float:
        """Seconds left of the current pause (0 when sending is allowed)."""
        return max(0.0, self._paused_until - time.monotonic())

    async def slot(self, address: str) -> None:
        """Wait for this chat's turn, then for the channel's next slot.

        The pause is checked again after every wait: a 429 that arrives while a row
        waits for its slot stops that row too, not only the rows that come later.
        """
        if self.per_chat:
            turn = max(time.monotonic(), self._chat_next.get(address, 0.0))
            self._chat_next[address] = turn + self.per_chat  # reserved before waiting
            await _sleep_until(turn)
        while True:
            while self._paused_until > time.monotonic():
                await _sleep_until(self._paused_until)
            if self.interval:
                at = max(time.monotonic(), self._next)
                self._next = at + self.interval
                await _sleep_until(at)
                recent = self._recent
                while len(recent) >= self._per_second and \
                        time.monotonic() - recent[0] < 1.0:
                    # woke late (a busy loop): catching up is allowed only while no
                    # one-second window holds more than the cap
                    await _sleep_until(recent[0] + 1.0)
                    while recent and time.monotonic() - recent[0] >= 1.0:
                        recent.popleft()
            if self._paused_until <= time.monotonic():
                break
            # paused while we waited: wait out the pause and take a new slot after it
        if self.interval:
            now = time.monotonic()
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            self._recent.append(now)
        if self.per_chat:
            sent = time.monotonic()
            self._chat_next[address] = max(self._chat_next[address], sent + self.per_chat)
            if len(self._chat_next) > 100_000:
                self._chat_next = {a: t for a, t in self._chat_next.items() if t > sent}


async def _sleep_until(moment: float) -> None:
    wait = moment - time.monotonic()
    if wait > 0:
        await asyncio.sleep(wait)


# --- leadership ------------------------------------------------------------------------


class ChannelLeader:
    """Who sends on a channel: a lease row in `leases`, renewed while its holder lives."""

    def __init__(self, channel: str, holder: str, ttl_seconds: float) -> None:
        self.name = f"send:{channel}"
        self.holder = holder
        self.ttl = timedelta(seconds=ttl_seconds)

    async def hold(self, sessions: async_sessionmaker[AsyncSession], now: datetime) -> bool:
        """Take or renew the lease; True while this worker is the channel's sender."""
        until = now + self.ttl
        async with sessions() as session, session.begin():
            renewed = await session.execute(
                update(Lease)
                .where(Lease.name == self.name,
                       or_(Lease.holder == self.holder, Lease.expires_at < now))
                .values(holder=self.holder, expires_at=until)
                .execution_options(synchronize_session=False))
            if getattr(renewed, "rowcount", 0) == 1:
                return True
            insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
            created = await session.execute(
                insert(Lease).values(name=self.name, holder=self.holder, expires_at=until)
                .on_conflict_do_nothing(index_elements=["name"]))
            return getattr(created, "rowcount", 0) == 1

    async def release(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Step down (a clean shutdown hands over at once)."""
        async with sessions() as session, session.begin():
            await session.execute(delete(Lease).where(Lease.name == self.name,
                                                      Lease.holder == self.holder))


def _pause_name(channel: str) -> str:
    return f"pause:{channel}"


async def share_pause(
    sessions: async_sessionmaker[AsyncSession], channel: str, holder: str, until: datetime,
) -> None:
    """Write a provider's retry-after where every worker sees it (a row in `leases`)."""
    name = _pause_name(channel)
    async with sessions() as session, session.begin():
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = insert(Lease).values(name=name, holder=holder, expires_at=until)
        await session.execute(statement.on_conflict_do_update(
            index_elements=["name"], set_={"holder": holder, "expires_at": until},
            where=Lease.expires_at < statement.excluded.expires_at))


async def shared_pause(
    sessions: async_sessionmaker[AsyncSession], channel: str, now: datetime,
) -> float:
    """Seconds left of the channel's shared retry-after pause (0 when none)."""
    async with sessions() as session:
        until = await session.scalar(select(Lease.expires_at).where(
            Lease.name == _pause_name(channel)))
    return max(0.0, (until - now).total_seconds()) if until is not None else 0.0


# --- sending --------------------------------------------------------------------------------


@dataclass
class SendStats:
    """What a sender has done since it started."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0
    cancelled: int = 0
    lost_lease: int = 0
    reconciled: int = 0  # rows in doubt the provider already had: recorded, not sent again
    unverified: int = 0  # rows in doubt sent again, the provider having no way to tell


class ChannelSender:
    """Sends one channel's claimed rows through its transport, under its pacer."""

    def __init__(
        self, transport: Transport, sessions: async_sessionmaker[AsyncSession], clock: Clock,
        config: DeliveryConfig, worker: str,
    ) -> None:
        self.transport = transport
        self.channel = transport.channel
        self.sessions = sessions
        self.clock = clock
        self.config = config
        self.worker = worker
        self.pacer = Pacer(config.rates.get(self.channel),
                           config.per_chat_seconds.get(self.channel, 0.0))
        self.stats = SendStats()
        self._gate = asyncio.Semaphore(config.concurrency)
        self._done: list[dict[str, Any]] = []
        self._done_since = 0.0
        self._written: list[asyncio.Future[None]] = []
        self._writer: asyncio.Task[None] | None = None
        # monotonic moment until which this worker surely holds the channel's sender lease
        # (set by the leader's renewal timer; unbounded for `drain`, which leads nothing)
        self.lead_until = math.inf

    @property
    def leading(self) -> bool:
        """May this worker send now (its leader lease cannot have lapsed yet)?"""
        return time.monotonic() < self.lead_until

    @property
    def batch(self) -> int:
        rate = self.config.rates.get(self.channel)
        return self.config.batch if not rate else max(10, min(self.config.batch, int(rate * 3)))

    async def run_once(self) -> int:
        """Claim one batch and send it; returns how many rows were handled."""
        if not self.leading:
            return 0
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            rows = await claim(session, self.channel, self.worker, now, limit=self.batch,
                               lease_seconds=self.config.lease_seconds)
            if not rows:
                return 0
            keep, cancelled, held = await screen(session, rows, self.worker, now, self.config)
        self.stats.cancelled += cancelled
        self.stats.held += held
        by_chat: dict[str, list[tuple[Claimed, str | None, dict[str, str] | None]]] = \
            defaultdict(list)
        for item in keep:
            by_chat[item[0].address].append(item)
        try:
            await asyncio.gather(*(self._send_chat(items) for items in by_chat.values()))
        finally:
            await self.flush()
        return len(rows)

    async def _write_loop(self) -> None:
        """Write buffered successes until none are left; wake the sends that wait on them."""
        while self._done:
            waiting, self._written = self._written, []
            try:
                await self.flush()
            except BaseException as exc:
                for done in waiting:
                    if not done.done():
                        done.set_exception(exc if isinstance(exc, Exception)
                                           else RuntimeError("write cancelled"))
                raise
            for done in waiting:
                if not done.done():
                    done.set_result(None)

    async def flush(self) -> None:
        """Write the buffered successes in one transaction (only rows still ours)."""
        done, self._done = self._done, []
        if not done:
            return
        table = cast(Table, Outbox.__table__)
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"), table.c.claimed_by == self.worker,
                   table.c.status == "sending")
            .values(status="sent", sent_at=bindparam("at"), provider_msg_id=bindparam("pid"),
                    lease_until=None, sending_since=None, error=None,
                    # what she received (a planned tip's words are made at claim time)
                    text=bindparam("words"),
                    # kept: this row went as its template after a 63016 (see window_closed)
                    error_code=case((table.c.error_code == WINDOW_CLOSED, WINDOW_CLOSED),
                                    else_=None))
        )
        reached = [d["mother"] for d in done if d["mother"] is not None]
        async with self.sessions() as session, session.begin():
            await session.execute(statement, [{k: d[k] for k in ("row_id", "at", "pid", "words")}
                                              for d in done])
            if reached:
                await clear_failures(session, reached)
        self.stats.sent += len(done)

    async def _send_chat(self, items: list[tuple[Claimed, str | None, dict[str, str] | None]]
                         ) -> None:
        """One chat's rows in order, one at a time."""
        for row, sid, variables in items:
            async with self._gate:
                await self._send_one(row, sid, variables)

    async def _send_one(self, row: Claimed, sid: str | None, variables: dict[str, str] | None
                        ) -> None:
        message = OutgoingMessage(outbox_id=row.id, channel=row.channel, address=row.address,
                                  text=row.text, choices=list(row.choices or []), kind=row.kind,
                                  template_sid=sid, template_vars=variables)
        if row.in_doubt:
            if isinstance(self.transport, FindsSent):
                # asked before the pacer: a look-up is not a message and spends no slot
                if await self._reconcile(row, message, self.transport):
                    return
            else:
                # this provider cannot say what it has: sent again (at-least-once)
                self.stats.unverified += 1
        await self.pacer.slot(row.address)
        if not self.leading:
            # the leader lease lapsed or passed to another worker while this row waited:
            # it goes back to the queue for the new sender, unsent
            async with self.sessions() as session, session.begin():
                await _finish(session, row.id, self.worker, status="pending",
                              not_before=self.clock.now())
            self.stats.lost_lease += 1
            return
        if self.clock.now() + timedelta(seconds=self.config.send_timeout) >= row.lease_until:
            # waited too long (a 429 pause): the lease may pass to another worker mid-send
            async with self.sessions() as session, session.begin():
                await _finish(session, row.id, self.worker, status="pending",
                              not_before=self.clock.now())
            self.stats.lost_lease += 1
            return
        error: SendError | None = None
        provider_id: str | None = None
        try:
            # asyncio.timeout, not wait_for: the send starts in this very step, so no 429
            # can come in between the pacer's last look at the pause and the send
            async with asyncio.timeout(self.config.send_timeout):
                provider_id = await self.transport.send(message)
        except SendError as exc:
            error = exc
        except TimeoutError:
            # the request may have reached the provider before the answer was given up on
            error = SendError("timed out", code="timeout", maybe_sent=True)
        except Exception as exc:  # noqa: BLE001  (a transport bug must not kill the loop)
            log.exception("transport raised", extra={"outbox_id": row.id})
            error = SendError(f"{type(exc).__name__}: {exc}"[:200], code="exception")
        await self._record(row, provider_id, error)

    async def _reconcile(self, row: Claimed, message: OutgoingMessage, finder: FindsSent
                         ) -> bool:
        """Ask the provider whether a row in doubt already went; True if it is settled.

        Found: recorded as sent with the provider's id (not sent again). Not found:
        False, and the row is sent as usual. The provider could not be asked: the row
        waits (a retry with backoff, still in doubt) rather than risk a second copy.
        """
        since = cast(datetime, row.sending_since) - RECONCILE_MARGIN
        error: SendError | None = None
        found: list[str] = []
        try:
            async with asyncio.timeout(self.config.send_timeout):
                found = await finder.find_sent(message, since)
        except SendError as exc:
            error = exc
        except TimeoutError:
            error = SendError("timed out", code="timeout")
        except Exception as exc:  # noqa: BLE001  (a transport bug must not kill the loop)
            log.exception("reconcile raised", extra={"outbox_id": row.id})
            error = SendError(f"{type(exc).__name__}: {exc}"[:200], code="exception")
        if error is not None:
            log.warning("could not ask the provider about a message in doubt; asking again "
                        "later", extra={"outbox_id": row.id, "code": error.code})
            # never permanent, never a channel pause: the message itself was not refused
            await self._record(row, None, SendError(f"reconcile: {error.message}"[:200],
                                                    code=error.code, maybe_sent=True))
            return True
        provider_id = await self._unowned(found)
        if provider_id is None:
            return False
        log.info("message in doubt already with the provider: recorded, not sent again",
                 extra={"outbox_id": row.id})
        self.stats.reconciled += 1
        await self._record(row, provider_id, None)
        return True

    async def _unowned(self, found: Sequence[str]) -> str | None:
        """The oldest of these provider ids that no other outbox row owns yet."""
        if not found:
            return None
        taken = {d["pid"] for d in self._done}  # recorded here, not yet written
        async with self.sessions() as session:
            taken.update((await session.scalars(select(Outbox.provider_msg_id).where(
                Outbox.provider_msg_id.in_(list(found))))).all())
        free = [pid for pid in found if pid not in taken]
        return free[-1] if free else None

    async def _record(self, row: Claimed, provider_id: str | None, error: SendError | None
                      ) -> None:
        now = self.clock.now()
        if error is None:
            if not self._done:
                self._done_since = time.monotonic()
            reached = row.mother_id if row.staff_id is None and row.mother_id is not None \
                and self.channel in DELIVERED_ON_SEND else None
            self._done.append({"row_id": row.id, "at": now, "pid": provider_id,
                               "mother": reached, "words": row.text})
            if not self.config.record_every_seconds:
                # at once: one writer task per sender writes whatever piled up during its
                # last write (group commit), and this send waits until its row is written,
                # so it holds its concurrency slot until then: what a crash can repeat is
                # bounded by `concurrency`
                done = asyncio.get_running_loop().create_future()
                self._written.append(done)
                if self._writer is None or self._writer.done():
                    self._writer = asyncio.create_task(self._write_loop())
                await done
            elif len(self._done) >= 100 or \
                    time.monotonic() - self._done_since >= self.config.record_every_seconds:
                await self.flush()
            return
        # a planned tip's words, made at claim, stay with whatever becomes of it
        words: dict[str, Any] = {"text": row.text} if row.rendered else {}
        async with self.sessions() as session, session.begin():
            reason = error.message[:200]
            if error.window_closed and row.staff_id is not None:
                # a staff alert never waits silently: a recorded failure, and its case
                # moves on to the next person in the chain at the next beat
                if await _finish(session, row.id, self.worker, status="failed",
                                 error=f"{reason} (staff: configure an approved template)",
                                 error_code=error.code, **words):
                    await alert_failed(session, row.id, now)
                log.error("staff message refused outside the 24-hour window: configure an "
                          "approved %r template in TWILIO_TEMPLATES", row.kind,
                          extra={"outbox_id": row.id})
                self.stats.failed += 1
            elif error.window_closed and self.config.template(row.kind) is not None \
                    and row.error_code != WINDOW_CLOSED:
                # the window had shut after all: again at once, as the kind's template
                await _finish(session, row.id, self.worker, status="pending", not_before=now,
                              error=reason, error_code=WINDOW_CLOSED, **words)
                self.stats.retried += 1
            elif error.window_closed:
                await _finish(session, row.id, self.worker, status="held", error=reason,
                              error_code=error.code, **words)
                self.stats.held += 1
            elif error.permanent or now - row.created_at > self.config.give_up_after:
                if await _finish(session, row.id, self.worker, status="failed", error=reason,
                                 error_code=error.code, **words):
                    if row.staff_id is not None:
                        await alert_failed(session, row.id, now)
                    elif row.mother_id is not None:
                        await note_failure(session, row.mother_id, now,
                                           permanent=error.permanent,
                                           pause_after=self.config.pause_after_failure_days)
                self.stats.failed += 1
            else:
                if error.retry_after is not None:
                    self.pacer.pause(error.retry_after)
                    delay = error.retry_after
                    await share_pause(self.sessions, self.channel, self.worker,
                                      now + timedelta(seconds=error.retry_after))
                else:
                    delay = self.config.backoff(row.attempts)
                await _finish(session, row.id, self.worker, status="pending",
                              not_before=now + timedelta(seconds=delay), error=reason,
                              error_code=error.code, in_doubt=error.maybe_sent, **words)
                self.stats.retried += 1


class Deliverer:
    """The delivery loop of one worker: per channel, lead and send, or stand by."""

    def __init__(
        self, transports: Mapping[str, Transport], sessions: async_sessionmaker[AsyncSession],
        clock: Clock, config: DeliveryConfig, worker: str | None = None,
    ) -> None:
        self.worker = worker or f"w-{uuid.uuid4().hex[:10]}"
        self.sessions = sessions
        self.clock = clock
        self.config = config
        self.senders = {name: ChannelSender(t, sessions, clock, config, self.worker)
                        for name, t in transports.items()}
        self.leaders = {name: ChannelLeader(name, self.worker, config.leader_ttl_seconds)
                        for name in transports}

    async def drain(self, channel: str | None = None) -> int:
        """Send everything due now (no leadership): `asibot simulate` and tests."""
        total = 0
        for name, sender in self.senders.items():
            if channel in (None, name):
                while True:
                    handled = await sender.run_once()
                    total += handled
                    if not handled:
                        break
        return total

    async def keep_lead(self, name: str, stop: asyncio.Event) -> None:
        """The leader lease's own timer: renewed every quarter of its TTL, sending or not.

        A renewal that succeeds lets the sender send until 80% of the TTL from the moment
        it was asked (well before a standby may take over); a refused one stops it at
        once; a database error lets the last grant run out on its own. On every renewal
        the channel's shared retry-after pause is read, so a standby that takes over
        honours a 429 its predecessor got.
        """
        sender, leader = self.senders[name], self.leaders[name]
        ttl = self.config.leader_ttl_seconds
        sender.lead_until = 0.0
        while not stop.is_set():
            asked = time.monotonic()
            try:
                held = await leader.hold(self.sessions, self.clock.now())
                if held:
                    pause = await shared_pause(self.sessions, name, self.clock.now())
                    if pause > 0:
                        sender.pacer.pause(pause)
                    sender.lead_until = asked + ttl * 0.8
                else:
                    sender.lead_until = 0.0
            except Exception:  # noqa: BLE001  (the database may blink; the grant runs out)
                log.exception("leader renewal failed", extra={"channel": name})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), ttl / 4)

    async def run_channel(self, name: str, stop: asyncio.Event) -> None:
        """Lead this channel whenever no live worker does, and send while leading."""
        sender, leader = self.senders[name], self.leaders[name]
        sender.lead_until = 0.0
        renewing = asyncio.create_task(self.keep_lead(name, stop))
        try:
            while not stop.is_set():
                try:
                    handled = await sender.run_once() if sender.leading else 0
                except Exception:  # noqa: BLE001  (the database may blink; try again)
                    log.exception("delivery loop error", extra={"channel": name})
                    handled = 0
                if not handled:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self.config.idle_seconds)
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await renewing
            sender.lead_until = 0.0
            with contextlib.suppress(Exception):
                await leader.release(self.sessions)  # only if still ours

    async def run(self, stop: asyncio.Event) -> None:
        """Every channel at once until `stop` is set."""
        await asyncio.gather(*(self.run_channel(name, stop) for name in self.senders))

