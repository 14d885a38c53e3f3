"""A loss sticks: told in her own words at any question, it takes the loss pathway; STOP
and MULAI never bring the breastfeeding messages back; the menu offers only what fits;
a new pregnancy is the honest way back to tips. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.runtime import Runtime
from db.models import Case, Consent, Mother, Outbox, Reminder
from scheduler.jobs import heartbeat
from tests.test_menu import pregnant
from tests.test_onboarding import register

SARI, RINA = "sim:kader-sari", "sim:bidan-rina"


async def the_mother(runtime: Runtime) -> Mother:
    async with runtime.sessions() as session:
        return (await session.scalars(select(Mother))).one()


async def open_reminders(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Reminder).where(
            Reminder.done_at.is_(None))) or 0)


async def tips_for(runtime: Runtime, mother_id: int) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.mother_id == mother_id, Outbox.kind.in_(("tip", "welcome")),
            Outbox.status.in_(("pending", "held", "sent")))) or 0)


async def a_week_of_heartbeats(runtime: Runtime) -> None:
    now = runtime.clock.now()
    for hours in range(0, 24 * 8, 3):
        await heartbeat(runtime.sessions, now + timedelta(hours=hours), runtime.config)


async def test_stop_then_mulai_after_a_miscarriage_never_brings_the_tips_back(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    lia = await the_mother(runtime)
    assert await open_reminders(runtime) > 0, "a pregnant mother has birth-report reminders"
    said = await ibu.send("saya keguguran kemarin")
    assert any("berduka" in r["text"] for r in said)
    assert (await the_mother(runtime)).status == "loss"
    stopped = await ibu.says("STOP")
    assert "MULAI" not in stopped, "she is not invited back to the tips"
    assert (await the_mother(runtime)).status == "loss", "STOP does not erase the loss"
    again = await ibu.says("MULAI")
    assert "Info akan datang lagi" not in again and "usia si kecil" not in again
    assert "Bu Sari" in again, "she is told who reads her messages"
    assert (await the_mother(runtime)).status == "loss"
    assert await open_reminders(runtime) == 0, "no birth-report reminder is planned again"
    before = await tips_for(runtime, lia.id)
    await a_week_of_heartbeats(runtime)
    assert await tips_for(runtime, lia.id) == before, "no tip after a loss, ever"
    async with runtime.sessions() as session:
        decisions = (await session.scalars(select(Consent.decision).where(
            Consent.mother_id == lia.id).order_by(Consent.id))).all()
    assert decisions[-2:] == ["withdrawn", "yes"], "her STOP and her MULAI are both recorded"


async def test_after_a_loss_her_words_still_reach_her_cadre_and_hapus_data_still_works(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.send("saya keguguran kemarin")
    await ibu.says("STOP")
    await ibu.send("saya masih sedih sekali")
    assert any(r["to"] == SARI and "sedih" in r["text"] for r in ibu.replies)
    assert "Yakin" in await ibu.says("HAPUS DATA")
    assert "sudah kami hapus" in await ibu.says("1")
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Mother)) == 0


async def test_a_stillbirth_typed_at_the_birth_report_is_a_loss_not_a_live_birth(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.says("MENU")
    assert "Kapan si kecil lahir" in await ibu.says("5")
    said = await ibu.says("bayi saya lahir mati kemarin")
    assert "Tersimpan" not in said and "Susui" not in said
    assert "berduka" in said
    lia = await the_mother(runtime)
    assert (lia.status, lia.stage, lia.birth_date) == ("loss", "pregnant", None)
    assert any(r["to"] == SARI for r in ibu.replies), "her cadre is told so she can visit"
    assert await open_reminders(runtime) == 0


async def test_a_death_told_at_the_registration_birth_date_question_takes_the_loss_pathway(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-duka")
    await register(ibu, "DAFTAR MAWAR1", "1", "Tini", "2")
    said = await ibu.says("bayi sy meninggal 2 minggu lalu")
    assert "Betul?" not in said and "lahir sekitar" not in said
    assert "berduka" in said
    assert any(r["to"] == SARI and "Tini" in r["text"] for r in ibu.replies)
    tini = await the_mother(runtime)
    assert (tini.name, tini.status) == ("Tini", "loss")
    async with runtime.sessions() as session:
        [case] = (await session.scalars(select(Case))).all()
    assert case.label == "loss"
    assert await tips_for(runtime, tini.id) == 0, "no welcome series after a loss"
    assert await open_reminders(runtime) == 0
    await a_week_of_heartbeats(runtime)
    assert await tips_for(runtime, tini.id) == 0


async def test_a_loss_told_before_consent_keeps_nothing_and_says_where_to_find_a_person(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-duka-2")
    await ibu.says("DAFTAR MAWAR1")
    said = await ibu.says("bayi saya meninggal kemarin")
    assert "berduka" in said and "0711-123456" in said and "setuju" not in said
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Mother)) == 0
        assert await session.scalar(select(func.count()).select_from(Case)) == 0


async def test_after_a_loss_the_menu_offers_only_her_cadre_and_settings_and_never_a_tip(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.send("saya keguguran kemarin")
    await ibu.send("MENU")
    labels = [c["label"] for c in ibu.replies[0]["choices"]]
    assert labels == ["Hubungi kader", "Pengaturan"]
    assert "Bu Sari" in await ibu.says("1")
    await ibu.send("terima kasih sudah menemani")
    assert any(r["to"] == SARI for r in ibu.replies)
    await ibu.send("MENU")
    await ibu.send("2")
    settings = [c["label"] for c in ibu.replies[0]["choices"]]
    assert settings == ["Bahasa", "Kehamilan baru", "Berhenti menerima pesan", "Hapus data saya"]
    await ibu.send("MENU")
    tip = await ibu.send("info hari ini")
    assert all(r.get("kind") != "tip" for r in tip), "no breastfeeding tip after a loss"


async def test_a_new_pregnancy_after_a_loss_brings_pregnancy_tips_from_her_new_due_date(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await pregnant(phone)
    await ibu.send("saya keguguran kemarin")
    await ibu.says("MENU")
    await ibu.says("2")  # settings
    assert "HPL" in await ibu.says("2")  # new pregnancy
    confirm = await ibu.says("hamil 3 bulan")
    assert "sekitar" in confirm and "Betul" in confirm
    assert "Tersimpan" in await ibu.says("1")
    lia = await the_mother(runtime)
    assert (lia.status, lia.stage, lia.birth_date) == ("active", "pregnant", None)
    assert lia.due_date is not None and lia.due_date > runtime.clock.now().date()
    assert await open_reminders(runtime) > 0, "birth-report reminders for the new due date"
    await ibu.send("MENU")
    assert "Info hari ini" in [c["label"] for c in ibu.replies[0]["choices"]]
