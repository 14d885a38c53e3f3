"""Cases: a mother's problem routed to a person until it is resolved.

A case is opened with her label, urgency, words and her child's age. She gets the
first guidance for the label and is told who will contact her and when; her cadre
is alerted (an urgent case alerts the health worker too, day or night; others
wait for the end of quiet hours). A case nobody takes before its deadline climbs
the chain: her cadre, the backup cadre of her posyandu, the health worker. Once a
staff member takes it, the case is a two-way thread relayed through the bot until
it is resolved; a day later she is asked whether it is better.

Everything here writes to the caller's session; the caller commits. Nothing logs
a phone number, an address or a message text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, inspect, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Case,
    CaseEvent,
    Consent,
    Conversation,
    Identity,
    Mother,
    Outbox,
    Reminder,
    Staff,
)
from flows import places
from flows.context import IDLE, Ctx
from flows.describe import say_age
from flows.journey import journey_point
from flows.outbox import enqueue, numbered, preferred_identity
from flows.quiet import add_daytime_minutes, daytime_from
from flows.steps import step
from flows.triage import URGENT_LABELS
from flows.types import Choice, FlowConfig
from messages.texts import has
from messages.texts import text as ui_text

log = logging.getLogger(__name__)

FLOW = "case"
LEVEL_CADRE, LEVEL_BACKUP, LEVEL_HEALTH_WORKER = 0, 1, 2
OPEN, TAKEN, RESOLVED = "open", "taken", "resolved"
# a mother who consented and wrote a danger sign before finishing registration: her
# record exists so that her case, its alerts and the relay have someone to hang off;
# the planner, reminders and reports only ever read `active` mothers
REGISTERING = "registering"
UNRESOLVED = (OPEN, TAKEN)
FOLLOWUP_KIND = "case_followup"
FOLLOWUP_AFTER = timedelta(days=1)
MAX_QUOTE = 600  # characters of her message quoted in an alert
BATCH = 200
# events that make a staff member one of the people a case was given to
_INVOLVED = ("alerted", "escalated", "taken", "handed_over")
PASSED_ON = "passed_on"  # the one who handed a case over: she may no longer act on it
_FOOTNOTES = ("cadre.registering_note",)
# notes that say the case is not new: a reopened case is not "Kasus baru" again
_AGAIN = ("cadre.reopened_note", "cadre.reopened_note_words")
_TITLE = re.compile(r"^(bu|ibu|bidan|bd\.?|pak|kak|dr\.?|mbak|ners)\s", re.IGNORECASE)


# --- time ----------------------------------------------------------------------------


def zone_of(staff: Staff | None, mother: Mother, config: FlowConfig) -> ZoneInfo:
    """Whose night counts for a case's alerts and daytime deadlines: the person alerted.

    A staff member's own zone when her record holds one; else the mother's, whose
    posyandu her cadre serves (a WITA mother has a WITA cadre); else the puskesmas's.
    """
    own = getattr(staff, "tz", None) if staff is not None else None
    return ZoneInfo(str(own or mother.tz or config.timezone))


def deadline_for(urgent: bool, now: datetime, config: FlowConfig, zone: ZoneInfo) -> datetime:
    """When a case given to someone now must have been taken (daytime on her clock)."""
    if urgent:
        return now + timedelta(minutes=config.sla_urgent_minutes)
    return add_daytime_minutes(now, config.sla_normal_minutes, zone,
                               config.quiet_start, config.quiet_end)


def alert_time(urgent: bool, now: datetime, config: FlowConfig, zone: ZoneInfo) -> datetime:
    """When an alert may reach a staff member: at once if urgent, else in her daytime."""
    if urgent:
        return now
    return daytime_from(now, zone, config.quiet_start, config.quiet_end)


# --- people --------------------------------------------------------------------------


def title(staff: Staff, lang: str) -> str:
    """How a mother hears a staff member named: `Bu Sari`, `Bidan Rina`."""
    if _TITLE.match(staff.name):
        return staff.name
    role = staff.role if staff.role in ("cadre", "midwife", "nutritionist") else "cadre"
    return ui_text(f"cases.title.{role}", lang, name=staff.name)


def label_name(label: str, lang: str) -> str:
    """The words for a triage label (`lecet puting`)."""
    key = f"cases.label.{label}"
    return ui_text(key if has(key) else "cases.label.question", lang)


def child_age(mother: Mother, now: datetime, lang: str) -> str:
    """Her child's age (or her pregnancy week) today, for a staff member's list."""
    return _age(mother, now, lang)


def _age(mother: Mother, now: datetime, lang: str) -> str:
    try:
        point = journey_point(mother, now.astimezone(ZoneInfo(mother.tz)).date())
    except AssertionError:  # no date known
        return "-"
    return say_age(point, lang)


def shown_name(mother: Mother, lang: str) -> str:
    """Her name as staff read it (a mother still registering may not have given one)."""
    return mother.name or ui_text("cases.no_name_yet", lang)


async def registering_record(session: AsyncSession, identity: Identity) -> Mother | None:
    """The record made for her mid-registration, when there is one."""
    if identity.mother_id is None:
        return None
    found = await session.get(Mother, identity.mother_id)
    return found if found is not None and found.status == REGISTERING else None


async def early_record(ctx: Ctx) -> Mother:
    """Her record from what she has told so far (she consented, registration is not done).

    Created once; the final save of registration fills it in (`complete_record`).
    """
    found = await registering_record(ctx.session, ctx.identity)
    data = ctx.data
    stage = "postnatal" if data.get("stage") == "postnatal" else "pregnant"
    anchor = date.fromisoformat(str(data["anchor"])) if data.get("anchor") else None
    cadre_id = data.get("cadre_id")
    cadre = await ctx.session.get(Staff, int(str(cadre_id))) if cadre_id else None
    mother = found or Mother(status=REGISTERING, tip_hour=ctx.config.default_tip_hour,
                             tips_from_day=-1000, unreachable=False, failure_days=[],
                             created_at=ctx.now)
    mother.name = str(data.get("name") or "")
    mother.lang, mother.tz, mother.stage = ctx.lang, ctx.config.timezone, stage
    mother.due_date = anchor if stage == "pregnant" else None
    mother.birth_date = anchor if stage == "postnatal" else None
    mother.cadre_id = cadre.id if cadre else None
    mother.posyandu_id = cadre.posyandu_id if cadre else None
    mother.last_inbound_at = ctx.now
    if found is None:
        ctx.session.add(mother)
        await ctx.session.flush()
        ctx.identity.mother_id = mother.id
        consent = await ctx.session.get(Consent, data.get("consent_id"))
        if consent is not None:
            consent.mother_id = mother.id
    return mother


async def complete_record(ctx: Ctx, mother: Mother) -> Mother:
    """At the end of registration: the record made early (if any) takes her answers."""
    early = await registering_record(ctx.session, ctx.identity)
    if early is None:
        return mother
    for column in inspect(Mother).column_attrs:
        if column.key not in ("id", "created_at"):
            setattr(early, column.key, getattr(mother, column.key))
    return early


async def cadre_of(session: AsyncSession, mother: Mother) -> Staff | None:
    """Her assigned cadre, when she has one who is still active."""
    if mother.cadre_id is None:
        return None
    cadre = await session.get(Staff, mother.cadre_id)
    return cadre if cadre is not None and cadre.active else None


async def health_workers(session: AsyncSession, exclude: Sequence[int] = ()) -> list[Staff]:
    """Active midwives and nutritionists, midwives first."""
    query = select(Staff).where(
        Staff.active.is_(True), Staff.role.in_(("midwife", "nutritionist"))
    )
    if exclude:
        query = query.where(Staff.id.not_in(list(exclude)))
    found = (await session.scalars(query.order_by(Staff.id))).unique().all()
    return sorted(found, key=lambda s: (s.role != "midwife", s.id))


async def backup_cadre(
    session: AsyncSession, mother: Mother, exclude: Sequence[int]
) -> Staff | None:
    """The backup cadre of her posyandu (someone other than those already asked)."""
    posyandu_id = mother.posyandu_id
    if posyandu_id is None and mother.cadre_id is not None:
        cadre = await session.get(Staff, mother.cadre_id)
        posyandu_id = cadre.posyandu_id if cadre else None
    if posyandu_id is None:
        return None
    query = select(Staff).where(
        Staff.active.is_(True), Staff.is_backup.is_(True), Staff.role == "cadre",
        Staff.posyandu_id == posyandu_id,
    )
    if exclude:
        query = query.where(Staff.id.not_in(list(exclude)))
    return (await session.scalars(query.order_by(Staff.id).limit(1))).first()


async def involved_ids(session: AsyncSession, case_id: int) -> list[int]:
    """Staff a case was given to so far (alerted, escalated to, taken, handed over)."""
    rows = await session.scalars(
        select(CaseEvent.staff_id).where(
            CaseEvent.case_id == case_id, CaseEvent.kind.in_(_INVOLVED),
            CaseEvent.staff_id.is_not(None),
        )
    )
    return sorted({sid for sid in rows if sid is not None})


async def may_act(session: AsyncSession, staff: Staff, case: Case) -> bool:
    """Only whoever holds a case now, and whoever it climbed to, acts on it.

    Someone who handed it over (SERAHKAN) is out of it from then on, unless it comes
    back to her (a reopened case alerts her cadre again).
    """
    if case.assignee_id == staff.id:
        return True
    latest = await session.scalar(
        select(CaseEvent.kind)
        .where(CaseEvent.case_id == case.id, CaseEvent.staff_id == staff.id,
               CaseEvent.kind.in_((*_INVOLVED, PASSED_ON)))
        .order_by(CaseEvent.id.desc()).limit(1)
    )
    return latest is not None and latest != PASSED_ON


async def passed_on_by(session: AsyncSession, staff: Staff, case: Case) -> bool:
    """She handed this case over herself (so she is told kindly, not `not found`)."""
    found = await session.scalar(select(exists().where(
        CaseEvent.case_id == case.id, CaseEvent.staff_id == staff.id,
        CaseEvent.kind == PASSED_ON)))
    return bool(found)


def event(session: AsyncSession, case: Case, kind: str, at: datetime,
          staff: Staff | None = None, note: str | None = None) -> None:
    """Record one step of a case."""
    session.add(CaseEvent(case_id=case.id, kind=kind, staff_id=staff.id if staff else None,
                          note=note[:200] if note else None, at=at))


# --- alerts --------------------------------------------------------------------------


async def conversation_of(
    session: AsyncSession, identity: Identity, now: datetime
) -> Conversation:
    """The conversation of an address (created when its owner never wrote)."""
    found = (
        await session.scalars(select(Conversation).where(Conversation.identity_id == identity.id))
    ).first()
    if found is None:
        found = Conversation(identity_id=identity.id, flow=IDLE[0], step=IDLE[1], data={},
                             misses=0, updated_at=now)
        session.add(found)
    return found


# what an alert offers, and the command each choice is (the cadre parser reads these)
ALERT_ACTIONS = ("take", "reply", "resolve", "handover")
COMMAND_WORDS = {"take": "AMBIL", "reply": "BALAS", "resolve": "SELESAI", "handover": "SERAHKAN"}
# channels whose choices are buttons carrying their key: there a choice names its case
BUTTON_CHANNELS = ("telegram",)


def alert_options(case: Case, mother: Mother, staff: Staff) -> list[tuple[str, str]]:
    """The choices under an alert: take it, reply to her, resolve it, hand it over."""
    lang = staff.lang
    handover = "cadre.option.handover" if not staff.is_health_worker else "cadre.option.pass_on"
    return [
        ("take", ui_text("cadre.option.take", lang)),
        ("reply", ui_text("cadre.option.reply", lang, name=shown_name(mother, lang))),
        ("resolve", ui_text("cadre.option.resolve", lang)),
        ("handover", ui_text(handover, lang)),
    ]


def alert_choices(case: Case, options: Sequence[tuple[str, str]], channel: str) -> list[Choice]:
    """On a button channel each choice is its command (`AMBIL 12`), so a press of an old
    alert's button acts on that alert's case; elsewhere the numbers she types."""
    if channel not in BUTTON_CHANNELS:
        return numbered([label for _, label in options])
    return [Choice(f"{COMMAND_WORDS[action]} {case.id}", label) for action, label in options]


def quoted(words: str) -> str:
    """Her words as an alert quotes them: cut at MAX_QUOTE characters."""
    return words if len(words) <= MAX_QUOTE else words[: MAX_QUOTE - 1] + "…"


def alert_text(case: Case, mother: Mother, staff: Staff, now: datetime, config: FlowConfig,
               *, note_key: str | None = None, note_values: dict[str, object] | None = None,
               ) -> str:
    """What a staff member needs to act: the label, her name, the child's age, her words."""
    lang = staff.lang
    quote = quoted(case.text)
    key = "cadre.alert_urgent" if case.urgent else "cadre.alert"
    if case.label == "message" and not case.urgent:  # her words for her cadre, not a problem
        key = "cadre.alert_message"
    if case.label == "loss" and not case.urgent:  # sad news: how to reach out, not a warning
        key = "cadre.alert_loss"
    if key == "cadre.alert" and note_key in _AGAIN:
        key = "cadre.alert_again"
    body = ui_text(key, lang, case=case.id, label=label_name(case.label, lang),
                   name=shown_name(mother, lang),
                   age=_age(mother, now, lang), message=quote,
                   puskesmas=places.puskesmas(config, lang),
                   emergency=places.emergency(config, lang))
    if note_key is not None:
        note = ui_text(note_key, lang, **(note_values or {}))
        # what a step back says comes first; how to reach a mother still registering, last
        body = body + "\n" + note if note_key in _FOOTNOTES else note + "\n" + body
    return body


