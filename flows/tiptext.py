"""A planned tip's text: rendered when it is sent, not when it is planned.

The planner writes a million tip rows on a busy day; copying each tip's body (about
350 bytes) into every row was the largest part of writing it. So a planned tip row
(kind 'tip', dedupe key 'tip:<mother id>:<tip key>') is written with an empty text,
and its words are made from the catalogue, her language and her name by `tip_text`
whenever they are needed: the sender at claim time (it writes them into the row when
it records the outcome, so a sent row says what she received), and every other reader
of a row not sent yet (the simulator's inbox) through `outbox_texts`.

The words are exactly what the planner used to write: the tip rendered for her
language ('en', else 'id') with a mark for her name, the mark then replaced by her
name, as SQL's REPLACE did. A tip asked for from the menu is written with its text
(flows.menu) and is never rendered again.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Mother
from flows.catalogue import tips_by_key
from messages.texts import text as ui_text
from messages.tips import Tip

NAME_MARK = "@@NAME@@"  # where her name goes; replaced after rendering, never formatted


class TipRow(Protocol):
    """What `outbox_texts` reads of an outbox row (an `Outbox` or a claimed row)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def dedupe_key(self) -> str | None: ...
    @property
    def mother_id(self) -> int | None: ...


def tip_key(dedupe_key: str | None) -> str | None:
    """'tip:<mother>:<tip key>' -> the tip key (None for any other dedupe key)."""
    if not dedupe_key or not dedupe_key.startswith("tip:") or dedupe_key.count(":") < 2:
        return None
    return dedupe_key.split(":", 2)[2]


def tip_lang(lang: str | None) -> str:
    """The catalogue language of a mother's tips: English if she chose it, else Indonesian."""
    return "en" if lang == "en" else "id"


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Tip]:
    # read once per process (it parses every tip file): messages/ changes with a
    # deployment, which restarts workers, and the `tips` table the planner reads is
    # synced from the same files at start
    return tips_by_key()


@lru_cache(maxsize=8192)
def _body(key: str, lang: str) -> str | None:
    tip = _catalogue().get(key)
    if tip is None:
        return None
    return tip.render(lang, name=NAME_MARK, child=ui_text("common.child", lang))


def tip_text(key: str, lang: str | None, name: str) -> str | None:
    """Her words for tip `key`: her language, her name; None if the catalogue lacks it."""
    body = _body(key, tip_lang(lang))
    return None if body is None else body.replace(NAME_MARK, name)


def needs_text(row: TipRow) -> bool:
    """Is this a planned tip row whose words are not written yet?"""
    return row.kind == "tip" and not row.text and tip_key(row.dedupe_key) is not None


async def outbox_texts(session: AsyncSession, rows: Iterable[TipRow]) -> dict[int, str | None]:
    """The words of the planned tip rows among `rows` not yet written, by row id.

    One query for the mothers' names and languages. A row whose tip is no longer in the
    catalogue, or whose mother is gone, maps to None (nothing to send). Rows that carry
    their text are not in the result: use their own text.
    """
    pending = [r for r in rows if needs_text(r)]
    if not pending:
        return {}
    ids = {r.mother_id for r in pending if r.mother_id is not None}
    mothers = {mid: (name, lang) for mid, name, lang in (await session.execute(
        select(Mother.id, Mother.name, Mother.lang).where(Mother.id.in_(ids)))).all()} \
        if ids else {}
    found: dict[int, str | None] = {}
    for row in pending:
        mother = mothers.get(row.mother_id) if row.mother_id is not None else None
        key = tip_key(row.dedupe_key)
        found[row.id] = (tip_text(key, mother[1], mother[0])
                         if mother is not None and key is not None else None)
    return found
