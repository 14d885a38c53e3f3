"""Several web processes starting together on PostgreSQL: the one whose tip catalogue sync
loses the race tries again, so `asibot serve` starts instead of exiting on a duplicate key."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest

from bot.app import create_app
from bot.settings import load_settings
from flows.catalogue import tips_by_key

pytestmark = pytest.mark.postgres


async def _waiting_on_a_lock(admin: asyncpg.Connection, database: str) -> bool:
    count = await admin.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        database)
    return bool(count)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_serve_starts_while_another_process_syncs_the_catalogue(database_url: str) -> None:
    settings = load_settings(database_url=database_url, scheduler_enabled=False,
                             simulator_enabled=False, _env_file=None)
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    database = dsn.rsplit("/", 1)[1]
    catalogue = tips_by_key()
    key, tip = next(iter(catalogue.items()))
    other, admin = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    try:
        # the other process: its sync has inserted a tip row and not yet committed
        writing = other.transaction()
        await writing.start()
        await other.execute(
            "INSERT INTO tips (key, stage, offset_days, must_deliver, stale_after_days) "
            "VALUES ($1, $2, $3, $4, $5)",
            key, tip.stage, tip.offset_days, tip.must_deliver, tip.stale_after_days)
        app = create_app(settings, background=False)
        started = asyncio.Event()
        done = asyncio.Event()

        async def serve() -> int:
            async with app.router.lifespan_context(app):
                started.set()
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                             base_url="http://asibot.test") as http:
                    status = (await http.get("/healthz")).status_code
                await done.wait()
                return status

        serving = asyncio.create_task(serve())
        for _ in range(200):  # until this app's insert of the same key waits for the other
            if await _waiting_on_a_lock(admin, database) or serving.done():
                break
            await asyncio.sleep(0.05)
        assert await _waiting_on_a_lock(admin, database), "the two syncs did not overlap"
        await writing.commit()
        waiting = asyncio.create_task(started.wait())
        await asyncio.wait({serving, waiting}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if serving.done():
            serving.result()  # start-up failed: its exception, not a time-out
        assert started.is_set(), "the app did not start within 30 s"
        done.set()
        assert await asyncio.wait_for(serving, 30) == 200
        assert await admin.fetchval("SELECT count(*) FROM tips") == len(catalogue)
    finally:
        await other.close()
        await admin.close()
