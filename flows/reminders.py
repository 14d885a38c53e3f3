"""Timers for one mother, as rows with a `due_at`: check-ins, birth report, nudge.

`plan_reminders` writes a mother's timers when she registers or reports the
birth (idempotent: it moves timers that are not done yet and adds missing ones).
The scheduler's heartbeat calls `plan_nudges` (set-based) and `send_due_reminders`,
which claims each due row with a conditional UPDATE so two workers never send one
reminder twice. Case follow-ups (kind "case_followup") belong to flows/cases.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Conversation, Identity, Mother, Outbox, Reminder
from db.types import UTCDateTime
from flows.catalogue import tips_by_key
from flows.checkin import start_checkin
from flows.outbox import enqueue, preferred_identity
from flows.quiet import daytime_from
from flows.tiptext import tip_key
from flows.types import FlowConfig
from messages.texts import text as ui_text

log = logging.getLogger(__name__)

CHECKIN = "checkin"
BIRTH_REPORT = "birth_report"
NUDGE = "nudge"
OURS = (CHECKIN, BIRTH_REPORT, NUDGE)
# child's age in days for the monthly check-ins (0-5 completed months), shifted per
# mother by 0-6 days so the recall day varies across the week
CHECKIN_DAYS = (20, 50, 80, 110, 140, 170)
EBF_MAX_DAYS = 183
# days after the due date on which she is asked whether the baby has come
BIRTH_REPORT_DAYS = (0, 7, 14, 21)
SILENCE_DAYS = 30
NUDGE_WINDOW_DAYS = 7  # a mother silent longer than this when the heartbeat first looks is let be
# no check-in in her first days with us: not an hour after registration, on top of the welcome
# that has just told her "only breast milk" (DOMAIN.md (d): not after a "no water" tip)
CHECKIN_SETTLE_DAYS = 3
BATCH = 500


def local_moment(day: date, hour: int, tz: str) -> datetime:
    """`hour` o'clock on `day` in her zone, as UTC."""
    return datetime.combine(day, time(hour), ZoneInfo(tz)).astimezone(UTC)


def _reminder_hour(mother: Mother, config_quiet_end: int = 6) -> int:
    """An hour after her tip hour, so a question does not arrive on top of a tip."""
    return min(max(mother.tip_hour + 1, config_quiet_end), 20)


def wanted_reminders(mother: Mother) -> dict[str, tuple[str, datetime, dict[str, object]]]:
    """Her timers by dedupe key: (kind, due_at, payload)."""
    hour = _reminder_hour(mother)
    wanted: dict[str, tuple[str, datetime, dict[str, object]]] = {}
    if mother.stage == "pregnant" and mother.due_date is not None:
        for n, after in enumerate(BIRTH_REPORT_DAYS, start=1):
            due = local_moment(mother.due_date + timedelta(days=after), hour, mother.tz)
            wanted[f"{BIRTH_REPORT}:{mother.id}:{n}"] = (BIRTH_REPORT, due, {"n": n})
    if mother.stage == "postnatal" and mother.birth_date is not None:
        shift = mother.id % 7
        joined = mother.created_at.astimezone(ZoneInfo(mother.tz)).date()
        settled = local_moment(joined + timedelta(days=CHECKIN_SETTLE_DAYS), hour, mother.tz)
        for n, age in enumerate(CHECKIN_DAYS, start=1):
            due = local_moment(mother.birth_date + timedelta(days=age + shift), hour, mother.tz)
            if due >= mother.created_at - timedelta(days=1):  # (one long past is not asked)
                due = max(due, settled)
            wanted[f"{CHECKIN}:{mother.id}:{n}"] = (CHECKIN, due, {"n": n})
    return wanted


