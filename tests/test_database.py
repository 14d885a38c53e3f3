"""The migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.runtime import Runtime
from db.models import Base


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
