"""Fixtures: a migrated database on SQLite and on PostgreSQL, a fake clock, the app,
a demo puskesmas, and a `Phone` that chats through the simulator API like a mother would."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.operators import load_demo_data
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, load_settings
from db.migrate import upgrade
from scheduler.clock import FakeClock

PG_ADMIN_URL = os.environ.get("ASIBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# 10:00 WIB on a Saturday: daytime in Jakarta
START = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def _pg_dsn(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


async def _pg_admin(*statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; each test gets a fresh copy of it."""
    try:
        asyncio.run(_pg_admin("SELECT 1"))
    except Exception as exc:  # noqa: BLE001  (any failure to connect means: no server)
        message = f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}); " \
                  "start it or set ASIBOT_TEST_PG"
        if IN_CI:
            pytest.fail(message + " — CI=true requires the PostgreSQL tests to run")
        pytest.skip(message)
    name = f"asibot_tpl_{os.getpid()}"
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'))
    upgrade(_pg_dsn(name).replace("postgresql://", "postgresql+asyncpg://"))
    yield name
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A migrated, empty database on each engine."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/asibot.db"
        upgrade(url)
        yield url
        return
    template = request.getfixturevalue("pg_template")
    name = f"asibot_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _pg_dsn(name).replace("postgresql://", "postgresql+asyncpg://")
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def clock() -> FakeClock:
    """Virtual time, starting on a Saturday morning in Jakarta."""
    return FakeClock(START)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for a test deployment on the given database."""
    return load_settings(database_url=database_url, puskesmas_name="Puskesmas Taman Baca",
                         puskesmas_phone="0711-123456", scheduler_enabled=False,
                         _env_file=None)


@pytest.fixture
async def runtime(settings: Settings, clock: FakeClock) -> AsyncIterator[Runtime]:
    """The system on a fresh database with the tip catalogue synced."""
    built = build_runtime(settings, clock)
    await built.sync_catalogue()
    yield built
    await built.close()


@pytest.fixture
async def demo(runtime: Runtime) -> list[dict[str, Any]]:
    """Posyandu Mawar (Bu Sari, backup Bu Wati), Posyandu Melati (Bu Nur), Bidan Rina."""
    async with runtime.sessions() as session, session.begin():
        return await load_demo_data(session, runtime.clock.now(), runtime.settings.puskesmas_name)


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the real ASGI app (no background jobs: tests move the clock)."""
    app = create_app(runtime=runtime, background=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://asibot.test") as http:
        yield http


@dataclass
class Phone:
    """Someone chatting through the simulator API, as the web page does."""

    http: httpx.AsyncClient
    address: str
    replies: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, text: str, msg_id: str | None = None) -> list[dict[str, Any]]:
        """Send a message; returns the replies to this phone (alerts to others are kept too)."""
        body: dict[str, Any] = {"from": self.address, "text": text}
        if msg_id:
            body["id"] = msg_id
        response = await self.http.post("/simulator/messages", json=body)
        assert response.status_code == 200, response.text
        self.replies = response.json()["replies"]
        return [r for r in self.replies if r["to"] == self.address]

    async def says(self, text: str) -> str:
        """Send a message and return everything said back to this phone, joined."""
        return "\n".join(r["text"] for r in await self.send(text))

    async def inbox(self, after: int = 0) -> list[dict[str, Any]]:
        """Everything delivered to this phone after an id."""
        response = await self.http.get("/simulator/messages",
                                       params={"to": self.address, "after": after})
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages


@pytest.fixture
def phone(client: httpx.AsyncClient) -> Any:
    """Make a phone: `phone("sim:ibu-1")`."""
    return lambda address: Phone(client, address)
