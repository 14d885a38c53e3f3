"""The loss pathway: a miscarriage, a stillbirth or a child's death.

Every tip and reminder stops at once; she gets a gentle word and her cadre is told
so she can visit. Sending a breastfeeding tip after this is the worst thing we could do.

A loss sticks: STOP still stops everything, and MULAI afterwards gets a gentle word,
never the tips again. She can always write to her cadre, and HAPUS DATA still works.
The one way back to tips is her own word that she is pregnant again: MENU > Settings >
"New pregnancy" asks her due date, confirms it, and starts the pregnancy tips from
that week (flows/menu.py).
"""

from __future__ import annotations

from sqlalchemy import select

from db.models import Consent
from flows.choices import labels, match_choice
from flows.context import Ctx
from flows.keywords import cancel_pending
from flows.steps import step

FLOW = "loss"


async def record_loss(ctx: Ctx, text: str) -> None:
    """Stop everything for her, answer gently, and open a case for her cadre."""
    from flows.cases import open_case  # noqa: PLC0415  (cases imports flows that import loss)

    assert ctx.mother is not None
    await cancel_pending(ctx, ctx.mother)
    ctx.mother.status = "loss"
    ctx.idle()
    await open_case(ctx, label="loss", urgent=False, text=text)


async def during_registration(ctx: Ctx, text: str) -> None:
    """A loss told before her record exists (at any registration question, or first thing).

    After her yes to the consent question we keep a record marked as a loss, so that her
    cadre (or the midwife) is told and can reach her; before it we keep nothing and say
    where a person can be reached.
    """
    from flows.onboarding import consented, keep_after_loss  # noqa: PLC0415

    if not consented(ctx):
        ctx.say("loss.unregistered", puskesmas=ctx.config.puskesmas_name,
                phone=ctx.config.puskesmas_phone or "-")
        await ctx.forget_person()
        return
    await keep_after_loss(ctx)
    await record_loss(ctx, text)


async def consent_again(ctx: Ctx) -> None:
    """She asked to hear from us again after STOP: record her yes (once)."""
    assert ctx.mother is not None
    latest = (await ctx.session.scalars(
        select(Consent.decision).where(Consent.mother_id == ctx.mother.id)
        .order_by(Consent.at.desc(), Consent.id.desc()).limit(1))).first()
    if latest == "withdrawn":
        ctx.session.add(Consent(mother_id=ctx.mother.id, channel=ctx.identity.channel,
                                decision="yes", text_version=ctx.config.consent_version,
                                at=ctx.now))


async def start_after_loss(ctx: Ctx) -> None:
    """MULAI from a bereaved mother: a gentle word, who reads her messages, no tips."""
    from flows.cases import title  # noqa: PLC0415
    from flows.contact import who_answers  # noqa: PLC0415

    await consent_again(ctx)
    staff = await who_answers(ctx)
    ctx.idle()
    ctx.say("loss.started", staff=title(staff, ctx.lang) if staff
            else ctx.t("loss.puskesmas_staff", puskesmas=ctx.config.puskesmas_name))


async def ask_confirm(ctx: Ctx) -> None:
    ctx.say("loss.confirm", options=labels(["yes", "no"], ctx.lang, "loss.choice"))


@step(FLOW, "confirm", ask_confirm)
async def answer_confirm(ctx: Ctx, reply: str) -> None:
    picked = match_choice(reply, ctx.options, {"yes": "words.yes", "no": "words.no"})
    if picked == "yes":
        await record_loss(ctx, ctx.t("loss.reported_from_menu"))
    elif picked == "no":
        ctx.say("menu.saved")
        ctx.idle()
    else:
        await ctx.reprompt("loss.reprompt")
