"""Delivery rate against a local fake provider, as a fraction of the configured cap.

    python bench/delivery.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
        --messages 4000 --rate 80 --latency 0.05

Prints messages/second achieved and the ratio to --rate. The fake provider answers
after --latency seconds (an in-process transport; no HTTP), so the figure is the
sender's own overhead: claiming, pacing, recording each outcome.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select, text  # noqa: E402

from db.migrate import upgrade  # noqa: E402
from db.models import Outbox  # noqa: E402
from db.session import make_engine, make_sessionmaker  # noqa: E402
from scheduler.clock import SystemClock  # noqa: E402
from scheduler.delivery import Deliverer, DeliveryConfig  # noqa: E402
from scheduler.transport import OutgoingMessage  # noqa: E402


class SlowProvider:
    channel = "whatsapp"

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.count = 0

    async def send(self, message: OutgoingMessage) -> str | None:
        await asyncio.sleep(self.latency)
        self.count += 1
        return f"p-{message.outbox_id}"

    async def close(self) -> None:
        return None


async def main(url: str, messages: int, rate: float, latency: float, chats: int) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM outbox"))
        await conn.execute(text("DELETE FROM identities"))
        await conn.execute(text("DELETE FROM leases"))
        rows = [{"channel": "whatsapp", "address": f"+62812{n:07d}", "text": f"tip {n}",
                 "choices": [], "kind": "reply", "status": "pending", "attempts": 0,
                 "not_before": now, "created_at": now} for n in range(messages)]
        for start in range(0, messages, 2000):
            await conn.execute(insert(Outbox), rows[start:start + 2000])
        await conn.execute(text("INSERT INTO identities (channel, address, last_inbound_at, "
                                "created_at) SELECT DISTINCT channel, address, :now, :now "
                                "FROM outbox").bindparams(now=now.replace(tzinfo=None)))
    provider = SlowProvider(latency)
    config = DeliveryConfig(rates={"whatsapp": rate}, idle_seconds=0.05)
    deliverer = Deliverer({"whatsapp": provider}, sessions, SystemClock(), config)
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(deliverer.run(stop))
    while provider.count < messages:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    async with sessions() as session:
        sent = await session.scalar(select(func.count()).where(Outbox.status == "sent"))
    await engine.dispose()
    achieved = messages / elapsed
    print(f"{engine.dialect.name}: {messages} messages in {elapsed:.2f} s = {achieved:.1f}/s; "
          f"cap {rate:g}/s; {achieved / rate:.1%} of the cap; provider latency {latency}s; "
          f"rows marked sent {sent}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite+aiosqlite:///./bench-delivery.db")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=80.0)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--chats", type=int, default=0)
    args = parser.parse_args()
    upgrade(args.database_url)
    asyncio.run(main(args.database_url, args.messages, args.rate, args.latency, args.chats))
