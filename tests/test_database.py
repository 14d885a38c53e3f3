"""The migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import bindparam, inspect, text

from bot.runtime import Runtime
from db.migrate import downgrade, upgrade
from db.models import Base
from db.session import make_engine
from db.types import UTCDateTime


async def test_migrations_and_models_agree(runtime: Runtime) -> None:
    def differences(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with runtime.engine.connect() as conn:
        diff = await conn.run_sync(differences)
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert diff == [], f"models and migrations differ: {diff}"
    assert {"mothers", "identities", "consents", "conversations", "inbound_messages", "outbox",
            "cases", "reminders", "answers", "staff", "posyandu", "puskesmas"} <= tables


def test_0006_gives_registration_rows_their_mother_and_forgets_old_telegram_ids(
        database_url: str) -> None:
    # a deployment from before 0006: Ibu Ani's registration questions carry no mother id,
    # and a refused stranger's Telegram message id still spells out her chat id
    downgrade(database_url, "0005")
    at = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    rows = {"at": at}
    statements = [
        "INSERT INTO mothers (id, name, lang, tz, tip_hour, stage, status, tips_from_day, "
        "unreachable, failure_days, created_at) VALUES (1, 'Ani', 'id', 'Asia/Jakarta', 8, "
        "'pregnant', 'active', 0, false, '[]', :at)",
        "INSERT INTO identities (channel, address, mother_id, created_at) "
        "VALUES ('simulator', 'sim:ani', 1, :at)",
        "INSERT INTO outbox (channel, address, text, choices, kind, status, attempts, "
        "not_before, created_at) VALUES ('simulator', 'sim:ani', 'Salam kenal, Bunda Ani', "
        "'[]', 'reply', 'sent', 1, :at, :at)",
        "INSERT INTO outbox (channel, address, text, choices, kind, status, attempts, "
        "not_before, created_at) VALUES ('telegram', '700123456', 'Baik.', '[]', 'reply', "
        "'sent', 1, :at, :at)",
        "INSERT INTO inbound_messages (channel, msg_id, at) VALUES ('telegram', "
        "'m:700123456:2', :at)",
    ]

    async def write_then_read(write: bool) -> list[Any]:
        engine = make_engine(database_url)
        async with engine.begin() as conn:
            if write:
                for statement in statements:
                    await conn.execute(text(statement).bindparams(
                        bindparam("at", type_=UTCDateTime())), rows)
                found: list[Any] = []
            else:
                found = [
                    (await conn.execute(text(
                        "SELECT address, mother_id FROM outbox ORDER BY id"))).all(),
                    (await conn.execute(text("SELECT msg_id FROM inbound_messages"))).all()]
        await engine.dispose()
        return found

    asyncio.run(write_then_read(True))
    upgrade(database_url)
    outbox, inbound = asyncio.run(write_then_read(False))
    assert [tuple(row) for row in outbox] == [("sim:ani", 1), ("700123456", None)]
    assert inbound == []