async def alert(
    session: AsyncSession, staff: Staff, case: Case, mother: Mother, now: datetime,
    config: FlowConfig, *, ctx: Ctx | None = None, kind: str = "alerted",
    note_key: str | None = None, note_values: dict[str, object] | None = None,
) -> Outbox | None:
    """Alert one staff member about a case on her own channel, with its choices.

    The choices are remembered in her conversation, without a case: a typed `1` takes the
    one case waiting for her, or she is asked which (flows/cadre.py); a button names it.
    """
    identity = await preferred_identity(session, staff=staff)
    if identity is None:
        log.warning("staff member has no address", extra={"staff_id": staff.id})
        event(session, case, "unreachable", now, staff)
        return None
    options = alert_options(case, mother, staff)
    body = alert_text(case, mother, staff, now, config, note_key=note_key,
                      note_values=note_values)
    when = alert_time(case.urgent, now, config, zone_of(staff, mother, config))
    row = enqueue(session, channel=identity.channel, address=identity.address, text=body,
                  now=now, choices=alert_choices(case, options, identity.channel), kind="alert",
                  staff_id=staff.id, case_id=case.id, not_before=when,
                  in_reply_to=ctx.inbound_id if ctx is not None else None)
    if ctx is not None:
        ctx.sent.append(row)
    conversation = (
        ctx.conversation if ctx is not None and ctx.identity.id == identity.id
        else await conversation_of(session, identity, now)
    )
    conversation.data = {**(conversation.data or {}),
                         "_options": [list(option) for option in options]}
    event(session, case, kind, now, staff)
    return row


