"""Registration: consent first, then name, pregnancy or birth, cadre, tip hour.

Her language is the one she said yes in: the consent question offers the other one
(its third choice), so she is not asked again; the summary lets her change it.

Nothing she writes is kept before she says yes; a refusal is recorded without
her address and her number is forgotten.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from db.models import Consent, Mother, Staff
from flows.cases import complete_record
from flows.catalogue import tips_by_key
from flows.choices import labels, match_choice, says_any
from flows.context import MAX_MISSES, Ctx
from flows.dates import (
    is_estimate,
    parse_child_age,
    parse_date,
    parse_hour,
    parse_pregnancy_age,
)
from flows.describe import say_age, say_date
from flows.journey import MAX_CHILD_DAYS, point_for
from flows.outbox import adopt_replies
from flows.quiet import daytime_from, in_quiet_hours
from flows.reminders import plan_reminders
from flows.steps import step
from messages.texts import text as ui_text
from messages.welcome import welcome_key

FLOW = "onboarding"
LATEST_DUE_DAYS = 42 * 7  # a due date further away than 42 weeks cannot be right
OVERDUE_DAYS = 14
# a date we could not read at all is a miss; a readable but impossible one gets its own
# kind word and does not count toward the three misses
UNREADABLE = frozenset({"onboarding.due_reprompt", "onboarding.birth_reprompt"})


async def start(ctx: Ctx, invite_code: str | None = None) -> None:
    """Begin registration, remembering a cadre's invite code from a deep link."""
    if invite_code:
        cadre = await find_cadre(ctx, invite_code)
        if cadre is not None:
            ctx.remember(cadre_id=cadre.id)
    await ctx.goto(FLOW, "consent")


async def find_cadre(ctx: Ctx, code: str) -> Staff | None:
    """The active staff member whose invite code this is (any letter case)."""
    query = select(Staff).where(
        func.upper(Staff.invite_code) == code.strip().upper(), Staff.active.is_(True)
    )
    with ctx.session.no_autoflush:  # staff rows never wait in this session: nothing to write first
        return (await ctx.session.scalars(query)).first()


async def _cadre(ctx: Ctx) -> Staff | None:
    cadre_id = ctx.data.get("cadre_id")
    return await ctx.session.get(Staff, cadre_id) if cadre_id else None


async def date_problem(ctx: Ctx, key: str) -> None:
    """Re-prompt for a date: a miss only when we could not read it at all."""
    if key in UNREADABLE:
        await ctx.reprompt(key)
    else:
        ctx.say(key)


async def say_quiet_hours(ctx: Ctx) -> None:
    """An hour inside the quiet hours: when we do send (not a miss; she was clear)."""
    ctx.say("onboarding.hour_quiet", start=f"{ctx.config.quiet_end:02d}.00",
            end=f"{ctx.config.quiet_start:02d}.00")


# --- consent ---------------------------------------------------------------


async def ask_consent(ctx: Ctx) -> None:
    cadre = await _cadre(ctx)
    options = labels(["yes", "no", "other_lang"], ctx.lang, "onboarding.consent_choice")
    if cadre is not None:
        posyandu = cadre.posyandu.name if cadre.posyandu else ctx.config.puskesmas_name
        ctx.say("onboarding.consent_with_cadre", options=options,
                puskesmas=ctx.config.puskesmas_name, cadre=cadre.name, posyandu=posyandu)
    else:
        ctx.say("onboarding.consent", options=options, puskesmas=ctx.config.puskesmas_name)


@step(FLOW, "consent", ask_consent)
async def answer_consent(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options, {"yes": "words.yes", "no": "words.no"})
    if picked == "other_lang":
        ctx.remember(lang="en" if ctx.lang == "id" else "id")
        await ctx.goto(FLOW, "consent")
    elif picked == "yes":
        consent = Consent(channel=ctx.identity.channel, decision="yes",
                          text_version=ctx.config.consent_version, at=ctx.now)
        ctx.session.add(consent)
        await ctx.session.flush()
        ctx.remember(consent_id=consent.id, lang=ctx.lang)
        ctx.say("onboarding.thanks")
        await ctx.goto(FLOW, "name")
    elif picked == "no":
        await refuse(ctx)
    else:
        await ctx.reprompt("onboarding.consent_reprompt")


