"""Planning tips: set-based SQL per time zone, never a loop over mothers.

A tip is due to a mother on her local date D when it is the newest tip of her
stage on her journey day (D minus her due or birth date) and not yet stale, or
when it is a must-deliver tip she missed that is still inside its stale window.
So after downtime she gets the latest tip she missed and the missed must-deliver
ones, never a flood; tips skipped that way are never sent later.

The catalogue is small (a few hundred tips) and the number of journey days is
about a thousand, so the planner expands it in Python into a temporary table
`plan_due(stage, day, tip_key, offset_days)`: "a mother at this stage on this
journey day is due `tip_key` today". The database then joins it to `mothers` by
equality on her journey day (a hash join), and
`(mother, tip)` keys with ON CONFLICT DO NOTHING make a second planner, or a
second run, a no-op. Memory in Python does not grow with the number of mothers.

A planned tip row carries no words: its text is empty and its dedupe key
`tip:<mother id>:<tip key>` says which tip it is. The sender makes her words (the
catalogue, her language, her name) when it claims the row and writes them into the
row with the outcome (flows.tiptext), so planning writes no tip body per mother.

On PostgreSQL a zone is one statement: a data-modifying CTE inserts the keys and
the outbox rows are made from the keys it RETURNs. SQLite has no data-modifying
CTEs: there it is two statements, the outbox rows (for keys not yet there), then
the keys.

The heartbeat plans through `plan_in_chunks`: the mothers are cut into ranges of ids
(`plan_chunk_mothers`, 50,000 by default) and each range is its own transaction, so no
statement writes more than a range's rows whatever the number of mothers (PostgreSQL
holds per-statement state, such as the tuplestore of RETURNed keys, until a statement
ends), and ranges run on `plan_connections` connections at once (two on PostgreSQL,
one on SQLite, whose single writer would only queue them). A range is idempotent like
the rest, so a crash part-way leaves the ranges already committed, and the next
heartbeat plans the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, bindparam, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeEngine

from db.models import Mother
from db.models import Tip as TipRow
from db.types import UTCDateTime
from flows.catalogue import tips_by_key
from flows.quiet import daytime_from, in_quiet_hours

log = logging.getLogger(__name__)

MOTHER_STAGE = {"pregnancy": "pregnant", "child": "postnatal"}

_COLUMNS = "stage VARCHAR(12), day INTEGER, tip_key VARCHAR(80), offset_days INTEGER"

# The mothers due a tip now in one zone, with the tip and her address. {table} is the
# per-catalogue temporary table; {day} her journey day on the zone's local date.
_DUE_FROM = """
FROM mothers m
JOIN {table} d
  ON d.stage = m.stage
 AND d.day = {day}
{identity_join}
WHERE m.status = 'active' AND m.tz = :tz AND m.tip_hour IN :hours
  AND m.id BETWEEN :id_first AND :id_last
  AND d.offset_days >= m.tips_from_day
  AND NOT EXISTS (SELECT 1 FROM tip_deliveries td
                  WHERE td.mother_id = m.id AND td.tip_key = d.tip_key)
