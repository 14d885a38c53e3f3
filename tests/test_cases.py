"""A mother's problem reaches the right person in time: first answer, case, alerts,
deadlines up the chain, the two-way thread, and the follow-up a day later.

Each test tells one story through the simulator API, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.runtime import Runtime
from db.models import Case, CaseEvent, Mother, Outbox, Staff
from flows import cases
from flows.types import Inbound
from scheduler.delivery import Deliverer, DeliveryConfig
from scheduler.transport import SendError
from tests.test_delivery import FakeTransport

WIB = ZoneInfo("Asia/Jakarta")
SARI, WATI, NUR, RINA = "sim:kader-sari", "sim:kader-wati", "sim:kader-nur", "sim:bidan-rina"
LATCH = "bun puting sy lecet bgt smp berdarah, tiap nyusu nangis"


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Jakarta, November 2026 (the clock starts on the 28th at 10:00)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


async def register_siti(phone: Any) -> Any:
    """Bunda Siti registers from Bu Sari's invite; her baby is 3 weeks old."""
    ibu = phone("sim:ibu-siti")
    for line in ("DAFTAR MAWAR1", "1", "siti", "udh lahir", "3 minggu yg lalu", "1",
                 "pagi aja", "1"):
        await ibu.send(line)
    return ibu


async def the_cases(runtime: Runtime) -> list[Case]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Case).order_by(Case.id))).all())


async def events(runtime: Runtime, case_id: int) -> list[tuple[str, str | None]]:
    async with runtime.sessions() as session:
        rows = (await session.execute(
            select(CaseEvent.kind, Staff.name)
            .outerjoin(Staff, Staff.id == CaseEvent.staff_id)
            .where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )).all()
    return [(kind, name) for kind, name in rows]


def to(phone: Any, address: str) -> list[dict[str, Any]]:
    """What the last message produced for someone else (an alert, a relay)."""
    return [r for r in phone.replies if r["to"] == address]


async def escalate(runtime: Runtime, now: datetime) -> int:
    async with runtime.sessions() as session, session.begin():
        return await cases.escalate_overdue(session, now.astimezone(UTC), runtime.config)


async def followups(runtime: Runtime, now: datetime) -> int:
    async with runtime.sessions() as session, session.begin():
        return await cases.send_followups(session, now.astimezone(UTC), runtime.config)


