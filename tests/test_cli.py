"""The `asibot` command an IT volunteer uses: help everywhere, operators, settings errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.settings import SettingsError, load_settings
from db.migrate import upgrade


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", all_commands(main), ids=" ".join)
def test_every_subcommand_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_cadre_and_staff_are_added_with_invite_codes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/ops.db"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    added = runner.invoke(main, ["cadre", "add", "--name", "Bu Sari", "--posyandu", "Mawar",
                                 "--whatsapp", "+6281234567890", "--code", "MAWAR1"])
    assert added.exit_code == 0, added.output
    record = json.loads(added.output)
    assert (record["name"], record["posyandu"], record["invite_code"]) == ("Bu Sari", "Mawar",
                                                                         "MAWAR1")
    midwife = runner.invoke(main, ["staff", "add", "--name", "Bidan Rina", "--role", "midwife",
                                   "--telegram", "123456"])
    assert midwife.exit_code == 0, midwife.output
    assert json.loads(midwife.output)["invite_code"]
    again = runner.invoke(main, ["cadre", "add", "--name", "X", "--posyandu", "Mawar",
                                 "--simulator", "sim:x", "--code", "mawar1"])
    assert again.exit_code != 0 and "already in use" in again.output
    bad = runner.invoke(main, ["cadre", "add", "--name", "Y", "--posyandu", "Mawar",
                               "--whatsapp", "0812"])
    assert bad.exit_code != 0 and "E.164" in bad.output
    demo = runner.invoke(main, ["demo-data"])
    assert demo.exit_code == 0 and "Bidan Rina" in demo.output


def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path: Path) -> None:
    env = {**os.environ, "TIMEZONE": "Mars/Olympus", "DATABASE_URL": "sqlite+aiosqlite:///x.db"}
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TIMEZONE" in lines[0], result.stderr


@pytest.mark.parametrize(("variable", "value"), [
    ("LOG_LEVEL", "LOUD"),
    ("TWILIO_TEMPLATES", "notjson"),
    ("TWILIO_WHATSAPP_FROM", "0812"),
    ("TWILIO_API_BASE_URL", "ftp:x"),
    ("TELEGRAM_API_BASE_URL", "api.telegram.org"),
    ("QUIET_HOURS_START", "25"),
    ("SLA_URGENT_MINUTES", "soon"),
])
def test_each_bad_setting_is_named_in_one_line(variable: str, value: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None)
    message = str(raised.value)
    assert variable in message and "\n" not in message and "Value error" not in message


def test_a_whatsapp_sender_may_be_written_with_its_channel_prefix() -> None:
    settings = load_settings(twilio_whatsapp_from="whatsapp:+6281100000000", log_level="debug",
                             _env_file=None)
    assert settings.log_level == "DEBUG"
