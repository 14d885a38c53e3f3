"""Where to go in an emergency reads well whatever the deployment set: the puskesmas and the
emergency department with the numbers that are known, 119 always, nothing broken (`(-)`)
when a number is not set, and no Indonesian default inside an English text."""

from __future__ import annotations

from typing import Any

import pytest

from bot.settings import Settings, load_settings
from flows import cases, places
from flows.triage import URGENT_LABELS
from flows.types import FlowConfig
from tests.test_cases import SARI, local, to

WITH_PHONES = {"puskesmas_phone": "0711-123456", "emergency_phone": "0711-5555"}
DEFAULTS: dict[str, str] = {}


@pytest.fixture
def settings(request: pytest.FixtureRequest, database_url: str) -> Settings:
    """The test deployment, with the phones the test asks for (none: the defaults)."""
    extra = getattr(request, "param", DEFAULTS)
    return load_settings(database_url=database_url, puskesmas_name="Puskesmas Taman Baca",
                         scheduler_enabled=False, _env_file=None, **extra)


async def emergency_at_night(phone: Any, clock: Any, lang: str) -> tuple[str, str]:
    """She registers (in `lang`) from Bu Sari's invite; at 2 a.m. her baby has a seizure."""
    ibu = phone(f"sim:ibu-{lang}")
    consent = ("1",) if lang == "id" else ("3", "1")  # English is the consent's third choice
    for line in ("DAFTAR MAWAR1", *consent, "Siti", "2", "3 minggu yg lalu", "1", "8", "1"):
        await ibu.send(line)
    clock.set(local(29, 2))
    answer = await ibu.says("dedek kejang dari tadi")
    [alert] = to(ibu, SARI)
    return answer, alert["text"]


@pytest.mark.parametrize("settings", [WITH_PHONES], indirect=True)
async def test_with_both_numbers_set_she_reads_both_and_119(
    demo: Any, phone: Any, clock: Any
) -> None:
    answer, alert = await emergency_at_night(phone, clock, "id")
    assert answer.startswith("SEGERA")
    assert "IGD RS terdekat (0711-5555)" in answer
    assert "Puskesmas Taman Baca (0711-123456)" in answer and "119" in answer
    assert "IGD RS terdekat (0711-5555)" in alert and "(0711-123456)" in alert


@pytest.mark.parametrize("settings", [WITH_PHONES], indirect=True)
async def test_in_english_the_emergency_department_is_named_in_english(
    demo: Any, phone: Any, clock: Any
) -> None:
    answer, _ = await emergency_at_night(phone, clock, "en")
    assert "the nearest hospital emergency department (0711-5555)" in answer
    assert "Puskesmas Taman Baca (0711-123456)" in answer and "119" in answer
    assert "IGD" not in answer and "terdekat" not in answer


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_with_no_numbers_set_nothing_reads_broken(
    demo: Any, phone: Any, clock: Any, lang: str
) -> None:
    answer, alert = await emergency_at_night(phone, clock, lang)
    for said in (answer, alert):
        assert "(-)" not in said and "()" not in said and " - " not in said.split("\n")[0]
        assert "Puskesmas Taman Baca" in said
    assert "119" in answer
    if lang == "en":
        assert "IGD" not in answer and "the nearest hospital emergency department" in answer
    else:
        assert "IGD RS terdekat atau Puskesmas Taman Baca sekarang" in answer


async def test_help_and_a_mother_with_no_cadre_get_a_number_that_works(
    demo: Any, phone: Any
) -> None:
    stranger = phone("sim:ibu-bantuan")
    help_text = await stranger.says("BANTUAN")
    assert "119" in help_text and ": -" not in help_text


@pytest.mark.parametrize(
    ("config", "lang", "expected"),
    [
        (FlowConfig(puskesmas_name="Puskesmas X"), "id", ("IGD RS terdekat", "Puskesmas X")),
        (FlowConfig(puskesmas_name="Puskesmas X"), "en",
         ("the nearest hospital emergency department", "Puskesmas X")),
        (FlowConfig(puskesmas_name="Puskesmas X", puskesmas_phone="0711-1",
                    emergency_name="IGD RSUD Bari", emergency_phone="0711-2"), "en",
         ("IGD RSUD Bari (0711-2)", "Puskesmas X (0711-1)")),
    ],
)
def test_one_place_builds_the_names_and_numbers(
    config: FlowConfig, lang: str, expected: tuple[str, str]
) -> None:
    assert (places.emergency(config, lang), places.puskesmas(config, lang)) == expected
    assert places.call_phone(config, lang) == (config.puskesmas_phone or
                                               places.call_phone(FlowConfig(), lang))
    for label in sorted(URGENT_LABELS):
        said = cases.guidance(label, lang, config)
        assert expected[0] in said and expected[1] in said and "119" in said