async def refuse(ctx: Ctx) -> None:
    """Record the refusal alone and forget her address."""
    ctx.session.add(Consent(channel=ctx.identity.channel, decision="no",
                            text_version=ctx.config.consent_version, at=ctx.now))
    ctx.say("onboarding.refused")
    await ctx.forget_person()


# --- language (from the summary's "change something"), name ---------------------


async def ask_language(ctx: Ctx) -> None:
    ctx.say("onboarding.language", options=labels(["id", "en"], ctx.lang, "language"))


@step(FLOW, "language", ask_language)
async def answer_language(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options, {"id": "words.indonesian", "en": "words.english"})
    if picked is None:
        await ctx.reprompt("onboarding.language_reprompt")
        return
    ctx.remember(lang=picked)
    await _next(ctx, "name")


async def ask_name(ctx: Ctx) -> None:
    ctx.say("onboarding.name")


_NAME_PREFIX = re.compile(
    r"^(nama\s*(saya|aku|ku|sy)?|namaku|saya|aku|sy|panggil( saja| aja)?|my name is|i am|i'm|"
    r"it's|bunda|ibu|bu|mama|mamah)\s+",
    re.IGNORECASE,
)


_GREETING = re.compile(
    r"^(halo|hallo|helo|hai|hi|hello|assalamu.?alaikum|salam kenal|selamat (pagi|siang|sore|malam)|"
    r"pagi|siang|sore|malam)\b[\s,.!]*", re.IGNORECASE)
# what comes after a name in a chat (`siti bun`, `dewi aja ya`), never a name of its own here
_NAME_TAIL = re.compile(r"(\s+(bun|bunda|bu|kak|ka|sis|ya|yah|ya\.|aja|saja|deh|dong|nih|kok|sih|"
                        r"hehe|hihi|makasih|terima kasih))+$", re.IGNORECASE)


def clean_name(reply: str) -> str | None:
    """Her name from `nama saya siti`, `sy siti bun` or `siti, 25 th`; None when it does not
    look like a name."""
    name = _GREETING.sub("", reply.strip()).strip()
    name = re.split(r"[,;(\n]|\s\d", name)[0].strip()  # `siti, 25 th`, `siti (ibu andi)`
    for _ in range(2):
        name = _NAME_PREFIX.sub("", name).strip()
    name = re.sub(r"[^\w\s'.-]", "", name).strip()
    name = _NAME_TAIL.sub("", name).strip()
    if not 2 <= len(name) <= 60 or not re.search(r"[^\W\d_]", name):
        return None
    return " ".join(part.capitalize() for part in name.split())


@step(FLOW, "name", ask_name)
async def answer_name(ctx: Ctx, reply: str) -> None:
    name = clean_name(reply)
    if name is None:
        await ctx.reprompt("onboarding.name_reprompt")
        return
    ctx.remember(name=name)
    await _next(ctx, "stage")


# --- pregnant or born, and the date --------------------------------------------


async def ask_stage(ctx: Ctx) -> None:
    ctx.say("onboarding.stage", name=ctx.data["name"],
            options=labels(["pregnant", "postnatal"], ctx.lang, "onboarding.stage_choice"))


# `belum` alone answers "pregnant, or already born?": not yet born
_NOT_YET = re.compile(r"^\W*(belum|blm|blum|belom|blom|not yet)(\s+(bun|bunda|bu|ya|kak))*\W*$",
                      re.IGNORECASE)


@step(FLOW, "stage", ask_stage)
async def answer_stage(ctx: Ctx, reply: str) -> None:
    picked = "pregnant" if _NOT_YET.match(reply) else match_choice(
        reply, ctx.options, {"pregnant": "words.pregnant", "postnatal": "words.born"}
    )
    if picked is None:
        await ctx.reprompt("onboarding.stage_reprompt")
        return
    ctx.remember(stage=picked)
    # `hamil 7 bulan`, `udh lahir 3 minggu lalu`: the date came with it, so it is echoed
    # for her to confirm instead of being asked for
    today = ctx.local_now.date()
    read = read_due_date if picked == "pregnant" else read_birth_date
    anchor = read(reply, today)
    if isinstance(anchor, date):
        ctx.remember(anchor=anchor.isoformat(), estimate=is_estimate(reply, today))
        await ctx.goto(FLOW, "confirm_date")
        return
    await ctx.goto(FLOW, "due" if picked == "pregnant" else "birth")


