"""A mother's whole journey through the tips, as `asibot content timeline` prints it."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli_content import content
from messages.timeline import journey
from messages.tips import load_tips

BORN = date(2026, 1, 15)
DUE = date(2026, 6, 1)


def test_a_mother_registered_at_birth_gets_day_0_on_the_birth_date_at_8() -> None:
    entries = journey(load_tips(), born=BORN)
    first = entries[0]
    assert (first.date, first.at.strftime("%H:%M"), first.day) == (BORN, "08:00", 0)
    assert str(first.at.tzinfo) == "Asia/Jakarta"
    assert all(e.stage == "child" for e in entries)
    assert entries[-1].date <= BORN + timedelta(days=730)


def test_she_gets_at_most_one_tip_a_day_in_date_order() -> None:
    entries = journey(load_tips(), born=BORN)
    dates = [e.date for e in entries]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


def test_her_first_week_is_daily_and_day_3_is_the_jaundice_warning() -> None:
    first_week = [e for e in journey(load_tips(), born=BORN) if e.day <= 7]
    assert [e.day for e in first_week] == list(range(8))
    day3 = first_week[3]
    assert day3.topic == "jaundice" and day3.must_deliver and "kuning" in day3.text


def test_a_pregnant_mother_starts_at_week_20_and_stops_pregnancy_tips_at_birth() -> None:
    entries = journey(load_tips(), due=DUE)
    assert entries[0].stage == "pregnancy" and entries[0].date == DUE - timedelta(days=140)
    pregnancy = [e for e in entries if e.stage == "pregnancy"]
    assert len(pregnancy) == 20  # weeks 20..39; from the due date the child is "born"
    assert all(e.date < DUE for e in pregnancy)
    child = [e for e in entries if e.stage == "child"]
    assert child[0].date == DUE and child[0].day == 0


def test_an_early_birth_cuts_pregnancy_tips_short() -> None:
    entries = journey(load_tips(), due=DUE, born=DUE - timedelta(days=20))
    assert max(e.date for e in entries if e.stage == "pregnancy") < DUE - timedelta(days=20)


def test_hour_and_language_are_hers() -> None:
    entries = journey(load_tips(), born=BORN, lang="en", hour=19)
    assert entries[0].at.hour == 19 and "Congratulations" in entries[0].text


def test_a_journey_needs_a_date() -> None:
    with pytest.raises(ValueError):
        journey(load_tips())


def test_cli_prints_one_line_per_tip() -> None:
    result = CliRunner().invoke(content, ["timeline", "--born", "2026-01-15"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert re.match(r"^2026-01-15 08:00  day 0  newborn_d00_imd_colostrum  \S", first)
    assert len(first.split("  ", 3)[3]) <= 70


def test_cli_json_has_date_time_key_stage_day_and_text() -> None:
    result = CliRunner().invoke(
        content, ["timeline", "--due", "2026-06-01", "--json", "--lang", "en", "--hour", "7"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"date", "time", "key", "stage", "day", "text"} <= rows[0].keys()
    assert rows[0] | {"text": ""} == rows[0] | {
        "date": "2026-01-12",
        "time": "07:00",
        "stage": "pregnancy",
        "day": -140,
        "text": "",
    }
    assert rows[-1]["stage"] == "child" and rows[-1]["day"] <= 730


def test_cli_without_a_date_is_a_usage_error() -> None:
    result = CliRunner().invoke(content, ["timeline"])
    assert result.exit_code == 2 and "--born" in result.output


def test_cli_rejects_a_bad_date() -> None:
    result = CliRunner().invoke(content, ["timeline", "--born", "15/01/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_cli_shows_a_tip_hour_inside_quiet_hours_at_the_end_of_them() -> None:
    # The scheduler holds a 22:00 tip to 06:00 on the same local day (quiet 21:00-06:00).
    result = CliRunner().invoke(content, ["timeline", "--born", "2026-01-15", "--hour", "22",
                                          "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {(r["time"]) for r in rows} == {"06:00"}
    assert rows[0]["date"] == "2026-01-15" and rows[0]["at"].startswith("2026-01-15T06:00")


def test_cli_uses_the_schedulers_own_rule_for_the_quiet_hours(monkeypatch: Any) -> None:
    import bot.cli_content as cli

    calls: list[tuple[int, int, int]] = []
    real = cli.effective_hour

    def spy(hour: int, quiet_start: int, quiet_end: int) -> int:
        calls.append((hour, quiet_start, quiet_end))
        return real(hour, quiet_start, quiet_end)

    monkeypatch.setattr(cli, "effective_hour", spy)
    result = CliRunner().invoke(content, ["timeline", "--born", "2026-01-15", "--hour", "22",
                                          "--quiet-start", "23", "--quiet-end", "5"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0] == (22, 23, 5)
    assert result.output.splitlines()[0].startswith("2026-01-15 22:00")


def test_an_hour_outside_quiet_hours_is_kept() -> None:
    result = CliRunner().invoke(content, ["timeline", "--born", "2026-01-15", "--hour", "20"])
    assert result.output.splitlines()[0].startswith("2026-01-15 20:00")


def test_journey_takes_the_send_hour_rule_it_is_given() -> None:
    entries = journey(load_tips(), born=BORN, hour=23, send_hour=lambda hour: 7)
    assert {e.at.hour for e in entries} == {7}