# --- opening a case ------------------------------------------------------------------


def guidance(label: str, lang: str, config: FlowConfig, self_harm: bool = False) -> str:
    """The first answer for a label, in her language (DOMAIN.md (c))."""
    key = f"guidance.{label}"
    if label == "danger_mother" and self_harm:
        key = "guidance.danger_mother_selfharm"
    if not has(key):
        key = "guidance.question"
    return ui_text(key, lang, puskesmas=places.puskesmas(config, lang),
                   emergency=places.emergency(config, lang))


def say_when(deadline: datetime, now: datetime, zone: ZoneInfo, lang: str) -> str:
    """`sebelum jam 12.00`, `besok sebelum jam 08.00` on her clock."""
    local, today = deadline.astimezone(zone), now.astimezone(zone).date()
    # a deadline on the hour reads as that hour; otherwise round up to the next quarter
    minute = -(-local.minute // 15) * 15 if local.second == 0 else -(-(local.minute + 1) // 15) * 15
    rounded = local.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=minute)
    time = rounded.strftime("%H.%M")
    if rounded.date() == today:
        return ui_text("cases.when_today", lang, time=time)
    if rounded.date() == today + timedelta(days=1):
        return ui_text("cases.when_tomorrow", lang, time=time)
    from flows.describe import say_date  # noqa: PLC0415

    return ui_text("cases.when_date", lang, time=time, date=say_date(rounded.date(), lang))


