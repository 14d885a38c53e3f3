"""What reaches a log file: never a phone number, a chat id or a message text, at any level.

A traceback is the easy way to leak: SQLAlchemy puts a statement's bound values in its
exceptions' text, and PostgreSQL's own DETAIL quotes a duplicate key, or a whole failing
row, whatever the driver is told.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
NUMBER = "+6281234567890"

# a heartbeat that fails on a database error, in a process set up as `asibot worker` is
_FAILING_BEAT = """
import asyncio, logging, sys
from datetime import UTC, datetime
from sqlalchemy import bindparam, text
from bot.logging import setup_logging
from db.session import make_engine
from db.types import UTCDateTime

setup_logging("DEBUG")
log = logging.getLogger("scheduler.jobs")

async def beat(url: str, number: str) -> None:
    engine = make_engine(url)
    insert = text("INSERT INTO identities (channel, address, created_at) "
                  "VALUES ('whatsapp', :address, :at)").bindparams(
                      bindparam("at", type_=UTCDateTime()))
    values = {"address": number, "at": datetime(2026, 11, 28, tzinfo=UTC)}
    try:
        for _ in range(2):  # the second one breaks the unique (channel, address)
            async with engine.begin() as conn:
                await conn.execute(insert, values)
    except Exception:
        log.exception("heartbeat failed")
    await engine.dispose()

asyncio.run(beat(sys.argv[1], sys.argv[2]))
"""


def test_a_database_error_is_logged_with_its_traceback_but_without_her_number(
        database_url: str) -> None:
    # Bu Bidan's IT volunteer reads the worker's log after a failed beat: he sees where it
    # failed and which constraint, not the number of the mother it was about
    done = subprocess.run([sys.executable, "-c", _FAILING_BEAT, database_url, NUMBER],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    log = done.stdout + done.stderr
    assert "heartbeat failed" in log and "Traceback" in log, log
    assert "IntegrityError" in log, log
    assert NUMBER.lstrip("+") not in log, log


def test_serve_hands_uvicorns_logs_to_ours_without_access_lines(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # uvicorn's own logging config would print an error's traceback with its message, and
    # an access line carries the path and query (a dashboard sign-in token)
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/serve.db")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    assert seen["log_config"] is None, "uvicorn's loggers go through our formatter"
    assert seen["access_log"] is False
