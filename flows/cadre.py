"""What a cadre or health worker can do on her own channel.

Commands (Indonesian first, English aliases): KASUS (my open cases), AMBIL 12
(take), BALAS 12 <pesan> (reply), SELESAI [12] [hasil] (resolve), SERAHKAN 12
(hand over to the health worker), IBU (my mothers), BANTUAN. The choices under an
alert work too: on Telegram each button is its command (`AMBIL 12`), so an old alert's
button acts on its own case; a typed number (1 take, 2 reply, 3 resolve, 4 hand over)
acts on the one case waiting for her, and with several she is asked which. Once she
has taken a case she is in reply mode: her plain messages are relayed to that mother
until she types SELESAI.

She acts only on cases she holds now or that climbed to her (not once she handed one
over: then she is told who has it); a case she may not see is "not found", the same
answer as a case that does not exist.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import select

from db.models import Case, Mother, Staff
from flows import cases
from flows.choices import match_choice
from flows.context import Ctx

log = logging.getLogger(__name__)

REPLY_CASE = "reply_case"
# a choice under an alert, as the command it stands for
_ACTIONS = {"take": "take", "reply": "reply_mode", "resolve": "resolve", "handover": "handover"}
MAX_MOTHERS = 50

_N = r"\s*#?\s*(\d{1,9})"
_COMMANDS: list[tuple[str, re.Pattern[str]]] = [
    ("cases", re.compile(r"^/?(kasus|kasus saya|cases|my cases|case)$", re.I)),
    ("mothers", re.compile(r"^/?(ibu|daftar ibu|mothers|my mothers)$", re.I)),
    ("help", re.compile(r"^/?(bantuan|help|menu|perintah|commands|start|info)$", re.I)),
    ("take", re.compile(rf"^/?(ambil|take|tangani){_N}$", re.I)),
    ("reply", re.compile(rf"^/?(balas|reply){_N}(?:\s+(.+))?$", re.I | re.S)),
    ("resolve", re.compile(rf"^/?(selesai|done|resolve|tutup|close)(?:{_N}\b)?(?:\s+(.+))?$",
                           re.I | re.S)),
    ("handover", re.compile(rf"^/?(serahkan|hand ?over|escalate|teruskan)(?:{_N})?$", re.I)),
]


@dataclass(frozen=True)
class Command:
    """A parsed cadre command."""

    name: str
    case_id: int | None = None
    text: str | None = None


def parse(text: str) -> Command | None:
    """The command a message is, or None for plain text."""
    stripped = text.strip()
    for name, pattern in _COMMANDS:
        found = pattern.match(stripped)
        if found is None:
            continue
        groups = [g for g in found.groups()[1:]]
        number = groups[0] if groups else None
        rest = groups[1] if len(groups) > 1 else None
        return Command(name, int(number) if number else None, rest.strip() if rest else None)
    return None


async def handle(ctx: Ctx, text: str) -> None:
    """Every message from a staff member comes here."""
    staff = ctx.staff
    assert staff is not None
    if not text:
        ctx.say("cadre.media_unsupported")
        return
    command = parse(text)
    if command is None and ctx.options and re.fullmatch(r"\s*\d{1,2}\s*[.)]?\s*", text):
        picked = match_choice(text, ctx.options)
        if picked is not None:
            # `take:12` was how a choice named its case before; now a number names none
            action, _, number = picked.partition(":")
            case_id = int(number) if number else await _alert_case(ctx, staff)
            if case_id is None:
                return
            command = Command(_ACTIONS.get(action, "help"), case_id)
    if command is None:
        reply_case = ctx.data.get(REPLY_CASE)
        if reply_case:
            await _reply(ctx, staff, int(str(reply_case)), text)
        else:
            ctx.say("cadre.help")
        return
    log.info("cadre command", extra={"command": command.name, "staff_id": staff.id})
    if command.name == "cases":
        await _list_cases(ctx, staff)
    elif command.name == "mothers":
        await _list_mothers(ctx, staff)
    elif command.name == "help":
        ctx.say("cadre.help")
    elif command.name == "take":
        await _take(ctx, staff, command.case_id)
    elif command.name == "reply_mode":
        await _take(ctx, staff, command.case_id, prompt=True)
    elif command.name == "reply":
        if command.text:
            await _reply(ctx, staff, command.case_id, command.text)
        else:
            await _take(ctx, staff, command.case_id, prompt=True)
    elif command.name == "resolve":
        await _resolve(ctx, staff, command.case_id, command.text)
    elif command.name == "handover":
        await _handover(ctx, staff, command.case_id)


async def _alert_case(ctx: Ctx, staff: Staff) -> int | None:
    """The case a bare number under an alert is about: the one waiting for her, if only one.

    With several, a number could mean any of them: she is asked which, by command.
    """
    waiting = await cases.cases_of(ctx.session, staff)
    if len(waiting) == 1:
        return waiting[0][0].id
    if not waiting:
        ctx.say("cadre.no_cases")
        return None
    ctx.say("cadre.which_alert", lines=_case_lines(ctx, waiting), case=waiting[0][0].id)
    return None


async def _own_case(ctx: Ctx, staff: Staff, case_id: int | None) -> tuple[Case, Mother] | None:
    """The case if she may act on it; otherwise she is told it is not found (or, kindly,
    that she handed it over and who has it now)."""
    if case_id is None:
        ctx.say("cadre.which_case")
        return None
    case = await ctx.session.get(Case, case_id)
    mother = await ctx.session.get(Mother, case.mother_id) if case is not None else None
    if case is None or mother is None:
        ctx.say("cadre.not_found", case=case_id)
        return None
    if not await cases.may_act(ctx.session, staff, case):
        holder = await ctx.session.get(Staff, case.assignee_id) if case.assignee_id else None
        if holder is not None and await cases.passed_on_by(ctx.session, staff, case):
            ctx.say("cadre.passed_on_already", case=case.id,
                    name=cases.shown_name(mother, ctx.lang), staff=cases.title(holder, ctx.lang))
        else:
            ctx.say("cadre.not_found", case=case_id)
        return None
    return case, mother


def _current(ctx: Ctx, case_id: int | None) -> int | None:
    if case_id is not None:
        return case_id
    current = ctx.data.get(REPLY_CASE)
    return int(str(current)) if current else None


async def _take(ctx: Ctx, staff: Staff, case_id: int | None, *, prompt: bool = False) -> bool:
    found = await _own_case(ctx, staff, case_id)
    if found is None:
        return False
    case, mother = found
    if case.status == cases.RESOLVED:
        ctx.say("cadre.already_resolved", case=case.id, name=cases.shown_name(mother, ctx.lang))
        return False
    if case.status == cases.TAKEN and case.assignee_id != staff.id:
        other = await ctx.session.get(Staff, case.assignee_id) if case.assignee_id else None
        ctx.say("cadre.taken_by_other", case=case.id, name=cases.shown_name(mother, ctx.lang),
                staff=cases.title(other, ctx.lang) if other else "-")
        return False
    if not await cases.take(ctx, staff, case, mother):
        await ctx.session.refresh(case)
        other = await ctx.session.get(Staff, case.assignee_id) if case.assignee_id else None
        ctx.say("cadre.taken_by_other", case=case.id, name=cases.shown_name(mother, ctx.lang),
                staff=cases.title(other, ctx.lang) if other else "-")
        return False
    ctx.remember(**{REPLY_CASE: case.id})
    ctx.say("cadre.write_now" if prompt else "cadre.taken", case=case.id,
            name=cases.shown_name(mother, ctx.lang))
    return True


async def _reply(ctx: Ctx, staff: Staff, case_id: int | None, text: str) -> None:
    found = await _own_case(ctx, staff, case_id)
    if found is None:
        ctx.forget(REPLY_CASE)
        return
    case, mother = found
    mine = case.status == cases.TAKEN and case.assignee_id == staff.id
    if not mine and not await _take(ctx, staff, case.id):
        ctx.forget(REPLY_CASE)  # the thread ended elsewhere: leave reply mode
        return
    await cases.relay_to_mother(ctx, staff, case, mother, text)
    ctx.remember(**{REPLY_CASE: case.id})


async def _resolve(ctx: Ctx, staff: Staff, case_id: int | None, outcome: str | None) -> None:
    case_id = _current(ctx, case_id)
    if case_id is None:
        mine = [c for c, _ in await cases.cases_of(ctx.session, staff)
                if c.status == cases.TAKEN and c.assignee_id == staff.id]
        if len(mine) != 1:
            ctx.say("cadre.which_case")
            return
        case_id = mine[0].id
    found = await _own_case(ctx, staff, case_id)
    if found is None:
        return
    case, mother = found
    if case.status == cases.RESOLVED:
        ctx.say("cadre.already_resolved", case=case.id, name=cases.shown_name(mother, ctx.lang))
    elif case.assignee_id != staff.id and case.status == cases.TAKEN:
        other = await ctx.session.get(Staff, case.assignee_id) if case.assignee_id else None
        ctx.say("cadre.taken_by_other", case=case.id, name=cases.shown_name(mother, ctx.lang),
                staff=cases.title(other, ctx.lang) if other else "-")
    else:
        await cases.resolve(ctx, staff, case, mother, outcome)
        ctx.say("cadre.resolved", case=case.id, name=cases.shown_name(mother, ctx.lang))
    if ctx.data.get(REPLY_CASE) == case.id:
        ctx.forget(REPLY_CASE)


async def _handover(ctx: Ctx, staff: Staff, case_id: int | None) -> None:
    found = await _own_case(ctx, staff, _current(ctx, case_id))
    if found is None:
        return
    case, mother = found
    if case.status == cases.RESOLVED:
        ctx.say("cadre.already_resolved", case=case.id, name=cases.shown_name(mother, ctx.lang))
        return
    target = await cases.hand_over(ctx, staff, case, mother)
    if target is None:
        ctx.say("cadre.no_health_worker", case=case.id)
        return
    if ctx.data.get(REPLY_CASE) == case.id:
        ctx.forget(REPLY_CASE)
    ctx.say("cadre.handed_over", case=case.id, name=cases.shown_name(mother, ctx.lang),
            staff=cases.title(target, ctx.lang))


async def _list_cases(ctx: Ctx, staff: Staff) -> None:
    found = await cases.cases_of(ctx.session, staff)
    if not found:
        ctx.say("cadre.no_cases")
        return
    ctx.say("cadre.cases", lines=_case_lines(ctx, found))


def _case_lines(ctx: Ctx, found: list[tuple[Case, Mother]]) -> str:
    lines = []
    for case, mother in found:
        state = "taken" if case.status == cases.TAKEN else "waiting"
        lines.append(ctx.t(f"cadre.case_line_{state}", case=case.id,
                           label=cases.label_name(case.label, ctx.lang),
                           name=cases.shown_name(mother, ctx.lang),
                           urgent="🚨 " if case.urgent else ""))
    return "\n".join(lines)


async def _list_mothers(ctx: Ctx, staff: Staff) -> None:
    query = (
        select(Mother).where(Mother.cadre_id == staff.id)
        .order_by(Mother.name).limit(MAX_MOTHERS)
    )
    mothers = (await ctx.session.scalars(query)).unique().all()
    if not mothers:
        ctx.say("cadre.no_mothers")
        return
    lines = [ctx.t("cadre.mother_line", name=m.name, age=cases.child_age(m, ctx.now, ctx.lang),
                   status=ctx.t(f"cadre.mother_status.{m.status}")
                   if m.status in ("opted_out", "loss", "paused") else "")
             for m in mothers]
    ctx.say("cadre.mothers", count=len(mothers), lines="\n".join(lines))