async def open_case(
    ctx: Ctx, *, label: str, urgent: bool, text: str, self_harm: bool = False,
    mother: Mother | None = None,
) -> Case:
    """Open a case: her first answer, who contacts her and when, the alerts, the deadline.

    `mother` is her record made mid-registration (`early_record`); else `ctx.mother`.
    """
    mother = mother or ctx.mother
    assert mother is not None
    now, config = ctx.now, ctx.config
    urgent = urgent or label in URGENT_LABELS
    existing = None if urgent else await _unresolved_same_label(ctx.session, mother, label)
    if existing is not None:
        await add_to_case(ctx, existing, text)
        return existing
    point_day: int | None = None
    if mother.stage == "postnatal" and mother.birth_date is not None:
        point_day = (now.astimezone(ZoneInfo(mother.tz)).date() - mother.birth_date).days
    case = Case(mother_id=mother.id, label=label, urgent=urgent, text=text,
                child_age_days=point_day, status=OPEN, level=LEVEL_CADRE, opened_at=now)
    ctx.session.add(case)
    await ctx.session.flush()
    event(ctx.session, case, "opened", now, note=label)
    log.info("case opened", extra={"case_id": case.id, "label": label, "urgent": urgent})
    cadre = await cadre_of(ctx.session, mother)
    alerted: list[Staff] = []
    if cadre is not None:
        case.assignee_id, case.level = cadre.id, LEVEL_CADRE
        alerted.append(cadre)
    workers = await health_workers(ctx.session)
    if cadre is None and workers:
        case.assignee_id, case.level = workers[0].id, LEVEL_HEALTH_WORKER
        alerted.append(workers[0])
    elif urgent and workers:
        alerted.append(workers[0])  # the health worker hears of an urgent case at once
    registering = mother.status == REGISTERING
    for staff in alerted:
        await alert(ctx.session, staff, case, mother, now, config, ctx=ctx,
                    note_key="cadre.registering_note" if registering else None,
                    note_values={"case": case.id})
    holder = alerted[0] if alerted else None
    case.deadline_at = (deadline_for(urgent, now, config, zone_of(holder, mother, config))
                        if case.assignee_id else None)
    answer = guidance(label, ctx.lang, config, self_harm)
    ctx.say_text(answer + "\n\n" + who_and_when(ctx, case, alerted))
    return case