async def plan_reminders(session: AsyncSession, mother: Mother, now: datetime) -> int:
    """Write her check-in and birth-report timers; returns how many were added or moved."""
    wanted = wanted_reminders(mother)
    existing = {
        row.dedupe_key: row
        for row in (await session.scalars(
            select(Reminder).where(Reminder.mother_id == mother.id,
                                   Reminder.kind.in_((CHECKIN, BIRTH_REPORT)))
        )).all()
    }
    changed = 0
    for key, old in existing.items():
        if old.done_at is None and key not in wanted:
            old.done_at = now  # a birth-report prompt after the birth was reported
    for key, (kind, due_at, payload) in wanted.items():
        row = existing.get(key)
        if row is None:
            if due_at < now - timedelta(days=1):
                continue  # already past when she joined: not asked late
            session.add(Reminder(mother_id=mother.id, kind=kind, due_at=due_at, done_at=None,
                                 payload=payload, dedupe_key=key))
            changed += 1
        elif row.done_at is None and row.due_at != due_at:
            row.due_at = due_at
            changed += 1
        elif row.done_at is not None and row.due_at > now and due_at > now:
            # a future timer closed by STOP: she came back with MULAI
            row.done_at, row.due_at = None, due_at
            changed += 1
    await session.flush()
    return changed


_NUDGES = """
INSERT INTO reminders (mother_id, kind, due_at, done_at, payload, dedupe_key)
SELECT m.id, 'nudge', :now, NULL, '{}', 'nudge:' || m.id || ':' || CAST(m.last_inbound_at AS TEXT)
FROM mothers m
WHERE m.status = 'active' AND m.last_inbound_at <= :cutoff AND m.last_inbound_at > :oldest
ON CONFLICT (dedupe_key) DO NOTHING
"""


async def plan_nudges(session: AsyncSession, now: datetime) -> int:
    """One nudge per silence: for every mother who has not written for 30 days (set-based)."""
    cutoff = now - timedelta(days=SILENCE_DAYS)
    statement = text(_NUDGES).bindparams(
        bindparam("now", type_=UTCDateTime()), bindparam("cutoff", type_=UTCDateTime()),
        bindparam("oldest", type_=UTCDateTime()))
    result = await session.execute(statement, {
        "now": now, "cutoff": cutoff, "oldest": cutoff - timedelta(days=NUDGE_WINDOW_DAYS)})
    return max(getattr(result, "rowcount", 0) or 0, 0)


@dataclass
class ReminderCounts:
    """What one pass over the due reminders did."""

    checkins: int = 0
    birth_reports: int = 0
    nudges: int = 0
    skipped: int = 0
    postponed: int = 0

    @property
    def sent(self) -> int:
        return self.checkins + self.birth_reports + self.nudges


async def _conversation(session: AsyncSession, identity: Identity, now: datetime) -> Conversation:
    found = (await session.scalars(
        select(Conversation).where(Conversation.identity_id == identity.id))).first()
    if found is None:
        found = Conversation(identity_id=identity.id, flow="idle", step="idle", data={},
                             misses=0, updated_at=now)
        session.add(found)
    return found