"""
_ANCHOR = "CASE WHEN m.stage = 'pregnant' THEN m.due_date ELSE m.birth_date END"
DAY_SQL = {
    "postgresql": f"(CAST(:today AS DATE) - {_ANCHOR})",
    "sqlite": f"CAST(julianday(:today) - julianday({_ANCHOR}) AS INTEGER)",
}
# her address: the identity she last wrote from (a mother without one gets the key only)
_IDENTITY_JOIN = """JOIN identities i ON i.id = (
    SELECT i2.id FROM identities i2 WHERE i2.mother_id = m.id
    ORDER BY i2.last_inbound_at DESC NULLS LAST, i2.id LIMIT 1)"""
_IDENTITY_LATERAL = """JOIN LATERAL (
    SELECT i2.channel, i2.address FROM identities i2 WHERE i2.mother_id = m.id
    ORDER BY i2.last_inbound_at DESC NULLS LAST, i2.id LIMIT 1) i ON true"""
# the text is empty: the sender makes her words from the dedupe key (flows.tiptext)
_OUTBOX_COLUMNS = (
    "INSERT INTO outbox (channel, address, mother_id, kind, text, choices, dedupe_key, status,"
    " attempts, not_before, created_at)"
    " SELECT i.channel, i.address, m.id, 'tip', '', '[]',"
    " 'tip:' || m.id || ':' || d.tip_key, 'pending', 0, :not_before, :now")

# SQLite (no data-modifying CTEs): the outbox rows, then the keys, two statements.
_INSERT_OUTBOX = (
    _OUTBOX_COLUMNS
    + _DUE_FROM.replace("{identity_join}", _IDENTITY_JOIN)
    + " ON CONFLICT (dedupe_key) DO NOTHING"
)
_INSERT_DELIVERIES = (
    "INSERT INTO tip_deliveries (mother_id, tip_key, planned_at) SELECT m.id, d.tip_key, :now"
    + _DUE_FROM.replace("{identity_join}", "")
    + " ON CONFLICT (mother_id, tip_key) DO NOTHING"
)

# PostgreSQL: one statement. The (mother, tip) keys are inserted first and the outbox
# rows made from the keys that statement really inserted (RETURNING), so a key already
# there (an earlier pass, or a second planner that got there first) adds nothing. There
# is deliberately no NOT EXISTS on tip_deliveries here: inside the statement that fills
# tip_deliveries, a planner that believes the table empty (freshly analyzed) rescans it
# for every mother, quadratic in the mothers planned; the unique key does the same job
# with one index probe. The returned key is all the outbox row needs besides her address
# (no words: flows.tiptext), so nothing is joined back to mothers or the due table.
_PLAN_PG = """
WITH due AS (
  SELECT m.id AS mother_id, d.tip_key
  FROM mothers m
  JOIN {table} d
    ON d.stage = m.stage
   AND d.day = {day}
  WHERE m.status = 'active' AND m.tz = :tz AND m.tip_hour IN :hours
    AND m.id BETWEEN :id_first AND :id_last
    AND d.offset_days >= m.tips_from_day
), planned AS (
  INSERT INTO tip_deliveries (mother_id, tip_key, planned_at)
  SELECT mother_id, tip_key, :now FROM due
  ON CONFLICT (mother_id, tip_key) DO NOTHING
  RETURNING mother_id, tip_key
)
""" + _OUTBOX_COLUMNS.replace("m.id,", "k.mother_id,").replace(
    "'tip:' || m.id || ':' || d.tip_key", "'tip:' || k.mother_id || ':' || k.tip_key") + """
FROM planned k
""" + _IDENTITY_LATERAL.replace("m.id", "k.mother_id") + """
ON CONFLICT (dedupe_key) DO NOTHING
"""


def planning_sql(dialect: str, table: str) -> tuple[str, ...]:
    """The statements that plan one zone: one on PostgreSQL, two (outbox, keys) on SQLite."""
    if dialect == "postgresql":
        statements: tuple[str, ...] = (_PLAN_PG,)
    else:
        statements = (_INSERT_OUTBOX, _INSERT_DELIVERIES)
    day = DAY_SQL["postgresql" if dialect == "postgresql" else "sqlite"]
    return tuple(sql.replace("{table}", table).replace("{day}", day) for sql in statements)


@dataclass(frozen=True)
class CatalogueTip:
    """What the planner needs of a tip."""

    key: str
    stage: str
    offset_days: int
    must_deliver: bool
    stale_after_days: int


def due_days(tips: Sequence[CatalogueTip]) -> dict[str, dict[int, list[str]]]:
    """Per stage, journey day -> the tips due on that day (newest tip, missed must-deliver)."""
    result: dict[str, dict[int, list[str]]] = {}
    for stage in MOTHER_STAGE:
        mine = sorted((t for t in tips if t.stage == stage), key=lambda t: (t.offset_days, t.key))
        if not mine:
            continue
        days: dict[int, list[str]] = {}
        last_day = max(t.offset_days + t.stale_after_days for t in mine)
        index = -1
        for day in range(mine[0].offset_days, last_day + 1):
            while index + 1 < len(mine) and mine[index + 1].offset_days <= day:
                index += 1
            newest = mine[index]
            keys = [newest.key] if day - newest.offset_days <= newest.stale_after_days else []
            for tip in mine[: index + 1]:
                if (tip.must_deliver and tip.key not in keys
                        and day - tip.offset_days <= tip.stale_after_days):
                    keys.append(tip.key)
            if keys:
                days[day] = keys
        result[stage] = days
    return result


def effective_hour(hour: int, quiet_start: int, quiet_end: int) -> int:
    """Her tip hour, or the end of the quiet hours when she chose an hour inside them."""
    return quiet_end if in_quiet_hours(hour, quiet_start, quiet_end) else hour


def hours_due(local_hour: int, quiet_start: int, quiet_end: int) -> list[int]:
    """The tip hours whose time has come by `local_hour` on the local day."""
    return [h for h in range(24) if effective_hour(h, quiet_start, quiet_end) <= local_hour]


def send_from(now: datetime, zone: ZoneInfo, quiet_start: int, quiet_end: int) -> datetime:
    """Now, or the end of the quiet hours now falls in (a tip planned late waits for morning)."""
    return daytime_from(now, zone, quiet_start, quiet_end)


async def catalogue(session: AsyncSession) -> list[CatalogueTip]:
    """The schedule from the `tips` table (synced from messages/ at start)."""
    rows = (await session.execute(select(TipRow.key, TipRow.stage, TipRow.offset_days,
                                         TipRow.must_deliver, TipRow.stale_after_days))).all()
    return [CatalogueTip(*row) for row in rows]


def due_rows(days: dict[str, dict[int, list[str]]]) -> list[dict[str, object]]:
    """The rows of the due table: the tips due per stage and journey day.

    Only tips the catalogue has words for (the sender makes them from it); no words here.
    """
    texts = tips_by_key()
    rows: list[dict[str, object]] = []
    for stage, by_day in days.items():
        for day, keys in by_day.items():
            for key in keys:
                tip = texts.get(key)
                if tip is None:
                    continue
                rows.append({"stage": MOTHER_STAGE[stage], "day": day, "tip_key": key,
                             "offset_days": tip.offset_days})
    return rows


def table_for(rows: list[dict[str, object]]) -> str:
    """A temporary table name that changes whenever the catalogue's schedule or words do."""
    digest = hashlib.sha1(repr(sorted(tuple(sorted(r.items())) for r in rows)).encode())
    return f"plan_due_{digest.hexdigest()[:12]}"


