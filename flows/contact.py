"""Who answers her: her own cadre, else the puskesmas health worker.

Used wherever we tell a mother who really gets her words (a message for her cadre,
the way to a person after three misses, MULAI after a loss).
"""

from __future__ import annotations

from db.models import Staff
from flows import places
from flows.cases import health_workers, title
from flows.context import Ctx


async def her_cadre(ctx: Ctx) -> Staff | None:
    """Her assigned cadre (or the one from her invite while she registers), if still active."""
    cadre_id = ctx.mother.cadre_id if ctx.mother is not None else ctx.data.get("cadre_id")
    if not cadre_id:
        return None
    cadre = await ctx.session.get(Staff, cadre_id)
    return cadre if cadre is not None and cadre.active else None


async def who_answers(ctx: Ctx) -> Staff | None:
    """The person her messages reach: her cadre, else the first health worker (midwife first)."""
    cadre = await her_cadre(ctx)
    if cadre is not None:
        return cadre
    workers = await health_workers(ctx.session)
    return workers[0] if workers else None


async def say_stuck(ctx: Ctx) -> None:
    """Three misses: the menu and the way to a person, naming her own cadre when she has one."""
    cadre = await her_cadre(ctx) if ctx.staff is None else None
    puskesmas, phone = ctx.config.puskesmas_name, places.call_phone(ctx.config, ctx.lang)
    if cadre is not None:
        ctx.say("common.stuck_cadre", cadre=title(cadre, ctx.lang), puskesmas=puskesmas,
                phone=phone)
    else:
        ctx.say("common.stuck", puskesmas=puskesmas, phone=phone)
