"""The monthly feeding check-in for a child under 6 months (WHO 24-hour recall, DOMAIN.md d).

Q1 breast milk yesterday (Ya / Tidak / Tidak tahu); Q2 a numbered list of 16 other
liquids and foods ("balas nomornya; 0 = tidak ada"), stored one Answer row per item;
Q3 ORS, vitamins or medicine drops (allowed, recorded). No praise until it is done.
The scheduler starts it (`start_checkin`); the steps below handle her answers.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Answer, Conversation, Identity, Mother
from flows.choices import NEGATIONS, labels, match_choice, synonyms, words
from flows.context import Ctx
from flows.outbox import enqueue, numbered
from flows.steps import step
from messages.texts import text as ui_text

FLOW = "checkin"
ANSWERS = ["yes", "no", "unsure"]
ITEMS = 16
_UNSURE = re.compile(r"\b(tidak tahu|tdk tahu|gak tahu|ga tahu|nggak tahu|lupa|not sure|"
                     r"don'?t know|unsure)\b", re.IGNORECASE)
_NONE = re.compile(r"^\s*(0|nol|tidak ada|tdk ada|gak ada|ga ada|nggak ada|none|no|nothing|"
                   r"tidak|enggak|nggak|gak|ga)\s*[.!]*\s*$", re.IGNORECASE)
# `ga ada bun`, `cuma ASI`, `asi aja kok`: nothing but breast milk (spelled out by `words`)
_NONE_WORDS = frozenset({"0", "nol", "tidak", "ada", "none", "nothing", "no", "cuma", "hanya",
                         "asi", "only", "just", "breast", "milk", "breastmilk", "apa", "apa2",
                         "sama", "sekali", "diberi", "dikasih", "yang", "lain", "else"})
_SAYS_NONE = frozenset({"0", "nol", "tidak", "none", "nothing", "no", "cuma", "hanya", "only",
                        "just", "asi"})
# chat words around an answer (`1 sama 8 bun`): neither an item nor a doubt
_FILLERS = frozenset({"bun", "bunda", "bu", "kak", "kok", "sih", "ya", "deh", "dong", "aja",
                      "saja", "kemarin", "kemaren", "kmrn", "lagi", "sama", "sm", "dan", "and",
                      "nomor", "no", "yang", "dikit", "sedikit", "cuma", "hanya", "dikasih",
                      "diberi", "dikasi", "kasih", "juga", "jg", "terus", "trus", "pernah",
                      "minum", "makan", "mau", "udah", "sudah", "a", "little", "some", "gave",
                      "had", "given", "yesterday", "he", "she", "it"})


def child_word(mother: Mother | None, lang: str) -> str:
    """How the questions name the child: her name when we have it, else "si kecil"."""
    if mother is not None and mother.child_name:
        return mother.child_name
    return ui_text("common.child", lang)


def round_name(local_day: datetime) -> str:
    """The indicator's month: checkin-YYYY-MM on her clock."""
    return f"checkin-{local_day:%Y-%m}"


def start_checkin(
    session: AsyncSession,
    mother: Mother,
    identity: Identity,
    conversation: Conversation,
    now: datetime,
    not_before: datetime,
    *,
    key: str,
    age_days: int,
) -> None:
    """Open the check-in: the intro and Q1 go to the outbox, her conversation waits at q1."""
    lang, child = mother.lang, child_word(mother, mother.lang)
    options = labels(ANSWERS, lang, "checkin.choice")
    local = not_before.astimezone(ZoneInfo(mother.tz))
    conversation.flow, conversation.step, conversation.misses = FLOW, "q1", 0
    conversation.data = {"round": round_name(local), "age_days": age_days,
                         "_options": [list(option) for option in options]}
    conversation.updated_at = now
    for part, body, choices in (
        ("intro", ui_text("checkin.intro", lang, child=child), None),
        ("q1", ui_text("checkin.q1", lang, child=child), numbered([lb for _, lb in options])),
    ):
        enqueue(session, channel=identity.channel, address=identity.address, text=body, now=now,
                choices=choices, kind="checkin", mother_id=mother.id,
                dedupe_key=f"{key}:{part}", not_before=not_before)


def _record(ctx: Ctx, question: str, answer: str) -> None:
    assert ctx.mother is not None
    age = ctx.data.get("age_days")
    ctx.session.add(Answer(mother_id=ctx.mother.id, kind="checkin",
                           round=str(ctx.data.get("round") or round_name(ctx.local_now)),
                           question=question, answer=answer,
                           child_age_days=int(str(age)) if age is not None else None,
                           at=ctx.now))


