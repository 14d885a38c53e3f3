"""A mother's problem, in her own words: the first answer, and a case for a person.

Danger signs take the urgent path from any step; free text while no question is
open is read as a problem or a question; a photo or a voice note gets a kind word.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flows import cases
from flows.context import Ctx
from flows.steps import step
from flows.triage import URGENT_LABELS, classify

if TYPE_CHECKING:
    from flows.triage import TriageResult

FLOW = "problem"

_THANKS = re.compile(
    r"\b(terima ?kasih|terimakasih|makasih|mksh|makasi|trims|trimakasih|thanks|thank you|thx|tq|"
    r"ty|nuhun|matur nuwun)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\W*(halo|hallo|helo|hai|hi|hello|hey|pagi|siang|sore|malam|selamat (pagi|siang|sore|malam)|"
    r"assalamu.?alaikum|asw|ass?alamualaikum|permisi|good (morning|afternoon|evening))\b",
    re.IGNORECASE,
)


async def report(ctx: Ctx, text: str, result: TriageResult) -> None:
    """She has a problem: guidance now, and a case for her cadre (a loss stops everything)."""
    from flows.loss import record_loss  # noqa: PLC0415  (loss imports cases)

    assert ctx.mother is not None
    ctx.idle()  # a danger sign ends whatever question was open
    if result.label == "loss":
        await record_loss(ctx, text)
        return
    label = result.label if result.label != "none" else "question"
    await cases.open_case(ctx, label=label, urgent=result.urgent, text=text,
                          self_harm=bool(getattr(result, "self_harm", False)))


async def free_text(ctx: Ctx, text: str, result: TriageResult) -> None:
    """She wrote while no question was open: a problem, the news of the birth, or a kind word."""
    from flows.menu import birth_news  # noqa: PLC0415  (menu imports flows that import this)

    if result.label == "none" and not result.urgent and await birth_news(ctx, text):
        return
    if result.label != "none" or result.urgent:
        await report(ctx, text, result)
        return
    if _THANKS.search(text):
        ctx.say("problem.thanks")
        return
    case = await cases.latest_unresolved(ctx.session, ctx.mother) if ctx.mother else None
    if case is not None and case.assignee_id is not None:
        await cases.add_to_case(ctx, case, text)  # more words about the problem still open
    elif _GREETING.search(text):
        name = ctx.mother.name if ctx.mother is not None else ""
        ctx.say("problem.greeting", name=name)
    else:
        ctx.say("problem.hint")


async def media(ctx: Ctx) -> None:
    """A photo, voice note, sticker or file: we read only text (and tell her cadre)."""
    if ctx.mother is not None and await cases.pass_on_media(ctx):
        ctx.say("problem.media_passed")
        return
    ctx.say("common.media")


async def after_stop(ctx: Ctx, text: str) -> None:
    """She opted out or lost her baby: safety still first; no tips, ever."""
    assert ctx.mother is not None
    result = classify(text)
    if result.urgent or result.label == "loss":  # a loss told after STOP is still heard
        await report(ctx, text, result)
        return
    if ctx.mother.status == "loss":
        await _loss_words(ctx, text)
        return
    ctx.say("keywords.stopped_reminder")


async def _loss_words(ctx: Ctx, text: str) -> None:
    """After a loss her words go to her cadre, on the open case or one opened again."""
    assert ctx.mother is not None
    if await cases.relay_from_mother(ctx, text):
        return
    case = await cases.latest_unresolved(ctx.session, ctx.mother)
    if case is not None:
        await cases.add_to_case(ctx, case, text)
        return
    await cases.open_case(ctx, label="loss", urgent=False, text=text)


async def urgent_unregistered(ctx: Ctx, result: TriageResult) -> None:
    """A danger sign from someone not (yet fully) registered.

    Before consent: where to go now, and nothing stored. Once she has consented: an
    urgent case on her record so far, her cadre and the health worker alerted at once.
    Either way her words are not an answer to the open question: it is asked again.
    """
    from flows import onboarding, steps  # noqa: PLC0415  (onboarding imports cases)

    label = result.label if result.label in URGENT_LABELS else "danger_baby"
    self_harm = bool(getattr(result, "self_harm", False))
    if ctx.data.get("consent_id"):
        mother = await cases.early_record(ctx)
        await cases.open_case(ctx, label=label, urgent=True, text=ctx.inbound.text.strip(),
                              self_harm=self_harm, mother=mother)
    else:
        ctx.say_text(cases.guidance(label, ctx.lang, ctx.config, self_harm))
    flow, name = ctx.conversation.flow, ctx.conversation.step
    if steps.get(flow, name) is not None:
        await ctx.goto(flow, name)  # the question still open, asked again after the advice
    else:
        await onboarding.start(ctx)


# --- from the menu --------------------------------------------------------------------


async def ask_describe(ctx: Ctx) -> None:
    ctx.say("problem.describe")


@step(FLOW, "describe", ask_describe, her_words=True)
async def answer_describe(ctx: Ctx, text: str) -> None:
    """Her problem in her own words; anything not recognised is a question for the cadre."""
    await report(ctx, text, classify(text))


async def ask_to_cadre(ctx: Ctx) -> None:
    assert ctx.mother is not None
    cadre = await cases.cadre_of(ctx.session, ctx.mother)
    if cadre is not None:
        ctx.say("problem.to_cadre", staff=cases.title(cadre, ctx.lang))
    else:
        ctx.say("problem.to_health_worker")


@step(FLOW, "to_cadre", ask_to_cadre, her_words=True)
async def answer_to_cadre(ctx: Ctx, text: str) -> None:
    """Her message goes to her cadre (into the open thread, or as a question case)."""
    ctx.idle()
    if await cases.relay_from_mother(ctx, text):
        ctx.say("problem.relayed")
        return
    await cases.open_case(ctx, label="message", urgent=False, text=text)