async def test_mother_with_cracked_nipples_gets_latch_tip_and_cadre_alert(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    answer = await ibu.says(LATCH)
    assert "AMBiDa" in answer
    assert "Bu Sari sudah kami kabari" in answer and "sebelum jam 12.00" in answer
    [alert] = to(ibu, SARI)
    assert "lecet puting" in alert["text"] and "Bunda Siti" in alert["text"]
    assert "usia 3 minggu" in alert["text"] and LATCH in alert["text"]
    assert [c["label"] for c in alert["choices"]] == [
        "Saya tangani", "Balas ke Bunda Siti", "Selesai", "Serahkan ke bidan"]
    assert not to(ibu, RINA), "a daytime latch problem does not wake the midwife"
    [case] = await the_cases(runtime)
    assert (case.label, case.urgent, case.status, case.child_age_days) == (
        "latch_pain", False, "open", 21)
    assert case.text == LATCH
    assert case.deadline_at == local(28, 12).astimezone(UTC)
    assert await events(runtime, case.id) == [("opened", None), ("alerted", "Bu Sari")]


async def test_a_problem_written_while_the_menu_waits_for_a_number_is_heard_first(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says("MENU")
    answer = await ibu.says(LATCH)
    assert "Balas nomornya" not in answer, "not asked again for a number"
    assert "AMBiDa" in answer and "Bu Sari sudah kami kabari" in answer
    [alert] = to(ibu, SARI)
    assert LATCH in alert["text"]
    [case] = await the_cases(runtime)
    assert case.label == "latch_pain"
    assert "Apa yang bisa kami bantu" in await ibu.says("MENU"), "the menu opens when she asks"
    assert "Ceritakan masalah" in await ibu.says("2"), "and its numbers still work"


async def test_a_reply_that_picks_a_choice_still_answers_the_question(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says("MENU")
    await ibu.says("5")  # settings
    assert "kehilangan" in await ibu.says("4")  # a loss to tell us about?
    answer = await ibu.says("tidak, cuma asi sy dikit")
    assert "tersimpan" in answer and "berduka" not in answer
    assert not await the_cases(runtime), "her 'tidak' answered the question asked"


async def test_low_milk_worry_at_night_is_answered_now_and_the_cadre_hears_in_the_morning(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    clock.set(local(28, 22, 30))
    answer = await ibu.says("asi sy sedikit bgt, si kecil nangis terus")
    assert "BAK" in answer, "the low-milk guidance comes at once"
    assert "pagi" in answer and "besok sebelum jam 08.00" in answer
    [alert] = to(ibu, SARI)
    assert alert["at"] == local(29, 6).astimezone(UTC).isoformat()
    sari = phone(SARI)
    assert not await sari.inbox(after=alert["id"] - 1), "nothing reaches her in quiet hours"
    clock.set(local(29, 6))
    assert [m["text"] for m in await sari.inbox(after=alert["id"] - 1)] == [alert["text"]]
    [case] = await the_cases(runtime)
    assert case.deadline_at == local(29, 8).astimezone(UTC)
    assert await escalate(runtime, local(29, 7, 59)) == 0


async def test_danger_sign_at_two_in_the_morning_sends_her_to_hospital_and_alerts_cadre_and_midwife(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    clock.set(local(29, 2))
    answer = await ibu.says("dedek panas 38,5 gak mau nyusu dr td")
    assert answer.startswith("SEGERA")
    assert "Puskesmas Taman Baca" in answer and "0711-123456" in answer and "119" in answer
    assert "Bu Sari dan Bidan Rina sudah kami kabari" in answer
    now = local(29, 2).astimezone(UTC).isoformat()
    for address in (SARI, RINA):
        [alert] = to(ibu, address)
        assert alert["at"] == now, "no quiet hours for a danger sign"
        assert "DARURAT" in alert["text"] and "gak mau nyusu" in alert["text"]
        assert "usia 3 minggu" in alert["text"]
    [case] = await the_cases(runtime)
    assert (case.label, case.urgent) == ("danger_baby", True)
    assert case.deadline_at == local(29, 2, 15).astimezone(UTC)
    assert await escalate(runtime, local(29, 2, 16)) == 1
    async with runtime.sessions() as session:
        wati = await session.get(Staff, (await session.get(Case, case.id)).assignee_id)  # type: ignore[union-attr]
    assert wati is not None and wati.name == "Bu Wati"


async def test_danger_sign_in_the_middle_of_a_question_still_takes_the_urgent_path(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says("MENU")
    answer = await ibu.says("tolong dedek kejang")
    assert answer.startswith("SEGERA")
    [case] = await the_cases(runtime)
    assert case.urgent
    assert "tidak paham" not in (await ibu.says("terima kasih")).lower()


async def test_unanswered_case_climbs_from_cadre_to_backup_to_health_worker(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says(LATCH)
    [case] = await the_cases(runtime)
    assert await escalate(runtime, local(28, 11, 59)) == 0
    clock.set(local(28, 12))
    assert await escalate(runtime, local(28, 12)) == 1
    assert await escalate(runtime, local(28, 12)) == 0, "a case moves once per deadline"
    [case] = await the_cases(runtime)
    assert case.level == cases.LEVEL_BACKUP and case.deadline_at == local(28, 14).astimezone(UTC)
    [wati_alert] = await phone(WATI).inbox()
    assert "Bu Sari" in wati_alert["text"] and "lecet puting" in wati_alert["text"]
    assert LATCH in wati_alert["text"] and len(wati_alert["choices"]) == 4
    clock.set(local(28, 14))
    assert await escalate(runtime, local(28, 14)) == 1
    [case] = await the_cases(runtime)
    assert case.level == cases.LEVEL_HEALTH_WORKER
    assert [e for e in await events(runtime, case.id) if e[0] != "opened"] == [
        ("alerted", "Bu Sari"), ("escalated", "Bu Wati"), ("escalated", "Bidan Rina")]
    [rina_alert] = await phone(RINA).inbox()
    assert "Bu Wati" in rina_alert["text"]


async def test_a_cadre_who_blocked_the_bot_does_not_hold_up_a_danger_sign(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    """Bu Sari's phone refuses the alert: Bunda Siti's case goes to the backup cadre at the
    next beat, not after a 15-minute deadline nobody could meet."""
    ibu = await register_siti(phone)
    clock.set(local(29, 2))
    await ibu.says("dedek panas 38,5 gak mau nyusu dr td")
    blocked = FakeTransport(fail=lambda m: SendError(
        "Forbidden: bot was blocked by the user", permanent=True, code="403")
        if m.address == SARI else None)
    await Deliverer({"simulator": blocked}, runtime.sessions, runtime.clock, DeliveryConfig(),
                    worker="t").drain()
    [case] = await the_cases(runtime)
    assert case.deadline_at == local(29, 2).astimezone(UTC)
    clock.set(local(29, 2, 1))
    assert await escalate(runtime, local(29, 2, 1)) == 1
    [case] = await the_cases(runtime)
    assert case.level == cases.LEVEL_BACKUP
    assert ("alert_failed", "Bu Sari") in await events(runtime, case.id)
    [wati_alert] = await phone(WATI).inbox()
    assert "DARURAT" in wati_alert["text"] and "Bu Sari" in wati_alert["text"]


async def test_a_failed_alert_to_someone_who_already_took_the_case_moves_nothing(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says(LATCH)
    await phone(SARI).says("1")  # Bu Sari takes it
    [case] = await the_cases(runtime)
    async with runtime.sessions() as session, session.begin():
        alert = (await session.scalars(select(Outbox).where(
            Outbox.kind == "alert", Outbox.address == SARI, Outbox.case_id == case.id)
            .order_by(Outbox.id).limit(1))).one()
        assert not await cases.alert_failed(session, alert.id, local(28, 10, 5))
    assert (await the_cases(runtime))[0].deadline_at == case.deadline_at


async def test_two_workers_escalating_at_once_move_a_case_once(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says(LATCH)
    moved = await asyncio.gather(*(escalate(runtime, local(28, 12, 1)) for _ in range(2)))
    assert sorted(moved) == [0, 1]
    async with runtime.sessions() as session:
        alerts = (await session.scalars(
            select(Outbox).where(Outbox.kind == "alert", Outbox.address == WATI))).all()
    assert len(alerts) == 1


def test_daytime_minutes_skip_the_quiet_hours() -> None:
    at = cases.add_daytime_minutes(local(28, 20).astimezone(UTC), 120, WIB, 21, 6)
    assert at == local(29, 7).astimezone(UTC)
    assert cases.add_daytime_minutes(local(29, 2).astimezone(UTC), 120, WIB, 21, 6) == local(
        29, 8).astimezone(UTC)
    assert cases.add_daytime_minutes(local(28, 10).astimezone(UTC), 120, WIB, 21, 6) == local(
        28, 12).astimezone(UTC)


async def test_mother_without_a_cadre_goes_straight_to_the_health_worker(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    mum = phone("sim:mum-maya")
    for line in ("hello", "3", "yes", "I'm Maya", "born", "2 weeks ago", "1",
                 "I don't know", "19", "save"):
        await mum.send(line)
    answer = await mum.says("puting saya lecet dan berdarah")
    assert "We have told Bidan Rina" in answer and "before 12.00" in answer
    assert to(mum, RINA) and not to(mum, SARI)
    [case] = await the_cases(runtime)
    assert case.level == cases.LEVEL_HEALTH_WORKER


async def test_cadre_takes_replies_and_the_thread_runs_both_ways_until_selesai(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says(LATCH)
    taken = await sari.says("1")
    assert "Anda tangani" in taken and "SELESAI" in taken
    [opened] = to(sari, "sim:ibu-siti")
    assert "Bu Sari" in opened["text"]
    await sari.send("Bunda, sore ini sy mampir ya jam 4, kita coba posisi menyusui bareng 🙏")
    [relay] = to(sari, "sim:ibu-siti")
    assert relay["text"] == "Bu Sari: Bunda, sore ini sy mampir ya jam 4, kita coba posisi " \
                            "menyusui bareng 🙏"
    assert await ibu.send("baik bu, terima kasih") == [], "her reply goes to the cadre only"
    [back] = to(ibu, SARI)
    assert back["text"] == "Bunda Siti (#1): baik bu, terima kasih"
    done = await sari.says("SELESAI sudah dikunjungi, pelekatan membaik")
    assert "selesai" in done.lower()
    [closed] = to(sari, "sim:ibu-siti")
    assert "menutup" in closed["text"]
    [case] = await the_cases(runtime)
    assert (case.status, case.outcome) == ("resolved", "sudah dikunjungi, pelekatan membaik")
    after = await ibu.send("makasih bu")
    assert after and not to(ibu, SARI), "after SELESAI the thread is closed"
    assert "Bu Sari" not in await sari.says("halo"), "and the cadre is out of reply mode"
    kinds = [kind for kind, _ in await events(runtime, case.id)]
    assert kinds == ["opened", "alerted", "taken", "relayed_to_mother", "relayed_to_staff",
                     "resolved"]


async def test_cadre_commands_take_reply_list_and_hand_over(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says(LATCH)
    listing = await sari.says("KASUS")
    assert "#1 lecet puting — Bunda Siti (menunggu)" in listing
    mothers = await sari.says("IBU")
    assert "Bunda Siti, usia 3 minggu" in mothers
    await sari.send("BALAS 1 Bunda, coba posisi football dulu ya")
    assert [r["text"] for r in to(sari, "sim:ibu-siti")][-1].startswith("Bu Sari: Bunda, coba")
    handed = await sari.says("SERAHKAN 1")
    assert "Bidan Rina" in handed
    [rina_alert] = to(sari, RINA)
    assert "Bu Sari" in rina_alert["text"] and LATCH in rina_alert["text"]
    [told] = to(sari, "sim:ibu-siti")
    assert "Bidan Rina" in told["text"]
    rina = phone(RINA)
    assert "Anda tangani" in await rina.says("AMBIL 1")
    await rina.send("Bunda, besok pagi saya ke rumah ya")
    assert to(rina, "sim:ibu-siti")[-1]["text"].startswith("Bidan Rina: ")
    english = await sari.says("CASES")
    assert "Tidak ada kasus" in english


async def test_followup_a_day_later_reopens_the_case_when_it_is_not_better(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says(LATCH)
    await sari.send("AMBIL 1")
    await sari.send("SELESAI 1")
    assert await followups(runtime, local(29, 9, 59)) == 0
    clock.set(local(29, 10))
    assert await followups(runtime, local(29, 10)) == 1
    assert await followups(runtime, local(29, 10)) == 0, "asked once"
    [question] = [m for m in await ibu.inbox() if m["kind"] == "reminder"]
    assert question["text"] == "Bunda, bagaimana lecetnya hari ini? Sudah membaik?"
    assert [c["label"] for c in question["choices"]] == ["Sudah membaik", "Belum membaik"]
    answer = await ibu.says("2")
    assert "Bu Sari sudah kami kabari" in answer
    [again] = to(ibu, SARI)
    assert "belum membaik" in again["text"] and LATCH in again["text"]
    [case] = await the_cases(runtime)
    assert case.status == "open" and case.deadline_at == local(29, 12).astimezone(UTC)
    assert "followup_not_better" in [kind for kind, _ in await events(runtime, case.id)]


async def test_a_followup_answered_in_her_own_words_reopens_her_case(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says(LATCH)
    await sari.send("AMBIL 1")
    await sari.send("SELESAI 1")
    clock.set(local(29, 10))
    assert await followups(runtime, local(29, 10)) == 1
    assert "Bu Sari sudah kami kabari" in await ibu.says("masih lecet bu")
    [case] = await the_cases(runtime)
    assert case.status == "open", "the same case, reopened: not a new one"
    assert "followup_not_better" in [kind for kind, _ in await events(runtime, case.id)]


async def test_belum_masih_perih_at_the_followup_reaches_the_cadre_in_her_words(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says(LATCH)
    await sari.send("1")
    await sari.send("SELESAI")
    clock.set(local(29, 10))
    assert await followups(runtime, local(29, 10)) == 1
    await ibu.says("blm membaik bu masih perih")
    [again] = to(ibu, SARI)
    assert again["text"].startswith(
        '🔁 Dibuka lagi: Bunda bilang belum membaik: "blm membaik bu masih perih"')
    assert LATCH in again["text"] and "usia 3 minggu" in again["text"]
    assert "Kasus baru" not in again["text"] and "Kasus #1 (lecet puting)" in again["text"]


async def test_the_followup_of_a_question_asks_how_things_are_not_whether_the_question_is_better(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says("bun boleh gak sy minum kopi?")
    await sari.send("1")
    await sari.send("SELESAI")
    clock.set(local(29, 10))
    assert await followups(runtime, local(29, 10)) == 1
    [question] = [m for m in await ibu.inbox() if m["kind"] == "reminder"]
    assert question["text"] == "Bunda, bagaimana keadaannya hari ini? Apakah semuanya sudah baik?"


async def test_followup_better_closes_the_loop_kindly(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    sari = phone(SARI)
    await ibu.says(LATCH)
    await sari.send("1")
    await sari.send("SELESAI")
    clock.set(local(29, 11))
    assert await followups(runtime, local(29, 11)) == 1
    assert "Syukurlah" in await ibu.says("udh membaik bu")
    [case] = await the_cases(runtime)
    assert case.status == "resolved"


async def test_cadre_cannot_act_on_another_cadres_case(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says(LATCH)
    nur = phone(NUR)
    for command in ("AMBIL 1", "BALAS 1 halo bunda", "SELESAI 1", "SERAHKAN 1"):
        assert "tidak ada di daftar Anda" in await nur.says(command)
        assert not to(nur, "sim:ibu-siti")
    assert "Tidak ada kasus" in await nur.says("KASUS")
    assert "Siti" not in await nur.says("IBU")
    assert "tidak ada di daftar Anda" in await nur.says("AMBIL 999")
    [case] = await the_cases(runtime)
    assert case.status == "open" and case.taken_at is None


async def test_mother_typing_ambil_gets_no_cadre_powers(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says(LATCH)
    for text in ("AMBIL 1", "SELESAI 1", "KASUS"):
        await ibu.send(text)
        assert not to(ibu, SARI) or all("Anda tangani" not in r["text"] for r in to(ibu, SARI))
    [case] = await the_cases(runtime)
    assert case.status == "open" and case.taken_at is None


async def test_loss_stops_everything_and_her_words_reach_her_cadre(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await register_siti(phone)
    answer = await ibu.says("bayi sy meninggal kemarin")
    assert "berduka" in answer and "Bu Sari" in answer
    [alert] = to(ibu, SARI)
    assert "kehilangan" in alert["text"] and "DARURAT" not in alert["text"]
    assert alert["text"].startswith("🕊️ Kabar duka #1 (kehilangan) — Bunda Siti (usia 3 minggu)")
    assert '"bayi sy meninggal kemarin"' in alert["text"]
    assert "Jangan tanyakan penyebabnya" in alert["text"], "DOMAIN: no cause questions"
    async with runtime.sessions() as session:
        [siti] = (await session.scalars(select(Mother))).all()
        assert siti.status == "loss"
    await ibu.send("sy cuma mau cerita, rasanya berat sekali")
    [passed] = to(ibu, SARI)
    assert "rasanya berat sekali" in passed["text"]
    [case] = await the_cases(runtime)
    assert case.label == "loss" and not case.urgent


async def test_photo_during_a_case_is_noted_to_the_cadre(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = await register_siti(phone)
    await ibu.says(LATCH)
    result = await runtime.handle(Inbound(channel="simulator", address="sim:ibu-siti", text="",
                                          msg_id="photo-1", at=clock.now(), media="photo"))
    async with runtime.sessions() as session:
        rows = (await session.scalars(
            select(Outbox).where(Outbox.id.in_(result.outbox_ids)).order_by(Outbox.id))).all()
    by_address = {row.address: row.text for row in rows}
    assert "Bunda Siti (#1) mengirim foto" in by_address[SARI]
    assert "tulisan" in by_address["sim:ibu-siti"]