async def load_due_table(session: AsyncSession, rows: list[dict[str, object]], table: str
                         ) -> str:
    """Create and fill this connection's due table once (it lives as long as the connection)."""
    await session.execute(text(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ({_COLUMNS})"))
    await session.execute(text(
        f"CREATE INDEX IF NOT EXISTS ix_{table} ON {table} (day, stage)"))
    if (await session.execute(text(f"SELECT 1 FROM {table} LIMIT 1"))).first() is None:
        insert = text(f"INSERT INTO {table} (stage, day, tip_key, offset_days) "
                      "VALUES (:stage, :day, :tip_key, :offset_days)")
        for start in range(0, len(rows), 2000):
            await session.execute(insert, rows[start:start + 2000])
        # autovacuum never analyzes temporary tables; without statistics the planner
        # guesses its size and the shape of the join
        await session.execute(text(f"ANALYZE {table}"))
    return table


@lru_cache(maxsize=4)
def _cached_rows(tips: tuple[CatalogueTip, ...]) -> tuple[list[dict[str, object]], str]:
    rows = due_rows(due_days(tips))
    return rows, table_for(rows)


@dataclass
class PlanResult:
    """What one planning pass did."""

    tips: int = 0
    zones: int = 0
    chunks: int = 0


# every id a mother can have (mothers.id is a 32-bit integer): what plan_tips covers
# without `ids`
ALL_IDS = (-(2**31), 2**31 - 1)
DEFAULT_CHUNK = 50_000
DEADLOCK_RETRIES = 3


def default_connections(dialect: str) -> int:
    """How many ranges to plan at once when the settings say 0 (automatic).

    Two on PostgreSQL: a range is one backend's work, and a second backend keeps the
    second core busy (measured in docs/BENCHMARKS.md). One on SQLite: one writer at a
    time, a second connection would only wait for the lock.
    """
    return 2 if dialect == "postgresql" else 1


def id_ranges(low: int, high: int, chunk: int) -> Iterator[tuple[int, int]]:
    """Ranges (first, last, both included) of `chunk` ids that cover low..high."""
    for start in range(low, high + 1, chunk):
        yield start, min(start + chunk - 1, high)


async def plan_in_chunks(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    *,
    quiet_start: int = 21,
    quiet_end: int = 6,
    zones: Sequence[str] | None = None,
    chunk: int = DEFAULT_CHUNK,
    connections: int = 0,
) -> PlanResult:
    """Plan every tip due by now, one transaction per range of `chunk` mother ids.

    `connections` ranges run at once, each on its own connection (0: the default for the
    database, see `default_connections`). A range that fails (after DEADLOCK_RETRIES
    deadlocks, or any other error) cancels the ranges in flight, whose transactions roll
    back, and raises; the ranges committed before stay planned, and since planning is
    idempotent the next heartbeat plans the rest and adds nothing twice.
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    async with sessions() as session:
        dialect = session.bind.dialect.name
        tips = tuple(await catalogue(session))
        if zones is None:
            zones = list((await session.scalars(
                select(Mother.tz).where(Mother.status == "active").distinct())).all())
        low, high = (await session.execute(
            select(func.min(Mother.id), func.max(Mother.id))
            .where(Mother.status == "active"))).one()
    result = PlanResult(zones=len(zones))
    if not tips or not zones or low is None:
        return result
    ranges = id_ranges(low, high, chunk)
    width = connections or default_connections(dialect)

    async def worker() -> None:
        # the iterator is shared: each range goes to exactly one worker (no await between
        # taking a range and the next, so two workers never take the same one)
        for ids in ranges:
            for attempt in range(1, DEADLOCK_RETRIES + 1):
                try:
                    done = await plan_range(ids)
                    break
                except DBAPIError as exc:
                    # two planners (two processes) whose scans meet the same mothers in a
                    # different order can deadlock on each other's keys; PostgreSQL aborts
                    # one, and the range is simply planned again (idempotent)
                    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode",
                                                                          None)
                    if code != "40P01" or attempt == DEADLOCK_RETRIES:
                        raise
                    log.warning("planning deadlock, range again", extra={"ids": ids})
            result.tips += done
            result.chunks += 1

    async def plan_range(ids: tuple[int, int]) -> int:
        async with sessions() as session, session.begin():
            if dialect == "postgresql":
                # planning is idempotent (ON CONFLICT DO NOTHING on both keys): a range
                # whose commit a crash loses is planned again by the next heartbeat,
                # so it need not wait for its WAL to reach the disk
                await session.execute(text("SET LOCAL synchronous_commit = off"))
                # the same statement runs for every range and zone: after five runs
                # asyncpg's prepared statement gets PostgreSQL's generic plan, blind to
                # the zone, the hours and the range (measured: 20.5 s instead of 12.9 s
                # for 200,000 tips); a custom plan costs a millisecond a statement
                await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
            return await _plan(session, now, tips, zones, ids, quiet_start, quiet_end)

    async with asyncio.TaskGroup() as group:
        for _ in range(width):
            group.create_task(worker())
    if result.tips:
        log.info("tips planned", extra={"tips": result.tips, "zones": result.zones,
                                        "chunks": result.chunks})
    return result


async def plan_tips(
    session: AsyncSession,
    now: datetime,
    *,
    quiet_start: int = 21,
    quiet_end: int = 6,
    zones: Sequence[str] | None = None,
    ids: tuple[int, int] = ALL_IDS,
) -> PlanResult:
    """Plan every tip due by now in every zone, in this session's transaction.

    `ids` limits it to mothers with `ids[0] <= id <= ids[1]`. One statement per zone
    covers every mother in the range: the heartbeat uses `plan_in_chunks`, which keeps
    each statement's rows bounded; this is for a caller that wants it all in its own
    transaction (tests, small deployments). Returns how many outbox rows were added.
    """
    result = PlanResult()
    tips = tuple(await catalogue(session))
    if not tips:
        return result
    if zones is None:
        zones = list((await session.scalars(
            select(Mother.tz).where(Mother.status == "active").distinct())).all())
    result.tips = await _plan(session, now, tips, zones, ids, quiet_start, quiet_end)
    result.zones, result.chunks = len(zones), 1
    if result.tips:
        log.info("tips planned", extra={"tips": result.tips, "zones": result.zones})
    return result


async def _plan(session: AsyncSession, now: datetime, tips: tuple[CatalogueTip, ...],
                zones: Sequence[str], ids: tuple[int, int], quiet_start: int,
                quiet_end: int) -> int:
    """Plan the mothers with ids in `ids` in every zone due now; the outbox rows added."""
    planned = 0
    rows, table = _cached_rows(tips)
    await load_due_table(session, rows, table)
    dialect = session.bind.dialect.name
    today_type: TypeEngine[Any] = Date() if dialect == "postgresql" else String()
    binds: dict[str, BindParameter[Any]] = {
        "hours": bindparam("hours", expanding=True),
        "not_before": bindparam("not_before", type_=UTCDateTime()),
        "now": bindparam("now", type_=UTCDateTime()),
        "today": bindparam("today", type_=today_type)}
    statements = []
    for sql in planning_sql(dialect, table):
        names = {name for name in (*binds, "tz", "id_first", "id_last")
                 if f":{name}" in sql}
        statements.append((text(sql).bindparams(*(binds[n] for n in names if n in binds)),
                           names))
    for tz in zones:
        zone = ZoneInfo(tz)
        local = now.astimezone(zone)
        hours = hours_due(local.hour, quiet_start, quiet_end)
        if not hours:
            continue
        today: object = local.date() if dialect == "postgresql" else local.date().isoformat()
        params = {"tz": tz, "hours": hours, "now": now, "today": today,
                  "not_before": send_from(now, zone, quiet_start, quiet_end),
                  "id_first": ids[0], "id_last": ids[1]}
        for number, (statement, names) in enumerate(statements):
            added = await session.execute(statement, {k: v for k, v in params.items()
                                                      if k in names})
            if number == 0:  # the outbox rows
                planned += max(getattr(added, "rowcount", 0) or 0, 0)
    return planned
