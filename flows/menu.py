"""The main menu and what hangs off it: a tip now, a problem, her cadre, her stage,
a birth report, and settings (language, tip hour, dates, loss, stop, delete).

After a loss the menu offers only what fits: her cadre, and settings (language, a new
pregnancy, stop, delete). A pregnant mother who tells us in her own words that the baby
has come is taken into the birth report (`birth_news`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db.models import Mother, Staff, Tip
from flows.catalogue import tips_by_key
from flows.choices import labels, match_choice
from flows.context import Ctx
from flows.dates import is_estimate, parse_hour
from flows.describe import say_age, say_date
from flows.journey import journey_point, point_for
from flows.onboarding import (
    baby_has_come,
    date_problem,
    is_birth_news,
    read_birth_date,
    read_due_date,
    say_quiet_hours,
)
from flows.quiet import in_quiet_hours
from flows.reminders import plan_reminders
from flows.steps import step

FLOW = "menu"


def menu_items(mother: Mother) -> list[str]:
    """What the main menu offers her now (a birth report only while pregnant)."""
    if mother.status == "loss":
        return ["cadre", "settings"]
    items = ["tip", "problem", "cadre", "stage"]
    if mother.stage == "pregnant":
        items.append("birth")
    return [*items, "settings"]


async def show_menu(ctx: Ctx) -> None:
    """Show the main menu and wait for her pick."""
    await ctx.goto(FLOW, "main")


async def ask_main(ctx: Ctx) -> None:
    assert ctx.mother is not None
    ctx.say("menu.main", options=labels(menu_items(ctx.mother), ctx.lang, "menu.item"))


@step(FLOW, "main", ask_main)
async def answer_main(ctx: Ctx, reply: str) -> None:
    assert ctx.mother is not None
    picked = match_choice(reply, ctx.options)
    if picked is None or picked not in menu_items(ctx.mother):  # an old menu, shown before
        await ctx.reprompt("menu.reprompt")
        return
    if picked == "tip":
        await send_tip_now(ctx)
    elif picked == "problem":
        await ctx.goto("problem", "describe")
    elif picked == "cadre":
        await ctx.goto("problem", "to_cadre")
    elif picked == "stage":
        await tell_stage(ctx)
    elif picked == "birth":
        await ctx.goto(FLOW, "birth")
    else:
        await ctx.goto(FLOW, "settings")


async def send_tip_now(ctx: Ctx) -> None:
    """Her most recent tip for her stage, on request."""
    assert ctx.mother is not None
    if ctx.mother.status == "loss":  # never a breastfeeding tip after a loss
        ctx.say("loss.no_tips")
        ctx.idle()
        return
    point = journey_point(ctx.mother, ctx.local_now.date())
    query = (
        select(Tip.key)
        .where(Tip.stage == point.stage, Tip.offset_days <= point.day)
        .order_by(Tip.offset_days.desc())
        .limit(1)
    )
    key = (await ctx.session.scalars(query)).first()
    tip = tips_by_key().get(key) if key else None
    if tip is None:
        ctx.say("menu.no_tip")
    else:
        row = ctx.say_text(tip.render(ctx.lang, name=ctx.mother.name, child=ctx.t("common.child")))
        row.kind = "tip"
    ctx.idle()


async def tell_stage(ctx: Ctx) -> None:
    """Her child's age (or pregnancy week) and the dates behind it."""
    assert ctx.mother is not None
    point = journey_point(ctx.mother, ctx.local_now.date())
    if point.stage == "pregnancy":
        assert ctx.mother.due_date is not None
        ctx.say("menu.stage_pregnant", age=say_age(point, ctx.lang),
                date=say_date(ctx.mother.due_date, ctx.lang))
    else:
        assert ctx.mother.birth_date is not None
        ctx.say("menu.stage_child", age=say_age(point, ctx.lang),
                date=say_date(ctx.mother.birth_date, ctx.lang))
    ctx.idle()


# --- birth report ----------------------------------------------------------------


async def ask_birth(ctx: Ctx) -> None:
    ctx.say("menu.birth")


@step(FLOW, "birth", ask_birth)
async def answer_birth(ctx: Ctx, reply: str) -> None:
    assert ctx.mother is not None
    today = ctx.local_now.date()
    born = read_birth_date(reply, today)
    if isinstance(born, str):
        await date_problem(ctx, born)
        return
    await save_birth(ctx, born)


