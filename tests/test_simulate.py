"""`asibot simulate` runs the system in virtual time and reports what was delivered."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli import main


@pytest.mark.slow
def test_simulate_prints_one_json_object_with_no_duplicates_and_no_quiet_hour_tips(
    tmp_path: object,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/sim.db"
    result = CliRunner().invoke(main, ["simulate", "--mothers", "20", "--days", "30", "--seed",
                                       "1", "--json", "--database-url", url])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    for key in ("mothers", "tips_sent", "duplicates", "longest_gap_days", "checkins_sent",
                "reminders_sent"):
        assert key in figures
    assert figures["mothers"] == 20
    assert figures["duplicates"] == 0
    assert figures["tips_in_quiet_hours"] == 0
    assert figures["tips_sent"] >= 20 * 4  # at least weekly for everyone
    assert figures["longest_gap_days"] <= 7.5
    assert figures["checkins_sent"] > 0 and figures["reminders_sent"] > 0


def test_simulate_prints_figures_for_people() -> None:
    result = CliRunner().invoke(main, ["simulate", "--mothers", "3", "--days", "2"])
    assert result.exit_code == 0, result.output
    assert "duplicates         0" in result.output
