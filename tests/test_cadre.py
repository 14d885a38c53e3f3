"""The cadre's side: commands in Indonesian and English, and a thread that keeps the night quiet;
the menu's ways to a person."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from db.models import Case
from flows.cadre import Command, parse
from tests.test_cases import LATCH, SARI, register_siti, to

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("KASUS", Command("cases")),
        ("cases", Command("cases")),
        ("AMBIL 12", Command("take", 12)),
        ("take #12", Command("take", 12)),
        ("BALAS 12 sore ini sy mampir", Command("reply", 12, "sore ini sy mampir")),
        ("reply 3 hello", Command("reply", 3, "hello")),
        ("BALAS 12", Command("reply", 12)),
        ("SELESAI", Command("resolve")),
        ("selesai 12", Command("resolve", 12)),
        ("SELESAI 12 sudah dikunjungi", Command("resolve", 12, "sudah dikunjungi")),
        ("done sudah membaik", Command("resolve", None, "sudah membaik")),
        ("SERAHKAN 12", Command("handover", 12)),
        ("handover 12", Command("handover", 12)),
        ("IBU", Command("mothers")),
        ("my mothers", Command("mothers")),
        ("BANTUAN", Command("help")),
    ],
)
def test_cadre_commands_read_in_indonesian_and_english(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize("text", ["Ambil ASI perah 2 kali ya Bun", "ibu sehat?", "balas ya"])
def test_ordinary_sentences_to_a_mother_are_not_commands(text: str) -> None:
    assert parse(text) is None


async def test_mothers_late_reply_waits_for_the_morning_before_reaching_her_cadre(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says(LATCH)
    await sari.send("1")
    clock.set(datetime(2026, 11, 28, 23, 0, tzinfo=WIB))
    await ibu.send("bu, masih perih sedikit")
    [relay] = to(ibu, SARI)
    assert relay["at"] == datetime(2026, 11, 29, 6, 0, tzinfo=WIB).astimezone(UTC).isoformat()


async def test_more_words_about_an_open_problem_reach_the_cadre(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says(LATCH)
    answer = await ibu.says("bu nanti sore sy di rumah ya, kiri jg mulai perih")
    assert "Bu Sari" in answer
    [passed] = to(ibu, SARI)
    assert passed["text"] == "Bunda Siti (#1): bu nanti sore sy di rumah ya, kiri jg mulai perih"


async def test_menu_contact_my_cadre_sends_her_message_as_a_message_for_her_cadre(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says("MENU")
    assert "Bu Sari" in await ibu.says("3")
    answer = await ibu.says("bu, posyandu bulan ini tanggal berapa?")
    assert "Bu Sari sudah kami kabari" in answer
    [alert] = to(ibu, SARI)
    assert "Pesan" in alert["text"] and "posyandu bulan ini" in alert["text"]
    assert "Kasus baru" not in alert["text"]


async def test_menu_problem_step_triages_her_words_and_unclear_ones_become_a_question(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says("MENU")
    assert "kata-kata" in await ibu.says("2")
    await ibu.says("si kecil rewel terus dari kemarin")
    await ibu.says("MENU")
    await ibu.says("2")
    assert "AMBiDa" in await ibu.says("puting sy lecet")
    async with runtime.sessions() as session:
        labels = list((await session.scalars(select(Case.label).order_by(Case.id))).all())
    assert labels == ["question", "latch_pain"]