def who_and_when(ctx: Ctx, case: Case, alerted: Sequence[Staff]) -> str:
    """The sentence that tells her who will contact her, and by when."""
    lang = ctx.lang
    if not alerted:
        return ctx.t("cases.who_nobody", puskesmas=places.puskesmas(ctx.config, lang))
    names = [title(s, lang) for s in alerted]
    if case.urgent:
        if len(names) == 1:
            return ctx.t("cases.who_urgent_one", staff=names[0])
        return ctx.t("cases.who_urgent", staff=", ".join(names[:-1]), last=names[-1])
    assert case.deadline_at is not None
    when = say_when(case.deadline_at, ctx.now, ctx.zone, lang)
    if case.label == "loss":
        return ctx.t("cases.who_loss", staff=names[0])
    mother = ctx.mother
    zone = zone_of(alerted[0], mother, ctx.config) if mother is not None else ctx.zone
    if alert_time(False, ctx.now, ctx.config, zone) > ctx.now:
        return ctx.t("cases.who_morning", staff=names[0], when=when)
    return ctx.t("cases.who_when", staff=names[0], when=when)


async def _unresolved_same_label(session: AsyncSession, mother: Mother, label: str) -> Case | None:
    query = select(Case).where(Case.mother_id == mother.id, Case.label == label,
                               Case.status.in_(UNRESOLVED)).order_by(Case.id.desc()).limit(1)
    return (await session.scalars(query)).first()


async def latest_unresolved(session: AsyncSession, mother: Mother) -> Case | None:
    """Her newest case nobody has resolved yet."""
    query = select(Case).where(Case.mother_id == mother.id, Case.status.in_(UNRESOLVED))
    return (await session.scalars(query.order_by(Case.id.desc()).limit(1))).first()


async def add_to_case(ctx: Ctx, case: Case, text: str) -> None:
    """She wrote again about a problem already open: her words go to whoever has it."""
    assert ctx.mother is not None
    staff = await ctx.session.get(Staff, case.assignee_id) if case.assignee_id else None
    if staff is not None:
        row = await ctx.tell_staff(staff, ui_text("cadre.from_mother", staff.lang,
                                                  name=shown_name(ctx.mother, staff.lang),
                                                  case=case.id, message=text),
                                   kind="relay", case_id=case.id)
        if row is not None:
            row.not_before = alert_time(case.urgent, ctx.now, ctx.config,
                                    zone_of(staff, ctx.mother, ctx.config))
        event(ctx.session, case, "added", ctx.now, staff)
        ctx.say("cases.added", staff=title(staff, ctx.lang))
    else:
        event(ctx.session, case, "added", ctx.now)
        ctx.say("cases.added_nobody")


# --- the thread ------------------------------------------------------------------------


async def relay_from_mother(ctx: Ctx, text: str) -> bool:
    """Pass her message to the staff member who took her case; False when none has."""
    if ctx.mother is None:
        return False
    query = select(Case).where(Case.mother_id == ctx.mother.id, Case.status == TAKEN,
                               Case.assignee_id.is_not(None))
    case = (await ctx.session.scalars(query.order_by(Case.taken_at.desc(), Case.id.desc()))).first()
    if case is None:
        return False
    staff = await ctx.session.get(Staff, case.assignee_id)
    if staff is None or not staff.active:
        return False
    row = await ctx.tell_staff(
        staff,
        ui_text("cadre.from_mother", staff.lang, name=shown_name(ctx.mother, staff.lang),
                case=case.id, message=text),
        kind="relay", case_id=case.id,
    )
    if row is None:
        return False
    row.not_before = alert_time(case.urgent, ctx.now, ctx.config,
                                    zone_of(staff, ctx.mother, ctx.config))  # no pings at night
    event(ctx.session, case, "relayed_to_staff", ctx.now, staff)
    return True


async def pass_on_media(ctx: Ctx) -> bool:
    """She sent a photo or voice note during a case: tell whoever has it (we can't forward it)."""
    if ctx.mother is None:
        return False
    case = await latest_unresolved(ctx.session, ctx.mother)
    if case is None or case.assignee_id is None:
        return False
    staff = await ctx.session.get(Staff, case.assignee_id)
    if staff is None:
        return False
    media = ctx.inbound.media or "file"
    kind_key = f"cases.media.{media}" if has(f"cases.media.{media}") else "cases.media.file"
    row = await ctx.tell_staff(staff, ui_text("cadre.mother_sent_media", staff.lang,
                                              name=shown_name(ctx.mother, staff.lang), case=case.id,
                                              media=ui_text(kind_key, staff.lang)),
                               kind="relay", case_id=case.id)
    if row is not None:
        row.not_before = alert_time(case.urgent, ctx.now, ctx.config,
                                    zone_of(staff, ctx.mother, ctx.config))
    event(ctx.session, case, "media", ctx.now, staff, note=media)
    return True


# --- taking, replying, resolving, handing over (the cadre's side) -----------------------


