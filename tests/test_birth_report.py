"""A pregnant mother tells us in her own words that the baby has come: she is taken into
the birth report, the date read from her words is confirmed before it is saved, and
nothing of this happens for a loss. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from db.models import Mother
from tests.test_menu import pregnant
from tests.test_onboarding import register

TODAY = date(2026, 11, 28)  # the fixtures' clock: Saturday morning in Jakarta


async def the_mother(runtime: Runtime) -> Mother:
    async with runtime.sessions() as session:
        return (await session.scalars(select(Mother))).one()


async def test_alhamdulillah_sudah_lahir_kemarin_is_a_birth_report_confirmed_before_saving(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    confirm = await ibu.says("alhamdulillah bayi saya sudah lahir kemarin")
    assert "Selamat" in confirm and "27 November 2026" in confirm and "Betul?" in confirm
    assert "sekitar" not in confirm, "she named the day: no 'about'"
    assert (await the_mother(runtime)).stage == "pregnant", "nothing is saved before her yes"
    assert "Tersimpan" in await ibu.says("1")
    lia = await the_mother(runtime)
    assert (lia.stage, lia.birth_date) == ("postnatal", date(2026, 11, 27))


async def test_dedek_udah_lahir_td_pagi_reads_today_and_ubah_asks_the_date(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    confirm = await ibu.says("dedek udah lahir td pagi")
    assert "28 November 2026" in confirm
    assert "Kapan si kecil lahir" in await ibu.says("ubah")
    assert "Tersimpan" in await ibu.says("26/11/2026")
    assert (await the_mother(runtime)).birth_date == date(2026, 11, 26)


async def test_birth_news_without_a_date_asks_when(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    assert "Kapan si kecil lahir" in await ibu.says("bayi saya sudah lahir bun")
    assert "Tersimpan" in await ibu.says("kemarin")
    assert (await the_mother(runtime)).stage == "postnatal"


async def test_english_birth_news_is_understood(runtime: Runtime, demo: Any, phone: Any) -> None:
    mum = phone("sim:mum-born")
    await register(mum, "DAFTAR MAWAR1", "3", "yes", "Maya", "pregnant", "36 weeks", "1",
                   "9", "save")
    confirm = await mum.says("the baby was born this morning")
    assert "Congratulations" in confirm and "28 November 2026" in confirm
    assert "Saved" in await mum.says("yes")
    assert (await the_mother(runtime)).stage == "postnatal"


async def test_a_question_about_after_the_birth_is_not_a_birth_report(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    said = await ibu.says("kalau bayi sudah lahir boleh langsung disusui?")
    assert "Selamat" not in said
    assert (await the_mother(runtime)).stage == "pregnant"


async def test_a_stillbirth_in_her_own_words_is_never_a_birth_report(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    said = await ibu.says("bayi saya sudah lahir kemarin tapi meninggal")
    assert "Selamat" not in said and "berduka" in said
    lia = await the_mother(runtime)
    assert (lia.status, lia.stage) == ("loss", "pregnant")