async def save_birth(ctx: Ctx, born: date) -> None:
    """The birth report: her stage, her schedule, and a word for the first days."""
    assert ctx.mother is not None
    record_birth(ctx.mother, born, ctx.local_now.date())
    await plan_reminders(ctx.session, ctx.mother, ctx.now)
    ctx.say("menu.birth_saved", date=say_date(born, ctx.lang))
    ctx.idle()


async def birth_news(ctx: Ctx, text: str) -> bool:
    """A pregnant mother tells us the baby has come: the birth report, with the date from her
    words confirmed first (or asked when she gave none). False when it is not that."""
    if ctx.mother is None or ctx.mother.stage != "pregnant" or ctx.mother.status != "active":
        return False
    if not is_birth_news(text):
        return False
    today = ctx.local_now.date()
    born = read_birth_date(text, today)
    if isinstance(born, str):
        await ctx.goto(FLOW, "birth")
        return True
    ctx.remember(born=born.isoformat(), estimate=is_estimate(text, today))
    await ctx.goto(FLOW, "birth_confirm")
    return True


async def ask_birth_confirm(ctx: Ctx) -> None:
    born = date.fromisoformat(str(ctx.data["born"]))
    point = point_for("postnatal", born, ctx.local_now.date())
    key = "menu.birth_news_estimate" if ctx.data.get("estimate") else "menu.birth_news"
    ctx.say(key, date=say_date(born, ctx.lang), age=say_age(point, ctx.lang),
            options=labels(["ok", "change"], ctx.lang, "onboarding.confirm_choice"))


@step(FLOW, "birth_confirm", ask_birth_confirm)
async def answer_birth_confirm(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options, {"ok": "words.yes", "change": "words.change"})
    if picked == "ok":
        born = date.fromisoformat(str(ctx.data["born"]))
        ctx.forget("born", "estimate")
        await save_birth(ctx, born)
    elif picked == "change":
        ctx.forget("born", "estimate")
        await ctx.goto(FLOW, "birth")
    else:
        await ctx.reprompt("menu.confirm_reprompt")


def record_birth(mother: Mother, born: date, today: date) -> None:
    """She is now a mother of a newborn: tips follow the child's age from today."""
    was_pregnant = mother.stage == "pregnant"
    mother.stage, mother.birth_date = "postnatal", born
    if was_pregnant:
        # child tips before today are covered by what she hears at the birth report
        mother.tips_from_day = (today - born).days


# --- settings ----------------------------------------------------------------------

SETTINGS = ["language", "hour", "date", "loss", "stop", "delete"]
SETTINGS_AFTER_LOSS = ["language", "pregnant_again", "stop", "delete"]


def settings_items(mother: Mother) -> list[str]:
    """Her settings: after a loss no tip hour, no dates of that child, a new pregnancy."""
    return SETTINGS_AFTER_LOSS if mother.status == "loss" else SETTINGS


async def ask_settings(ctx: Ctx) -> None:
    assert ctx.mother is not None
    ctx.say("menu.settings",
            options=labels(settings_items(ctx.mother), ctx.lang, "menu.setting"))


@step(FLOW, "settings", ask_settings)
async def answer_settings(ctx: Ctx, reply: str) -> None:
    from flows import keywords  # noqa: PLC0415  (keywords imports menu)

    assert ctx.mother is not None
    picked = match_choice(reply, ctx.options)
    if picked is None or picked not in settings_items(ctx.mother):
        await ctx.reprompt("menu.reprompt")
    elif picked == "language":
        await ctx.goto(FLOW, "language")
    elif picked == "hour":
        await ctx.goto(FLOW, "hour")
    elif picked == "date":
        await ctx.goto(FLOW, "date")
    elif picked == "loss":
        await ctx.goto("loss", "confirm")
    elif picked == "pregnant_again":
        await ctx.goto(FLOW, "pregnant_again")
    elif picked == "stop":
        await keywords.stop(ctx)
    else:
        await ctx.goto("keywords", "delete_confirm")


async def ask_language(ctx: Ctx) -> None:
    ctx.say("onboarding.language", options=labels(["id", "en"], ctx.lang, "language"))


@step(FLOW, "language", ask_language)
async def answer_language(ctx: Ctx, reply: str) -> None:
    assert ctx.mother is not None
    picked = match_choice(reply, ctx.options, {"id": "words.indonesian", "en": "words.english"})
    if picked is None:
        await ctx.reprompt("onboarding.language_reprompt")
        return
    ctx.mother.lang = picked
    ctx.say("menu.saved")
    ctx.idle()


async def ask_hour(ctx: Ctx) -> None:
    ctx.say("onboarding.hour")