async def send_due_reminders(
    session: AsyncSession, now: datetime, config: FlowConfig, *, batch: int = BATCH
) -> ReminderCounts:
    """Send every check-in, birth-report prompt and nudge that is due (claimed one by one)."""
    counts = ReminderCounts()
    due = (await session.scalars(
        select(Reminder.id)
        .where(Reminder.kind.in_(OURS), Reminder.done_at.is_(None), Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(batch)
    )).all()
    for reminder_id in due:
        claimed = await session.execute(
            update(Reminder).where(Reminder.id == reminder_id, Reminder.done_at.is_(None))
            .values(done_at=now).execution_options(synchronize_session=False))
        if getattr(claimed, "rowcount", 0) != 1:
            continue  # another worker has it
        reminder = await session.get(Reminder, reminder_id, populate_existing=True)
        assert reminder is not None
        mother = await session.get(Mother, reminder.mother_id)
        identity = await preferred_identity(session, mother=mother) if mother else None
        if mother is None or identity is None or mother.status != "active":
            counts.skipped += 1
            continue
        zone = ZoneInfo(mother.tz)
        not_before = daytime_from(now, zone, config.quiet_start, config.quiet_end)
        if reminder.kind == CHECKIN:
            age = (now.astimezone(zone).date() - mother.birth_date).days \
                if mother.birth_date else None
            if mother.stage != "postnatal" or age is None or age >= EBF_MAX_DAYS:
                counts.skipped += 1
                continue
            conversation = await _conversation(session, identity, now)
            busy = (conversation.flow, conversation.step) != ("idle", "idle")
            if busy and now - conversation.updated_at < timedelta(hours=12):
                reminder.done_at, reminder.due_at = None, now + timedelta(days=1)
                counts.postponed += 1  # she is in the middle of something: ask tomorrow
                continue
            start_checkin(session, mother, identity, conversation, now, not_before,
                          key=f"{CHECKIN}:{reminder.id}", age_days=age)
            counts.checkins += 1
        elif reminder.kind == BIRTH_REPORT:
            if mother.stage != "pregnant":
                counts.skipped += 1
                continue
            enqueue(session, channel=identity.channel, address=identity.address,
                    text=ui_text("reminders.birth_report", mother.lang, name=mother.name),
                    now=now, kind="reminder", mother_id=mother.id,
                    dedupe_key=f"{BIRTH_REPORT}:{reminder.id}", not_before=not_before)
            counts.birth_reports += 1
        else:
            if mother.last_inbound_at and now - mother.last_inbound_at < timedelta(
                    days=SILENCE_DAYS):
                counts.skipped += 1  # she wrote meanwhile
                continue
            enqueue(session, channel=identity.channel, address=identity.address,
                    text=ui_text("reminders.nudge", mother.lang, name=mother.name),
                    now=now, kind="reminder", mother_id=mother.id,
                    dedupe_key=f"{NUDGE}:{reminder.id}", not_before=not_before)
            counts.nudges += 1
    await session.flush()
    return counts


# what is still worth sending when she writes again after her messages were held
# (WhatsApp window shut, no template): the planner's catch-up rule for tips, and
# for the rest a freshness limit
HELD_REPLY_HOURS = 24  # an answer to something she wrote more than a day ago is not sent
HELD_REMINDER_DAYS = 7  # a check-in question or reminder older than a week is not sent


async def release_held(session: AsyncSession, identity: Identity, now: datetime) -> int:
    """She wrote: what was held for her closed WhatsApp window goes out now (after the reply).

    Not everything: the catch-up rule the planner uses after downtime applies, so a
    mother silent for weeks does not get every held tip at once. Of the held tips only
    her latest, and any held must-deliver tip still inside its stale window (counted
    from the day it was queued; `must_deliver` and `stale_after_days` from the
    catalogue), go; check-ins and reminders go if held at most 7 days, replies if
    held at most 24 hours, staff messages always. The rest is closed (`cancelled`,
    with the reason), counted in the log, not sent. Returns how many were released.
    """
    rows = (await session.execute(
        select(Outbox.id, Outbox.kind, Outbox.dedupe_key, Outbox.created_at, Outbox.staff_id)
        .where(Outbox.channel == identity.channel, Outbox.address == identity.address,
               Outbox.status == "held")
        .order_by(Outbox.created_at, Outbox.id))).all()
    if not rows:
        return 0
    catalogue = tips_by_key()
    latest_tip = max((r.id for r in rows if r.kind == "tip" and r.staff_id is None), default=None)
    release: list[int] = []
    closed: dict[str, list[int]] = {}
    for row in rows:
        age = now - row.created_at
        reason: str | None = None
        if row.staff_id is not None:
            pass
        elif row.kind == "tip":
            tip = catalogue.get(tip_key(row.dedupe_key) or "")
            stale = tip is not None and age > timedelta(days=tip.stale_after_days)
            if stale:
                reason = "held past its stale window"
            elif row.id != latest_tip and not (tip is not None and tip.must_deliver):
                reason = "held, superseded by a later tip"
        elif row.kind == "reply":
            if age > timedelta(hours=HELD_REPLY_HOURS):
                reason = "held reply older than a day"
        elif age > timedelta(days=HELD_REMINDER_DAYS):
            reason = "held longer than a week"
        if reason is None:
            release.append(row.id)
        else:
            closed.setdefault(reason, []).append(row.id)
    if release:
        await session.execute(
            update(Outbox).where(Outbox.id.in_(release), Outbox.status == "held")
            # error_code cleared: a 63016 left on the row would make the sender treat her
            # window as shut although she has just written
            .values(status="pending", not_before=now + timedelta(seconds=5), lease_until=None,
                    error_code=None)
            .execution_options(synchronize_session=False))
    for reason, ids in closed.items():
        await session.execute(
            update(Outbox).where(Outbox.id.in_(ids), Outbox.status == "held")
            .values(status="cancelled", error=reason, lease_until=None)
            .execution_options(synchronize_session=False))
    if closed:
        log.info("held messages closed, not sent", extra={
            "released": len(release), "closed": sum(len(ids) for ids in closed.values())})
    return len(release)