async def ask_due(ctx: Ctx) -> None:
    ctx.say("onboarding.due")


def read_due_date(reply: str, today: date) -> date | str:
    """Her due date, or the key of the re-prompt that says kindly what is wrong with it."""
    due = parse_date(reply, today, past=False) or parse_pregnancy_age(reply, today)
    if due is None:
        return "onboarding.due_reprompt"
    if (due - today).days > LATEST_DUE_DAYS:
        return "onboarding.due_too_far"
    if (today - due).days > OVERDUE_DAYS:
        return "onboarding.due_past"
    return due


def read_birth_date(reply: str, today: date) -> date | str:
    """Her child's birth date, or the key of the re-prompt that says what is wrong with it."""
    born = parse_date(reply, today, past=True) or parse_child_age(reply, today)
    if born is None:
        return "onboarding.birth_reprompt"
    if born > today:
        return "onboarding.birth_future"
    if (today - born).days > MAX_CHILD_DAYS:
        return "onboarding.birth_too_old"
    return born


def is_birth_news(text: str) -> bool:
    """`alhamdulillah bayi saya sudah lahir kemarin`, `udh lahir tgl 5 nov`, `baby was born
    yesterday`: the news, not a question or a condition (`kalau sudah lahir ...`)."""
    return ("?" not in text and says_any(text, "words.birth_news")
            and not says_any(text, "words.conditional"))


def baby_has_come(ctx: Ctx, reply: str) -> bool:
    """Asked for her due date, she says the baby has come, or types `2` as the kind word
    for a passed due date suggests."""
    return is_birth_news(reply) or bool(ctx.data.get("due_past") and reply.strip() == "2")


@step(FLOW, "due", ask_due)
async def answer_due(ctx: Ctx, reply: str) -> None:
    today = ctx.local_now.date()
    # asked for her due date she says the baby has come (or `2`, as a passed due date's
    # kind word suggests): the birth date, from her words or asked for
    if baby_has_come(ctx, reply):
        ctx.forget("due_past")
        ctx.remember(stage="postnatal")
        born = read_birth_date(reply, today)
        if isinstance(born, date):
            ctx.remember(anchor=born.isoformat(), estimate=is_estimate(reply, today))
            await ctx.goto(FLOW, "confirm_date")
        else:
            await ctx.goto(FLOW, "birth")
        return
    due = read_due_date(reply, today)
    if isinstance(due, str):
        if due == "onboarding.due_past":
            ctx.remember(due_past=True)
        await date_problem(ctx, due)
        return
    ctx.forget("due_past")
    ctx.remember(anchor=due.isoformat(), estimate=is_estimate(reply, today))
    await ctx.goto(FLOW, "confirm_date")


async def ask_birth(ctx: Ctx) -> None:
    ctx.say("onboarding.birth")


@step(FLOW, "birth", ask_birth)
async def answer_birth(ctx: Ctx, reply: str) -> None:
    born = read_birth_date(reply, ctx.local_now.date())
    if isinstance(born, str):
        await date_problem(ctx, born)
        return
    ctx.remember(anchor=born.isoformat(), estimate=is_estimate(reply, ctx.local_now.date()))
    await ctx.goto(FLOW, "confirm_date")


def _anchor(ctx: Ctx) -> date:
    return date.fromisoformat(str(ctx.data["anchor"]))


async def ask_confirm_date(ctx: Ctx) -> None:
    anchor = _anchor(ctx)
    point = point_for(str(ctx.data["stage"]), anchor, ctx.local_now.date())
    pregnant = ctx.data["stage"] == "pregnant"
    exact = not ctx.data.get("estimate", True)  # she named the day: no "about"
    if pregnant:
        key = "onboarding.confirm_due_exact" if exact else "onboarding.confirm_due"
    else:
        key = "onboarding.confirm_birth_exact" if exact else "onboarding.confirm_birth"
    ctx.say(key, date=say_date(anchor, ctx.lang), age=say_age(point, ctx.lang),
            options=labels(["ok", "change"], ctx.lang, "onboarding.confirm_choice"))