@step(FLOW, "hour", ask_hour)
async def answer_hour(ctx: Ctx, reply: str) -> None:
    assert ctx.mother is not None
    hour = parse_hour(reply)
    if hour == "any":
        hour = ctx.config.default_tip_hour
    if hour is None:
        await ctx.reprompt("onboarding.hour_reprompt")
        return
    if in_quiet_hours(int(hour), ctx.config.quiet_start, ctx.config.quiet_end):
        await say_quiet_hours(ctx)
        return
    ctx.mother.tip_hour = int(hour)
    ctx.say("menu.hour_saved", hour=f"{int(hour):02d}.00")
    ctx.idle()


async def ask_date(ctx: Ctx) -> None:
    assert ctx.mother is not None
    ctx.say("menu.date_due" if ctx.mother.stage == "pregnant" else "menu.date_birth")


@step(FLOW, "date", ask_date)
async def answer_date(ctx: Ctx, reply: str) -> None:
    """Correct her due date or her child's birth date; the schedule follows the new date."""
    assert ctx.mother is not None
    today = ctx.local_now.date()
    pregnant = ctx.mother.stage == "pregnant"
    if pregnant and baby_has_come(ctx, reply):
        ctx.forget("due_past")  # the baby has come: the birth report instead of a new due date
        if not await birth_news(ctx, reply):
            await ctx.goto(FLOW, "birth")
        return
    corrected = read_due_date(reply, today) if pregnant else read_birth_date(reply, today)
    if isinstance(corrected, str):
        if corrected == "onboarding.due_past":
            ctx.remember(due_past=True)
        await date_problem(ctx, corrected)
        return
    ctx.forget("due_past")
    if pregnant:
        ctx.mother.due_date = corrected
    else:
        ctx.mother.birth_date = corrected
    await plan_reminders(ctx.session, ctx.mother, ctx.now)
    ctx.say("menu.date_saved", date=say_date(corrected, ctx.lang))
    ctx.idle()


# --- a new pregnancy after a loss ----------------------------------------------------


async def ask_pregnant_again(ctx: Ctx) -> None:
    ctx.say("menu.pregnant_again")


@step(FLOW, "pregnant_again", ask_pregnant_again)
async def answer_pregnant_again(ctx: Ctx, reply: str) -> None:
    today = ctx.local_now.date()
    due = read_due_date(reply, today)
    if isinstance(due, str):
        await date_problem(ctx, due)
        return
    ctx.remember(due=due.isoformat(), estimate=is_estimate(reply, today))
    await ctx.goto(FLOW, "pregnant_again_confirm")


async def ask_pregnant_again_confirm(ctx: Ctx) -> None:
    due = date.fromisoformat(str(ctx.data["due"]))
    point = point_for("pregnant", due, ctx.local_now.date())
    key = "onboarding.confirm_due" if ctx.data.get("estimate") else "onboarding.confirm_due_exact"
    ctx.say(key, date=say_date(due, ctx.lang), age=say_age(point, ctx.lang),
            options=labels(["ok", "change"], ctx.lang, "onboarding.confirm_choice"))


@step(FLOW, "pregnant_again_confirm", ask_pregnant_again_confirm)
async def answer_pregnant_again_confirm(ctx: Ctx, reply: str) -> None:
    from flows.loss import consent_again  # noqa: PLC0415  (loss imports keywords, menu's user)

    assert ctx.mother is not None
    picked = match_choice(reply, ctx.options, {"ok": "words.yes", "change": "words.change"})
    if picked == "change":
        await ctx.goto(FLOW, "pregnant_again")
        return
    if picked != "ok":
        await ctx.reprompt("menu.confirm_reprompt")
        return
    due = date.fromisoformat(str(ctx.data["due"]))
    ctx.forget("due", "estimate")
    mother = ctx.mother
    mother.stage, mother.due_date, mother.birth_date = "pregnant", due, None
    mother.tips_from_day = point_for("pregnant", due, ctx.local_now.date()).day
    mother.status, mother.unreachable, mother.failure_days = "active", False, []
    await consent_again(ctx)
    await plan_reminders(ctx.session, mother, ctx.now)
    ctx.say("menu.pregnant_again_saved", date=say_date(due, ctx.lang))
    ctx.idle()


async def cadre_of(ctx: Ctx) -> Staff | None:
    """Her assigned cadre, if any."""
    assert ctx.mother is not None
    return await ctx.session.get(Staff, ctx.mother.cadre_id) if ctx.mother.cadre_id else None