def _yes_no(ctx: Ctx, reply: str) -> str | None:
    if _UNSURE.search(reply):
        return "unsure"
    return match_choice(reply, ctx.options or labels(ANSWERS, ctx.lang, "checkin.choice"),
                        vocab={"unsure": "words.dont_know", "yes": "words.yes", "no": "words.no"})


async def ask_q1(ctx: Ctx) -> None:
    ctx.say("checkin.q1", child=child_word(ctx.mother, ctx.lang),
            options=labels(ANSWERS, ctx.lang, "checkin.choice"))


@step(FLOW, "q1", ask_q1)
async def answer_q1(ctx: Ctx, reply: str) -> None:
    picked = _yes_no(ctx, reply)
    if picked is None:
        await ctx.reprompt("checkin.q1_reprompt")
        return
    _record(ctx, "q1_breastmilk", picked)
    ctx.remember(q1=picked)
    await ctx.goto(FLOW, "q2")


async def ask_q2(ctx: Ctx) -> None:
    ctx.say("checkin.q2", child=child_word(ctx.mother, ctx.lang))


def parse_items(reply: str) -> list[int] | str | None:
    """The item numbers she gave; [] for none; "unsure"; None when it is not clear."""
    if _UNSURE.search(reply):
        return "unsure"
    said = [w for w in words(reply) if w not in _FILLERS - _SAYS_NONE]
    if _NONE.match(reply) or (said and set(said) <= _NONE_WORDS and set(said) & _SAYS_NONE):
        return []
    numbers = [int(n) for n in re.findall(r"\d{1,2}", reply)]
    if not numbers or any(n < 0 or n > ITEMS for n in numbers):
        return None
    leftover = re.sub(r"[\d\s,.;&+/-]|\bno\.", " ", reply.lower())
    if [w for w in words(leftover) if w not in _FILLERS]:
        return None
    picked = sorted({n for n in numbers if n > 0})
    return picked


def items_in_words(reply: str) -> list[tuple[int, str]] | None:
    """The items she named in words (`air putih sm madu`): (number, her words) in the order
    of the list; None when she named none, or negated one (`gak dikasih air putih`)."""
    joined = " ".join(words(reply))
    found: dict[int, list[tuple[int, str]]] = {}
    spans: list[tuple[int, int]] = []
    phrases = sorted(((phrase, item) for item in range(1, ITEMS + 1)
                      for phrase in synonyms(f"words.checkin_item.{item}")),
                     key=lambda pair: -len(pair[0]))
    for phrase, item in phrases:
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", joined):
            if any(start < match.end() and match.start() < end for start, end in spans):
                continue  # part of a longer phrase already read (`teh` in `teh kemasan`)
            near = joined[:match.start()].split()[-2:] + joined[match.end():].split()[:1]
            if NEGATIONS & set(near):
                return None
            spans.append((match.start(), match.end()))
            found.setdefault(item, []).append((match.start(), match.group(0)))
    return [(item, " ".join(said for _, said in sorted(found[item]))) for item in sorted(found)] \
        or None


@step(FLOW, "q2", ask_q2)
async def answer_q2(ctx: Ctx, reply: str) -> None:
    picked = parse_items(reply)
    if picked is None:
        named = items_in_words(reply) if not re.search(r"\d", reply) else None
        if named is None:
            await ctx.reprompt("checkin.q2_reprompt")
            return
        picked = [item for item, _ in named]  # her words, echoed with their numbers
        ctx.say("checkin.q2_noted", items=", ".join(f"{item} {said}" for item, said in named))
    for item in range(1, ITEMS + 1):
        answer = "unsure" if picked == "unsure" else "yes" if item in picked else "no"
        _record(ctx, f"q2_item{item:02d}", answer)
    ctx.remember(q2=picked if isinstance(picked, str) else len(picked))
    await ctx.goto(FLOW, "q3")


async def ask_q3(ctx: Ctx) -> None:
    ctx.say("checkin.q3", child=child_word(ctx.mother, ctx.lang),
            options=labels(ANSWERS, ctx.lang, "checkin.choice"))


@step(FLOW, "q3", ask_q3)
async def answer_q3(ctx: Ctx, reply: str) -> None:
    picked = _yes_no(ctx, reply)
    if picked is None:
        await ctx.reprompt("checkin.q1_reprompt")
        return
    _record(ctx, "q3_ors_drops", picked)
    only_breast_milk = ctx.data.get("q1") == "yes" and ctx.data.get("q2") == 0
    ctx.forget("round", "age_days", "q1", "q2")
    ctx.idle()
    if only_breast_milk:
        ctx.say("checkin.thanks_only_breastmilk", child=child_word(ctx.mother, ctx.lang))
    else:
        ctx.say("checkin.thanks")