@step(FLOW, "confirm_date", ask_confirm_date)
async def answer_confirm_date(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options, {"ok": "words.yes", "change": "words.change"})
    if picked == "ok":
        # a mother who came through her cadre's invite is not asked for the code again
        await _next(ctx, "hour" if ctx.data.get("cadre_id") else "cadre")
    elif picked == "change":
        await ctx.goto(FLOW, "due" if ctx.data["stage"] == "pregnant" else "birth")
    else:
        await ctx.reprompt("onboarding.confirm_reprompt")


# --- cadre, hour ------------------------------------------------------------------


async def ask_cadre(ctx: Ctx) -> None:
    ctx.say("onboarding.cadre", options=[("unknown", ctx.t("onboarding.cadre_unknown"))])


@step(FLOW, "cadre", ask_cadre)
async def answer_cadre(ctx: Ctx, reply: str) -> None:
    if match_choice(reply, ctx.options, {"unknown": "words.dont_know"}) == "unknown":
        ctx.remember(cadre_id=None)
        ctx.say("onboarding.cadre_none")
        await _next(ctx, "hour")
        return
    code = re.sub(r"^(kode|code|daftar)\s+", "", reply.strip(), flags=re.IGNORECASE)
    cadre = await find_cadre(ctx, code)
    if cadre is None:
        await ctx.reprompt("onboarding.cadre_reprompt")
        return
    ctx.remember(cadre_id=cadre.id)
    ctx.say("onboarding.cadre_found", cadre=cadre.name)
    await _next(ctx, "hour")


async def ask_hour(ctx: Ctx) -> None:
    ctx.say("onboarding.hour")


@step(FLOW, "hour", ask_hour)
async def answer_hour(ctx: Ctx, reply: str) -> None:
    hour = parse_hour(reply)
    if hour == "any":
        hour = ctx.config.default_tip_hour
        ctx.say("onboarding.hour_default", hour=f"{hour:02d}.00")
    elif hour is None and ctx.conversation.misses >= MAX_MISSES - 1:
        # a kind default beats a third re-prompt: the hour can be changed any time
        hour = ctx.config.default_tip_hour
        ctx.say("onboarding.hour_default_unclear", hour=f"{hour:02d}.00")
    elif hour is None:
        await ctx.reprompt("onboarding.hour_reprompt")
        return
    elif in_quiet_hours(int(hour), ctx.config.quiet_start, ctx.config.quiet_end):
        await say_quiet_hours(ctx)
        return
    ctx.remember(tip_hour=int(hour))
    await ctx.goto(FLOW, "summary")


# --- summary --------------------------------------------------------------------------


async def ask_summary(ctx: Ctx) -> None:
    cadre = await _cadre(ctx)
    point = point_for(str(ctx.data["stage"]), _anchor(ctx), ctx.local_now.date())
    ctx.say(
        "onboarding.summary",
        name=ctx.data["name"],
        age=say_age(point, ctx.lang),
        support=ctx.t("onboarding.summary_cadre", cadre=cadre.name) if cadre
        else ctx.t("onboarding.summary_no_cadre"),
        hour=f"{int(str(ctx.data['tip_hour'])):02d}.00",
        language=ctx.t(f"language.{ctx.lang}"),
        options=labels(["save", "change"], ctx.lang, "onboarding.summary_choice"),
    )


@step(FLOW, "summary", ask_summary)
async def answer_summary(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options, {"save": "words.yes", "change": "words.change"})
    if picked == "save":
        await save(ctx)
    elif picked == "change":
        await ctx.goto(FLOW, "change")
    else:
        await ctx.reprompt("onboarding.summary_reprompt")


FIELDS = ["name", "date", "cadre", "hour", "language"]


async def ask_change(ctx: Ctx) -> None:
    ctx.say("onboarding.change", options=labels(FIELDS, ctx.lang, "onboarding.field"))


@step(FLOW, "change", ask_change)
async def answer_change(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options)
    if picked is None:
        await ctx.reprompt("onboarding.change_reprompt")
        return
    ctx.remember(editing=True)
    target = {"date": "stage", "language": "language"}.get(picked, picked)
    await ctx.goto(FLOW, target)


