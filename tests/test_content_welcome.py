"""The welcome series leaves out what her stage's own tips will soon tell her."""

from __future__ import annotations

import pytest

from messages.texts import ui_texts
from messages.tips import load_tips
from messages.welcome import welcome_keys

TIPS = {tip.key: tip for tip in load_tips()}


def test_every_welcome_text_names_tips_that_exist() -> None:
    for key, entry in ui_texts().items():
        assert all(k in TIPS for k in entry.covered_by), key
        assert entry.instead is None or entry.instead in ui_texts(), key


def test_on_the_day_of_birth_she_gets_the_greeting_and_only_her_own_danger_signs() -> None:
    assert welcome_keys("newborn", "child", 0, TIPS) == [
        "welcome.newborn.1", "welcome.newborn.2_mother"]


def test_on_day_3_the_feeding_text_waits_for_the_day_5_tip() -> None:
    assert welcome_keys("newborn", "child", 3, TIPS) == ["welcome.newborn.1", "welcome.newborn.2"]


@pytest.mark.parametrize(("band", "stage", "day"), [
    ("newborn", "child", 20), ("infant", "child", 120), ("child", "child", 400),
    ("pregnant", "pregnancy", -70),
])
def test_a_late_registrant_gets_the_whole_short_series(band: str, stage: str, day: int) -> None:
    assert welcome_keys(band, stage, day, TIPS) == [f"welcome.{band}.{n}" for n in (1, 2, 3)]


def test_at_pregnancy_week_20_the_danger_signs_come_as_the_week_21_tip() -> None:
    keys = welcome_keys("pregnant", "pregnancy", -140, TIPS)
    assert keys == ["welcome.pregnant.1", "welcome.pregnant.3"]
    assert TIPS["preg_w21_danger_signs"].offset_days == -133


def test_a_tip_already_behind_her_covers_nothing() -> None:
    # registering on day 45, the day-44 "only ASI" tip is never sent to her
    assert "welcome.infant.3" in welcome_keys("infant", "child", 45, TIPS)
    assert "welcome.infant.3" not in welcome_keys("infant", "child", 43, TIPS)
