"""Words that work anywhere: MENU, BANTUAN/HELP, STOP/BERHENTI, MULAI/START, HAPUS DATA.

Twilio's own opt-out words (STOP, UNSUBSCRIBE, ...) are honoured the same way.
"""

from __future__ import annotations

import re

from sqlalchemy import update

from db.models import Consent, InboundMessage, Mother, Outbox, Reminder
from flows import places
from flows.choices import labels, match_choice
from flows.context import Ctx
from flows.privacy import erase_mother
from flows.reminders import plan_reminders
from flows.steps import step

FLOW = "keywords"

_WORDS = {
    "menu": r"menu|menu utama|main menu",
    "help": r"bantuan|help|tolong menu|info",
    "stop": r"stop|berhenti|unsubscribe|stopall|cancel|end|quit|optout|opt out|revoke",
    "start": r"mulai|start|unstop|subscribe|gabung lagi|mulai lagi",
    "delete": r"hapus data|hapus dataku|hapus data saya|delete my data|delete data",
}
_PATTERNS = {name: re.compile(rf"^\s*/?(?:{words})\s*[.!]*\s*$", re.IGNORECASE)
             for name, words in _WORDS.items()}


def keyword(text: str) -> str | None:
    """Which global word a message is, if it is one (the whole message, any case)."""
    return next((name for name, pattern in _PATTERNS.items() if pattern.match(text)), None)


async def handle(ctx: Ctx, word: str) -> None:
    """Act on a global word from a mother (or someone not yet registered)."""
    from flows.menu import show_menu  # noqa: PLC0415  (menu imports keywords' steps)

    if ctx.mother is None:  # nobody yet, or a mother whose registration is not saved
        if word == "stop":
            ctx.say("keywords.stopped_unknown")
            await ctx.forget_person()
        elif word == "delete":  # the consent question says she may: nothing to confirm
            ctx.say("keywords.deleted")
            await ctx.forget_person()
        elif word == "help":
            ctx.say("keywords.help", puskesmas=ctx.config.puskesmas_name,
                    phone=places.call_phone(ctx.config, ctx.lang))
        else:
            await ctx.goto(ctx.conversation.flow, ctx.conversation.step)
        return
    if word == "stop":
        await stop(ctx)
    elif word == "start":
        await start_again(ctx)
    elif word == "delete":
        await ctx.goto(FLOW, "delete_confirm")
    elif word == "help":
        ctx.say("keywords.help", puskesmas=ctx.config.puskesmas_name,
                phone=places.call_phone(ctx.config, ctx.lang))
        ctx.idle()
    else:
        await show_menu(ctx)


async def cancel_pending(ctx: Ctx, mother: Mother) -> None:
    """Nothing queued for her is sent: pending outbox rows and open reminders end here."""
    await ctx.session.execute(
        update(Outbox)
        .where(Outbox.mother_id == mother.id, Outbox.status.in_(("pending", "held")))
        .values(status="cancelled")
    )
    await ctx.session.execute(
        update(Reminder)
        .where(Reminder.mother_id == mother.id, Reminder.done_at.is_(None))
        .values(done_at=ctx.now)
    )


async def stop(ctx: Ctx) -> None:
    """Opt her out at once; this confirmation is the last message she gets."""
    assert ctx.mother is not None
    await cancel_pending(ctx, ctx.mother)
    bereaved = ctx.mother.status == "loss"
    if not bereaved:  # a loss stays recorded, so that MULAI can never bring tips back
        ctx.mother.status = "opted_out"
    ctx.session.add(Consent(mother_id=ctx.mother.id, channel=ctx.identity.channel,
                            decision="withdrawn", text_version=ctx.config.consent_version,
                            at=ctx.now))
    ctx.idle()
    ctx.say("keywords.stopped_after_loss" if bereaved else "keywords.stopped")


async def start_again(ctx: Ctx) -> None:
    """Back in: tips continue from today (nothing missed is sent in a flood); never after a loss."""
    assert ctx.mother is not None
    if ctx.mother.status == "loss":
        from flows.loss import start_after_loss  # noqa: PLC0415  (loss imports keywords)

        await start_after_loss(ctx)
        return
    if ctx.mother.status in ("opted_out", "paused"):
        from flows.journey import journey_point  # noqa: PLC0415

        point = journey_point(ctx.mother, ctx.local_now.date())
        ctx.mother.tips_from_day = max(ctx.mother.tips_from_day, point.day)
        ctx.mother.status = "active"
        ctx.mother.unreachable = False
        ctx.mother.failure_days = []
        ctx.session.add(Consent(mother_id=ctx.mother.id, channel=ctx.identity.channel,
                                decision="yes", text_version=ctx.config.consent_version,
                                at=ctx.now))
        await plan_reminders(ctx.session, ctx.mother, ctx.now)  # STOP closed them
    ctx.idle()
    ctx.say("keywords.started")


async def ask_delete(ctx: Ctx) -> None:
    ctx.say("keywords.delete_confirm",
            options=labels(["yes", "no"], ctx.lang, "keywords.delete_choice"))


@step(FLOW, "delete_confirm", ask_delete)
async def answer_delete(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options, {"yes": "words.yes", "no": "words.no"})
    if picked == "yes":
        await delete_mother(ctx)
    elif picked == "no":
        ctx.say("keywords.delete_cancelled")
        ctx.idle()
    else:
        await ctx.reprompt("keywords.delete_reprompt")


async def delete_mother(ctx: Ctx) -> None:
    """Delete everything personal about her; only an anonymous consent record stays."""
    assert ctx.mother is not None
    mother = ctx.mother
    ctx.say("keywords.deleted")
    for row in ctx.sent:  # the goodbye must outlive her row
        row.mother_id = None
    await ctx.session.execute(  # keep only the bare id that makes a retry a no-op
        update(InboundMessage)
        .where(InboundMessage.mother_id == mother.id, InboundMessage.id == ctx.inbound_id)
        .values(mother_id=None, identity_id=None, text=None)
    )
    await ctx.session.flush()
    ctx.session.add(Consent(mother_id=None, channel=ctx.identity.channel, decision="deleted",
                            text_version=ctx.config.consent_version, at=ctx.now))
    await erase_mother(ctx.session, mother.id, keep=[row.id for row in ctx.sent])
    ctx.session.expunge(mother)
    ctx.session.expunge(ctx.conversation)
    ctx.session.expunge(ctx.identity)
    ctx.mother = None
    ctx.deleted = True
