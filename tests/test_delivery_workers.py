"""Three worker processes, one PostgreSQL, one fake provider: nothing doubled, nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from db.models import Lease, Outbox
from db.session import make_engine
from tests.fake_provider import FakeProvider

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = 10_000
pytestmark = [pytest.mark.postgres, pytest.mark.slow]


async def _fill(url: str) -> None:
    engine = make_engine(url)
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {"channel": "simulator" if n % 3 else "telegram", "address": f"sim:ibu-{n % 700}",
             "text": f"pesan {n}", "choices": [], "kind": "tip", "status": "pending",
             "attempts": 0, "not_before": now, "created_at": now} for n in range(MESSAGES)]
    async with engine.begin() as conn:
        for start in range(0, MESSAGES, 2000):
            await conn.execute(insert(Outbox), rows[start:start + 2000])
    await engine.dispose()


async def _query(url: str, statement: Any) -> list[Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(statement)).all())
    finally:
        await engine.dispose()


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_three_workers_deliver_10000_once_each_even_when_the_leader_is_killed(
    database_url: str,
) -> None:
    asyncio.run(_fill(database_url))
    with FakeProvider() as provider:
        env = {**os.environ, "DATABASE_URL": database_url, "FAKE_PROVIDER_URL": provider.url,
               "FAKE_CHANNELS": "simulator,telegram", "LEASE_SECONDS": "4", "LEADER_TTL": "2",
               "LOG_LEVEL": "WARNING"}
        workers = {f"w{n}": subprocess.Popen(
            [sys.executable, "-m", "tests.fake_provider"], cwd=ROOT,
            env={**env, "WORKER_ID": f"w{n}"}, stdout=subprocess.DEVNULL)
            for n in range(3)}
        try:
            assert _wait(lambda: len(provider.accepted) >= MESSAGES // 4, 60), "no progress"
            leaders = asyncio.run(_query(database_url, select(Lease.name, Lease.holder)))
            holder = {name: who for name, who in leaders}["send:simulator"]
            workers[holder].send_signal(signal.SIGKILL)  # mid-run, with sends in flight
            at_kill = len(provider.accepted)
            assert at_kill < MESSAGES
            assert _wait(lambda: len(provider.accepted) >= MESSAGES, 90), \
                f"only {len(provider.accepted)} delivered"
            sent = asyncio.run(_query(database_url, select(Outbox.status, func.count())
                                      .group_by(Outbox.status)))
        finally:
            for process in workers.values():
                if process.poll() is None:
                    process.terminate()
            for process in workers.values():
                process.wait(timeout=15)
    assert {status: n for status, n in sent} == {"sent": MESSAGES}
    assert len(provider.accepted) == MESSAGES and set(provider.accepted.values()) == {1}
    print(f"killed {holder} after {at_kill} messages; "
          f"{sum(provider.resends.values())} in-flight sends repeated (idempotency key)")