async def take(ctx: Ctx, staff: Staff, case: Case, mother: Mother) -> bool:
    """She takes the case: the thread opens. False when someone else got there first."""
    if case.status == TAKEN and case.assignee_id == staff.id:
        return True
    claimed = await ctx.session.execute(
        update(Case)
        .where(Case.id == case.id, Case.status == OPEN)
        .values(status=TAKEN, assignee_id=staff.id, taken_at=ctx.now, deadline_at=None)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return False
    await ctx.session.refresh(case)
    event(ctx.session, case, "taken", ctx.now, staff)
    await ctx.tell_mother(mother, ui_text("cases.thread_open", mother.lang,
                                          staff=title(staff, mother.lang)),
                          kind="relay", case_id=case.id)
    for other_id in await involved_ids(ctx.session, case.id):
        other = await ctx.session.get(Staff, other_id) if other_id != staff.id else None
        if other is not None:
            await ctx.tell_staff(other, ui_text("cadre.taken_by_other", other.lang, case=case.id,
                                                name=shown_name(mother, other.lang),
                                                staff=title(staff, other.lang)),
                                 kind="reply", case_id=case.id)
    return True


async def relay_to_mother(ctx: Ctx, staff: Staff, case: Case, mother: Mother, text: str) -> None:
    """A staff member's words reach the mother through the bot: `Bu Sari: ...`."""
    await ctx.tell_mother(mother, ui_text("cases.relay", mother.lang,
                                          staff=title(staff, mother.lang), message=text),
                          kind="relay", case_id=case.id)
    event(ctx.session, case, "relayed_to_mother", ctx.now, staff)


async def resolve(ctx: Ctx, staff: Staff, case: Case, mother: Mother, outcome: str | None) -> None:
    """Close the case and the thread; tomorrow she is asked whether it is better."""
    case.status, case.resolved_at, case.deadline_at = RESOLVED, ctx.now, None
    case.outcome = outcome[:200] if outcome else None
    event(ctx.session, case, "resolved", ctx.now, staff, note=case.outcome)
    await ctx.tell_mother(mother, ui_text("cases.thread_closed", mother.lang,
                                          staff=title(staff, mother.lang)),
                          kind="relay", case_id=case.id)
    if case.label not in ("loss", "message"):  # a message is not a problem to ask after
        ctx.session.add(Reminder(
            mother_id=mother.id, kind=FOLLOWUP_KIND, due_at=ctx.now + FOLLOWUP_AFTER,
            payload={"case_id": case.id},
            dedupe_key=f"{FOLLOWUP_KIND}:{case.id}:{int(ctx.now.timestamp())}",
        ))


async def hand_over(ctx: Ctx, staff: Staff, case: Case, mother: Mother) -> Staff | None:
    """Pass the case to a health worker (another one, when a health worker hands over)."""
    workers = await health_workers(ctx.session, exclude=[staff.id])
    if not workers:
        return None
    target = workers[0]
    case.status, case.assignee_id, case.level = OPEN, target.id, LEVEL_HEALTH_WORKER
    case.taken_at = None
    case.deadline_at = deadline_for(case.urgent, ctx.now, ctx.config,
                                    zone_of(target, mother, ctx.config))
    event(ctx.session, case, PASSED_ON, ctx.now, staff)
    event(ctx.session, case, "handed_over", ctx.now, target, note=f"from staff {staff.id}")
    await alert(ctx.session, target, case, mother, ctx.now, ctx.config, ctx=ctx, kind="alerted",
                note_key="cadre.handed_over_note",
                note_values={"staff": title(staff, target.lang)})
    await ctx.tell_mother(mother, ui_text("cases.handed_over", mother.lang,
                                          staff=title(target, mother.lang)),
                          kind="relay", case_id=case.id)
    return target


# --- escalation (called by the scheduler) ----------------------------------------------


async def _next_in_chain(
    session: AsyncSession, case: Case, mother: Mother
) -> tuple[Staff | None, int]:
    asked = await involved_ids(session, case.id)
    if case.assignee_id is not None and case.assignee_id not in asked:
        asked.append(case.assignee_id)
    if case.level < LEVEL_BACKUP:
        backup = await backup_cadre(session, mother, exclude=asked)
        if backup is not None:
            return backup, LEVEL_BACKUP
    if case.level < LEVEL_HEALTH_WORKER:
        workers = await health_workers(session, exclude=[case.assignee_id or 0])
        if workers:
            return workers[0], LEVEL_HEALTH_WORKER
    others = await health_workers(session, exclude=asked)
    if others:
        return others[0], LEVEL_HEALTH_WORKER
    return None, case.level


async def escalate_overdue(session: AsyncSession, now: datetime, config: FlowConfig) -> int:
    """Move every case nobody took in time to the next person in its chain.

    Each case is claimed with a conditional UPDATE on its old deadline, so two
    workers running this at once escalate a case once. Returns how many moved.
    """
    overdue = (
        await session.execute(
            select(Case.id, Case.deadline_at)
            .where(Case.status == OPEN, Case.deadline_at.is_not(None), Case.deadline_at <= now)
            .order_by(Case.deadline_at)
            .limit(BATCH)
        )
    ).all()
    moved = 0
    for case_id, old_deadline in overdue:
        case = await session.get(Case, case_id)
        mother = await session.get(Mother, case.mother_id) if case else None
        if case is None or mother is None:
            continue
        previous = await session.get(Staff, case.assignee_id) if case.assignee_id else None
        target, level = await _next_in_chain(session, case, mother)
        deadline = (deadline_for(case.urgent, now, config, zone_of(target, mother, config))
                    if target is not None else None)
        claimed = await session.execute(
            update(Case)
            .where(Case.id == case_id, Case.status == OPEN, Case.deadline_at == old_deadline)
            .values(deadline_at=deadline, assignee_id=target.id if target else case.assignee_id,
                    level=level)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            continue  # another worker moved it, or someone took it meanwhile
        await session.refresh(case)
        if target is None:
            event(session, case, "chain_end", now, note="nobody left to ask")
            log.warning("case unanswered at the end of its chain", extra={"case_id": case_id})
            continue
        previous_name = title(previous, target.lang) if previous else "-"
        await alert(session, target, case, mother, now, config, kind="escalated",
                    note_key="cadre.escalated_note", note_values={"staff": previous_name})
        log.info("case escalated", extra={"case_id": case_id, "level": level})
        moved += 1
    await session.flush()
    return moved


async def alert_failed(session: AsyncSession, outbox_id: int, now: datetime) -> bool:
    """An alert that could not reach its staff member (she blocked the bot, a wrong number,
    no template outside her window): her case moves on at the next escalation beat
    instead of waiting out a deadline nobody can meet. True if a case was moved."""
    found = (await session.execute(
        select(Outbox.case_id, Outbox.staff_id)
        .where(Outbox.id == outbox_id, Outbox.kind == "alert"))).first()
    if found is None or found.case_id is None or found.staff_id is None:
        return False
    moved = await session.execute(
        update(Case)
        .where(Case.id == found.case_id, Case.status == OPEN,
               Case.assignee_id == found.staff_id, Case.deadline_at > now)
        .values(deadline_at=now)
        .execution_options(synchronize_session=False))
    if getattr(moved, "rowcount", 0) != 1:
        return False  # taken, resolved, moved on already, or the alert was not the assignee's
    session.add(CaseEvent(case_id=found.case_id, kind="alert_failed", staff_id=found.staff_id,
                          at=now))
    log.warning("case alert undeliverable: escalating now", extra={"case_id": found.case_id})
    return True


# --- follow-up (called by the scheduler) -------------------------------------------------


def followup_text(label: str, lang: str) -> str:
    """The day-after question, in words that fit her problem (`bagaimana lecetnya hari ini?`)."""
    key = f"cases.followup.{label}"
    if has(key):
        return ui_text(key, lang)
    return ui_text("cases.followup_question", lang, problem=label_name(label, lang))


def followup_options(lang: str) -> list[tuple[str, str]]:
    return [("better", ui_text("cases.followup_choice.better", lang)),
            ("not_better", ui_text("cases.followup_choice.not_better", lang))]


async def send_followups(session: AsyncSession, now: datetime, config: FlowConfig) -> int:
    """Ask each mother whose case was resolved a day ago whether it is better."""
    due = (
        await session.scalars(
            select(Reminder.id)
            .where(Reminder.kind == FOLLOWUP_KIND, Reminder.done_at.is_(None),
                   Reminder.due_at <= now)
            .order_by(Reminder.due_at)
            .limit(BATCH)
        )
    ).all()
    asked = 0
    for reminder_id in due:
        claimed = await session.execute(
            update(Reminder).where(Reminder.id == reminder_id, Reminder.done_at.is_(None))
            .values(done_at=now).execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            continue
        reminder = await session.get(Reminder, reminder_id)
        assert reminder is not None
        case = await session.get(Case, int((reminder.payload or {}).get("case_id", 0)))
        mother = await session.get(Mother, reminder.mother_id)
        if case is None or mother is None or case.status != RESOLVED or mother.status != "active":
            continue
        identity = await preferred_identity(session, mother=mother)
        if identity is None:
            continue
        options = followup_options(mother.lang)
        conversation = await conversation_of(session, identity, now)
        conversation.flow, conversation.step, conversation.misses = FLOW, "followup", 0
        conversation.data = {**(conversation.data or {}), "followup_case": case.id,
                             "_options": [list(option) for option in options]}
        body = followup_text(case.label, mother.lang)
        enqueue(session, channel=identity.channel, address=identity.address, text=body, now=now,
                choices=numbered([label for _, label in options]), kind="reminder",
                mother_id=mother.id, case_id=case.id, dedupe_key=f"{FOLLOWUP_KIND}:{reminder_id}",
                not_before=daytime_from(now, ZoneInfo(mother.tz), config.quiet_start,
                                        config.quiet_end))
        event(session, case, "followup_asked", now)
        asked += 1
    await session.flush()
    return asked


async def ask_followup(ctx: Ctx) -> None:
    """Asked again after a miss (the first question is sent by `send_followups`)."""
    case = await _followup_case(ctx)
    ctx.say_text(followup_text(case.label if case else "question", ctx.lang),
                 options=followup_options(ctx.lang))


async def _followup_case(ctx: Ctx) -> Case | None:
    case_id = ctx.data.get("followup_case")
    return await ctx.session.get(Case, int(str(case_id))) if case_id else None


_NOT_BETTER = re.compile(
    r"\b(belum|blm|blum|tidak|tdk|gak|ga|nggak|enggak|masih|makin|tambah|not|worse|still|no)\b",
    re.IGNORECASE,
)
_BETTER = re.compile(
    r"\b(sudah|udah|udh|sdh|dah|membaik|baik|better|sembuh|alhamdulillah|ya|iya|yes|good)\b",
    re.IGNORECASE,
)


@step(FLOW, "followup", ask_followup, her_words=True)
async def answer_followup(ctx: Ctx, reply: str) -> None:
    """`1`/`sudah membaik` closes the loop; `2`/`belum` reopens her case."""
    from flows.choices import match_choice  # noqa: PLC0415

    number = re.fullmatch(r"\s*\d{1,2}\s*[.)]?\s*", reply)
    picked = match_choice(reply, ctx.options) if number \
        else ("not_better" if _NOT_BETTER.search(reply)
              else "better" if _BETTER.search(reply) else None)
    case = await _followup_case(ctx)
    if case is None:
        ctx.idle()
        return
    if picked is None:
        from flows import problem  # noqa: PLC0415  (problem imports cases)
        from flows.triage import classify  # noqa: PLC0415

        result = classify(reply)
        if result.label == "none":
            await ctx.reprompt("cases.followup_reprompt")
            return
        ctx.forget("followup_case")
        await problem.report(ctx, reply, result)  # she answered with a (new) problem
        return
    ctx.forget("followup_case")
    ctx.idle()
    if picked == "better":
        event(ctx.session, case, "followup_better", ctx.now)
        ctx.say("cases.followup_glad")
        return
    event(ctx.session, case, "followup_not_better", ctx.now)
    await reopen(ctx, case, None if number else reply.strip())


async def reopen(ctx: Ctx, case: Case, words: str | None = None) -> None:
    """It is not better: the case opens again with her cadre and the chain starts over.
    Her words (`belum, masih perih`) go into the alert, quoted."""
    assert ctx.mother is not None
    mother = ctx.mother
    case.status, case.resolved_at, case.taken_at = OPEN, None, None
    cadre = await cadre_of(ctx.session, mother)
    alerted: list[Staff] = []
    if cadre is not None:
        case.assignee_id, case.level = cadre.id, LEVEL_CADRE
        alerted.append(cadre)
    else:
        workers = await health_workers(ctx.session)
        if workers:
            case.assignee_id, case.level = workers[0].id, LEVEL_HEALTH_WORKER
            alerted.append(workers[0])
    case.deadline_at = (deadline_for(case.urgent, ctx.now, ctx.config,
                                     zone_of(alerted[0], mother, ctx.config))
                        if alerted else None)
    event(ctx.session, case, "reopened", ctx.now)
    note_values: dict[str, object] | None = {"message": quoted(words)} if words else None
    note_key = "cadre.reopened_note_words" if words else "cadre.reopened_note"
    for staff in alerted:
        await alert(ctx.session, staff, case, mother, ctx.now, ctx.config, ctx=ctx,
                    note_key=note_key, note_values=note_values)
    ctx.say_text(ctx.t("cases.reopened") + "\n\n" + who_and_when(ctx, case, alerted))


# --- lists for the cadre ---------------------------------------------------------------


async def cases_of(session: AsyncSession, staff: Staff) -> list[tuple[Case, Mother]]:
    """Unresolved cases assigned to her, or alerted to her and still waiting."""
    given = select(CaseEvent.case_id).where(CaseEvent.staff_id == staff.id,
                                            CaseEvent.kind.in_(_INVOLVED))
    query = (
        select(Case, Mother)
        .join(Mother, Mother.id == Case.mother_id)
        .where(
            Case.status.in_(UNRESOLVED),
            or_(Case.assignee_id == staff.id,
                (Case.status == OPEN) & Case.id.in_(given)),
        )
        .order_by(Case.urgent.desc(), Case.opened_at)
        .limit(30)
    )
    found = (await session.execute(query)).unique().all()
    return [(case, mother) for case, mother in found if await may_act(session, staff, case)]