async def _next(ctx: Ctx, name: str) -> None:
    """The next question, or back to the summary when she was correcting one answer."""
    if ctx.data.get("editing"):  # (a new date goes stage -> date -> confirm, then here)
        await ctx.goto(FLOW, "summary")
    else:
        await ctx.goto(FLOW, name)


async def save(ctx: Ctx) -> None:
    """Create her record, welcome her, and tell her cadre."""
    data = ctx.data
    anchor = _anchor(ctx)
    stage = "postnatal" if data["stage"] == "postnatal" else "pregnant"
    today = ctx.local_now.date()
    cadre = await _cadre(ctx)
    point = point_for(stage, anchor, today)
    mother = await _create_mother(ctx, name=str(data["name"]), stage=stage, anchor=anchor,
                                  cadre=cadre, tip_hour=int(str(data["tip_hour"])),
                                  status="active", tips_from_day=point.day)
    await plan_reminders(ctx.session, mother, ctx.now)
    ctx.say("onboarding.saved")
    helper = (ctx.t("onboarding.helper_cadre", cadre=cadre.name) if cadre is not None
              else ctx.t("onboarding.helper_midwife"))  # not "your cadre, the midwife"
    values: dict[str, Any] = {"name": mother.name, "child": ctx.t("common.child"),
                              "helper": helper}
    # The short welcome series, minus what her stage's tips will tell her within days.
    for number in (1, 2, 3):
        key = welcome_key(f"welcome.{point.band}.{number}", point.stage, point.day,
                          tips_by_key())
        if key is not None:
            ctx.say(key, **values).kind = "welcome"
    if cadre is not None:
        note = ui_text("onboarding.cadre_new_mother", cadre.lang, name=mother.name,
                       age=say_age(point, cadre.lang))
        row = await ctx.tell_staff(cadre, note, kind="alert")
        if row is not None:  # a routine notice waits for her daytime, as case alerts do
            row.not_before = daytime_from(ctx.now, ZoneInfo(ctx.config.timezone),
                                          ctx.config.quiet_start, ctx.config.quiet_end)


async def _create_mother(
    ctx: Ctx, *, name: str, stage: str, anchor: date | None, cadre: Staff | None,
    tip_hour: int, status: str, tips_from_day: int,
) -> Mother:
    """Her record from the answers so far, linked to her address and her consent."""
    mother = Mother(
        name=name,
        lang=ctx.lang,
        tz=ctx.config.timezone,
        tip_hour=tip_hour,
        stage=stage,
        due_date=anchor if stage == "pregnant" else None,
        birth_date=anchor if stage == "postnatal" else None,
        cadre_id=cadre.id if cadre else None,
        posyandu_id=cadre.posyandu_id if cadre else None,
        status=status,
        tips_from_day=tips_from_day,
        unreachable=False,
        failure_days=[],
        created_at=ctx.now,
        last_inbound_at=ctx.now,
    )
    mother = await complete_record(ctx, mother)  # the record a danger sign made early, if any
    ctx.session.add(mother)
    await ctx.session.flush()
    ctx.identity.mother_id = mother.id
    await adopt_replies(ctx.session, ctx.identity, mother.id)
    consent = await ctx.session.get(Consent, ctx.data.get("consent_id"))
    if consent is not None:
        consent.mother_id = mother.id
    ctx.mother = mother
    ctx.conversation.data = {}
    ctx.idle()
    return mother


def consented(ctx: Ctx) -> bool:
    """She said yes to the consent question during this registration."""
    return ctx.data.get("consent_id") is not None


async def keep_after_loss(ctx: Ctx) -> Mother:
    """She told of a loss while registering (after her yes): a record so her cadre can reach
    her, marked as a loss from the start, so no tip, welcome or reminder is ever planned."""
    data = ctx.data
    anchor = date.fromisoformat(str(data["anchor"])) if data.get("anchor") else None
    stage = "postnatal" if data.get("stage") == "postnatal" else "pregnant"
    return await _create_mother(
        ctx, name=str(data.get("name") or ctx.t("onboarding.unnamed")), stage=stage,
        anchor=anchor, cadre=await _cadre(ctx),
        tip_hour=int(str(data.get("tip_hour") or ctx.config.default_tip_hour)),
        status="loss", tips_from_day=0)
