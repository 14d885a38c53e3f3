"""The main menu: a tip now, her child's stage, a birth report, settings, a loss."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from db.models import Mother
from tests.test_onboarding import register


async def the_mother(runtime: Runtime) -> Mother:
    async with runtime.sessions() as session:
        return (await session.scalars(select(Mother))).one()


async def pregnant(phone: Any) -> Any:
    ibu = phone("sim:ibu-hamil")
    await register(ibu, "DAFTAR MAWAR1", "1", "Lia", "1", "hamil 8 bulan", "1", "9", "1")
    return ibu


async def test_menu_offers_a_birth_report_only_while_pregnant(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.send("menu")
    labels = [c["label"] for c in ibu.replies[0]["choices"]]
    assert "Lapor kelahiran" in labels and len(labels) == 6
    assert "usia kandungan" in await ibu.says("4")
    await ibu.says("MENU")
    assert "Kapan si kecil lahir" in await ibu.says("5")
    assert "Tersimpan" in await ibu.says("kemarin")
    lia = await the_mother(runtime)
    assert lia.stage == "postnatal" and lia.birth_date is not None
    assert lia.tips_from_day == 1, "child tips follow from the day she reported"
    await ibu.send("menu")
    assert "Lapor kelahiran" not in [c["label"] for c in ibu.replies[0]["choices"]]


async def test_tip_now_sends_the_tip_for_her_stage(runtime: Runtime, demo: Any, phone: Any) -> None:
    ibu = await pregnant(phone)
    await ibu.says("MENU")
    [tip] = await ibu.send("1")
    assert tip["kind"] == "tip" and len(tip["text"]) > 100


async def test_she_can_correct_her_due_date_and_change_language(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.says("MENU")
    await ibu.says("6")  # settings
    assert "HPL" in await ibu.says("3")
    assert "Tersimpan: 10 Januari 2027" in await ibu.says("10/01/2027")
    assert (await the_mother(runtime)).due_date.isoformat() == "2027-01-10"  # type: ignore[union-attr]
    await ibu.says("MENU")
    await ibu.says("6")
    await ibu.says("1")
    await ibu.says("english")
    assert "How can we help" in await ibu.says("MENU")


async def test_correcting_her_due_date_with_the_news_of_the_birth_is_the_birth_report(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.says("MENU")
    await ibu.says("6")  # settings
    assert "HPL" in await ibu.says("3")
    assert "balas 2" in await ibu.says("01/11/2026")
    assert "lahir" in (await ibu.says("2")).lower()
    await ibu.says("kemarin")
    assert (await the_mother(runtime)).stage == "postnatal"


async def test_a_loss_reported_from_the_menu_stops_everything_and_tells_her_cadre(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.says("MENU")
    await ibu.says("6")
    assert "kehilangan" in await ibu.says("4")
    answer = await ibu.send("1")
    assert any("berduka" in r["text"] for r in answer)
    assert any(r["to"] == "sim:kader-sari" for r in ibu.replies), "her cadre is told"
    assert (await the_mother(runtime)).status == "loss"


async def test_a_tip_hour_in_the_quiet_hours_from_the_menu_says_when_we_send(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.says("MENU")
    await ibu.says("6")
    await ibu.says("2")  # tip hour
    said = await ibu.says("23")
    assert "tidak mengganggu istirahat" in said and "tulis jamnya saja" not in said
    assert "jam 19.00" in await ibu.says("19")
    assert (await the_mother(runtime)).tip_hour == 19


async def test_a_message_for_her_cadre_is_a_message_and_names_who_really_gets_it(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-tanpa-kader")
    await register(ibu, "halo", "1", "Wulan", "2", "10/11/2026", "1", "tidak tahu", "8", "1")
    await ibu.says("MENU")
    assert "bidan" in (await ibu.says("3")).lower()
    said = await ibu.send("bu bidan, kapan jadwal posyandu bulan ini?")
    mine = "\n".join(r["text"] for r in said)
    assert "Bidan Rina" in mine and "ke kader" not in mine
    [alert] = [r for r in ibu.replies if r["to"] == "sim:bidan-rina"]
    assert "Kasus baru" not in alert["text"] and "pertanyaan" not in alert["text"]
    assert "Pesan" in alert["text"] and "Wulan" in alert["text"]
