"""The loss pathway: a miscarriage, a stillbirth or a child's death.

Every tip and reminder stops at once; she gets a gentle word and her cadre is told
so she can visit. Sending a breastfeeding tip after this is the worst thing we could do.
"""

from __future__ import annotations

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
