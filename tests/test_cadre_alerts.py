"""The choices under an alert (take, reply, resolve, hand over) act on the case they were
shown with; a typed number with several cases open asks which; after handing a case over
a cadre is out of it, and told kindly who has it now. Through the simulator API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from db.models import Case
from tests.test_cases import LATCH, RINA, SARI, register_siti, to

KEJANG = "dedek kejang dari tadi"


async def register(phone: Any, address: str, name: str) -> Any:
    ibu = phone(address)
    for line in ("DAFTAR MAWAR1", "1", name, "udh lahir", "3 minggu yg lalu", "1",
                 "pagi aja", "1"):
        await ibu.send(line)
    return ibu


async def the_cases(runtime: Runtime) -> list[Case]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Case).order_by(Case.id))).all())


async def test_an_alert_offers_take_reply_resolve_and_hand_over_and_resolve_works(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.send(LATCH)
    [alert] = to(ibu, SARI)
    assert [c["label"] for c in alert["choices"]] == [
        "Saya tangani", "Balas ke Bunda Siti", "Selesai", "Serahkan ke bidan"]
    sari = phone(SARI)
    done = await sari.says("3")
    assert "selesai" in done.lower() and "Siti" in done
    [closed] = to(sari, "sim:ibu-siti")
    assert "menutup" in closed["text"]
    [case] = await the_cases(runtime)
    assert case.status == "resolved"


async def test_a_typed_number_with_two_open_alerts_asks_which_and_the_command_picks_it(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    dina = await register(phone, "sim:ibu-dina", "Dina")
    lia = await register(phone, "sim:ibu-lia", "Lia")
    await dina.send(KEJANG)
    await lia.send(LATCH)
    dina_case, lia_case = await the_cases(runtime)
    sari = phone(SARI)
    which = await sari.says("1")
    assert "Kasus yang mana" in which
    assert f"#{dina_case.id}" in which and f"#{lia_case.id}" in which
    assert f"AMBIL {dina_case.id}" in which
    assert [c.status for c in await the_cases(runtime)] == ["open", "open"], "nothing taken"
    taken = await sari.says(f"AMBIL {dina_case.id}")
    assert "Dina" in taken
    await sari.send("Bunda Dina, sy ke rumah sekarang")
    assert [r["text"] for r in to(sari, "sim:ibu-dina")] == [
        "Bu Sari: Bunda Dina, sy ke rumah sekarang"]
    assert not to(sari, "sim:ibu-lia")
    dina_case, lia_case = await the_cases(runtime)
    assert (dina_case.status, lia_case.status) == ("taken", "open")


async def test_a_typed_number_with_one_case_waiting_acts_on_that_case(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    dina = await register(phone, "sim:ibu-dina", "Dina")
    await dina.send(KEJANG)
    sari = phone(SARI)
    assert "Anda tangani" in await sari.says("1")
    [case] = await the_cases(runtime)
    assert case.status == "taken"


async def test_after_handing_over_a_cadre_can_no_longer_take_or_resolve_the_case(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.send(LATCH)
    [case] = await the_cases(runtime)
    sari, rina = phone(SARI), phone(RINA)
    await sari.send(f"AMBIL {case.id}")
    handed = await sari.says(f"SERAHKAN {case.id}")
    assert "Bidan Rina" in handed
    for attempt in (f"AMBIL {case.id}", f"SELESAI {case.id}", f"BALAS {case.id} halo",
                    f"SERAHKAN {case.id}"):
        answer = await sari.says(attempt)
        assert "sudah Anda serahkan ke Bidan Rina" in answer, attempt
        assert not to(sari, "sim:ibu-siti"), "nothing reaches the mother"
    [case] = await the_cases(runtime)
    assert case.status == "open" and case.resolved_at is None
    assert "Tidak ada kasus terbuka" in await sari.says("KASUS")
    assert "Anda tangani" in await rina.says(f"AMBIL {case.id}")
    [case] = await the_cases(runtime)
    assert case.status == "taken"


async def test_quiet_hours_and_daytime_deadlines_follow_a_wita_mother_and_her_cadre(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy import update

    from db.models import Mother

    wita = ZoneInfo("Asia/Makassar")
    ibu = await register_siti(phone)
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(Mother).values(tz="Asia/Makassar"))
    clock.set(datetime(2026, 11, 28, 21, 30, tzinfo=wita))  # 20:30 in Jakarta: still day there
    answer = await ibu.says("asi sy sedikit bgt, si kecil nangis terus")
    assert "pagi" in answer and "besok sebelum jam 08.00" in answer, "her own clock"
    [alert] = to(ibu, SARI)
    assert alert["at"] == datetime(2026, 11, 29, 6, 0, tzinfo=wita).astimezone(UTC).isoformat()
    [case] = await the_cases(runtime)
    assert case.deadline_at == datetime(2026, 11, 29, 8, 0, tzinfo=wita).astimezone(UTC)
