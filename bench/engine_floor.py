"""Where a webhook's time goes: the engine's one transaction, three ways, on PostgreSQL.

    python bench/engine_floor.py                 # 1,500 mothers, 8 at a time

Every mother first registers up to the name question (not measured). Then each
answers it ("Siti"), and that one message is measured three ways, each on its own mothers:

* engine:  `flows.engine.handle`, the real path (SQLAlchemy ORM session, the flows);
* core:    the same five statements that answer makes (find her with her conversation
           FOR UPDATE, record the message, note when she wrote, move her conversation,
           write the reply's outbox row), as SQLAlchemy Core `text()` in one transaction;
* driver:  the same five statements on asyncpg directly, in one transaction.

It prints CPU milliseconds per message in this process (the client of the database)
and messages per second. The difference between the lines is what each layer costs:
the floor under any webhook benchmark of this app on this machine. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.webhooks import PG, _pg, prepare_database  # noqa: E402
from bot.runtime import Runtime, build_runtime  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from flows.types import Inbound  # noqa: E402

CONCURRENCY = 8

# the statements the engine makes for a mother answering a question (the ORM writes the
# same columns); $n for asyncpg, :name for SQLAlchemy
LOAD = ("SELECT i.id, i.mother_id, c.id, c.flow, c.step, c.data, c.misses "
        "FROM identities i LEFT JOIN conversations c ON c.identity_id = i.id "
        "LEFT JOIN mothers m ON m.id = i.mother_id LEFT JOIN staff s ON s.id = i.staff_id "
        "WHERE i.channel = $1 AND i.address = $2 FOR UPDATE OF i")
RECORD = ("INSERT INTO inbound_messages (channel, msg_id, identity_id, mother_id, text, at) "
          "VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (channel, msg_id) DO NOTHING "
          "RETURNING id")
SEEN = "UPDATE identities SET last_inbound_at = now() WHERE id = $1"
MOVE = ("UPDATE conversations SET step = $1, data = $2, misses = 0, updated_at = now() "
        "WHERE id = $3")
REPLY = ("INSERT INTO outbox (channel, address, mother_id, kind, text, choices, status, "
         "attempts, not_before, created_at, in_reply_to) VALUES ($1, $2, $3, 'reply', $4, "
         "'[]', 'pending', 0, now(), now(), $5) RETURNING id")
BODY = "Salam kenal, Bunda Siti. Bunda sedang hamil atau si kecil sudah lahir?"
ANSWER = "Siti"


def named(sql: str) -> str:
    """The same statement with SQLAlchemy's :p1.. placeholders."""
    for n in range(9, 0, -1):
        sql = sql.replace(f"${n}", f":p{n}")
    return sql


def address(mother: int) -> str:
    return f"+62813{mother:08d}"


async def register(runtime: Runtime, mothers: range) -> None:
    """Bring each mother to the name question (consent given): the setup."""
    async def one(mother: int) -> None:
        for step, words in enumerate(("DAFTAR MAWAR1", "1")):
            await runtime.handle(Inbound(channel="whatsapp", address=address(mother), text=words,
                                         msg_id=f"setup-{mother}-{step}",
                                         at=runtime.clock.now()))
    await run_all(mothers, one)


async def run_all(mothers: range, one: Callable[[int], Awaitable[None]]) -> None:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def gated(mother: int) -> None:
        async with gate:
            await one(mother)
    await asyncio.gather(*(gated(m) for m in mothers))


async def measured(name: str, mothers: range, one: Callable[[int], Awaitable[None]]) -> str:
    cpu, wall = time.process_time(), time.perf_counter()
    await run_all(mothers, one)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return (f"{name:<7} {len(mothers):>6} msgs  {len(mothers) / wall:>7.0f} msg/s  "
            f"{1000 * cpu / len(mothers):5.2f} ms CPU/msg in the client")


async def main(count: int, url: str) -> None:
    runtime = build_runtime(load_settings(database_url=url, _env_file=None))
    dsn = PG.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1]
    pool = await asyncpg.create_pool(dsn, min_size=CONCURRENCY, max_size=CONCURRENCY)
    statements = [text(named(sql)) for sql in (LOAD, RECORD, SEEN, MOVE, REPLY)]
    try:
        warm = 50  # mothers per way used to warm it (prepared statements, caches)
        per_way = count + warm
        parts = [range(n * per_way, (n + 1) * per_way) for n in range(3)]
        await register(runtime, range(3 * per_way))

        async def engine(mother: int) -> None:
            await runtime.handle(Inbound(channel="whatsapp", address=address(mother), text=ANSWER,
                                         msg_id=f"m-{mother}", at=runtime.clock.now()))

        async def core(mother: int) -> None:
            load, record, seen, move, reply = statements
            async with runtime.engine.begin() as conn:
                found = (await conn.execute(load, {"p1": "whatsapp",
                                                   "p2": address(mother)})).one()
                inbound = (await conn.execute(record, {
                    "p1": "whatsapp", "p2": f"m-{mother}", "p3": found[0], "p4": found[1],
                    "p5": ANSWER})).scalar_one()
                await conn.execute(seen, {"p1": found[0]})
                await conn.execute(move, {"p1": "stage", "p2": json.dumps({"name": ANSWER}),
                                          "p3": found[2]})
                await conn.execute(reply, {"p1": "whatsapp", "p2": address(mother),
                                           "p3": found[1], "p4": BODY, "p5": inbound})

        async def driver(mother: int) -> None:
            async with pool.acquire() as conn, conn.transaction():
                found = await conn.fetchrow(LOAD, "whatsapp", address(mother))
                assert found is not None
                inbound = await conn.fetchval(RECORD, "whatsapp", f"m-{mother}", found[0],
                                              found[1], ANSWER)
                await conn.execute(SEEN, found[0])
                await conn.execute(MOVE, "stage", json.dumps({"name": ANSWER}), found[2])
                await conn.fetchval(REPLY, "whatsapp", address(mother), found[1], BODY, inbound)

        lines = []
        for (name, way), mothers in zip((("engine", engine), ("core", core),
                                         ("driver", driver)), parts, strict=True):
            await run_all(mothers[:warm], way)
            lines.append(await measured(name, mothers[warm:], way))
    finally:
        await pool.close()
        await runtime.close()
    print(f"one answer's transaction on PostgreSQL, {CONCURRENCY} at a time, "
          f"{os.cpu_count()} cores")
    print("\n".join(lines))


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mothers", type=int, default=1500, help="mothers per way")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url, name = prepare_database(False, workdir)
        try:
            asyncio.run(main(args.mothers, url))
        finally:
            if name:
                asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    cli()
