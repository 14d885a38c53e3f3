"""A mother registers through the simulator, in her own words, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from sqlalchemy import func, select

from bot.runtime import Runtime
from db.models import Consent, Identity, InboundMessage, Mother, Outbox


async def register(phone: Any, *lines: str) -> str:
    """Send the lines in order; return the last answer."""
    said = ""
    for line in lines:
        said = await phone.says(line)
    return said


async def mothers(runtime: Runtime) -> list[Mother]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Mother))).all())


async def test_mother_registers_from_cadre_invite_in_her_own_words(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-1")
    consent = await ibu.says("DAFTAR MAWAR1")
    assert "Bu Sari" in consent and "Posyandu Mawar" in consent and "HAPUS DATA" in consent
    assert [c["key"] for c in ibu.replies[0]["choices"]] == ["1", "2", "3"]
    # she said yes in Indonesian (English was the third choice): her name comes next
    thanks = await ibu.says("1")
    assert "Siapa nama Bunda?" in thanks and "bahasa" not in thanks.lower()
    greeting = await ibu.says("nama saya siti")
    assert "Bunda Siti" in greeting and "hamil" in greeting
    born = await ibu.says("udh lahir")
    assert "lahir" in born.lower()
    confirm = await ibu.says("3 minggu yg lalu")
    assert "7 November 2026" in confirm and "3 minggu" in confirm
    hour = await ibu.says("1")  # betul; the cadre came with the invite, so no code question
    assert "jam" in hour.lower()
    summary = await ibu.says("pagi aja")
    assert "Siti" in summary and "Bu Sari" in summary and "08.00" in summary
    saved = await ibu.send("1")
    texts = [r["text"] for r in saved]
    assert texts[0].startswith("Tersimpan")
    assert len(texts) >= 3, "the welcome series follows the confirmation"
    assert "Kader Bunda, Bu Sari, siap membantu." in texts[1]
    alerts = [r for r in ibu.replies if r["to"] == "sim:kader-sari"]
    assert alerts and "Siti" in alerts[0]["text"]

    [siti] = await mothers(runtime)
    assert (siti.name, siti.stage, siti.birth_date, siti.tip_hour, siti.lang) == (
        "Siti", "postnatal", date(2026, 11, 7), 8, "id")
    assert siti.cadre is not None and siti.cadre.name == "Bu Sari"
    assert siti.tips_from_day == 21


async def test_english_mother_registers_while_pregnant_without_a_cadre_code(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    mum = phone("sim:mum-2")
    await mum.says("hello")
    assert "Do you agree" in await mum.says("3")  # English
    assert "What is your name" in await mum.says("yes")
    assert "pregnant" in (await mum.says("I'm Maya")).lower()
    assert "due" in (await mum.says("pregnant")).lower()
    assert "weeks pregnant" in await mum.says("30 weeks")
    assert "code" in (await mum.says("1")).lower()
    assert "midwife" in (await mum.says("I don't know")).lower()
    await mum.says("19")
    done = await mum.send("save")
    assert done[0]["text"].startswith("Saved")
    [maya] = await mothers(runtime)
    assert (maya.lang, maya.stage, maya.cadre_id, maya.tip_hour) == ("en", "pregnant", None, 19)


async def test_every_question_reprompts_kindly_and_three_misses_show_the_way_to_a_person(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-3")
    await ibu.says("halo")
    assert "balas 1" in (await ibu.says("hmm")).lower()
    await ibu.says("ya")
    assert "nama" in (await ibu.says("12345")).lower()
    await ibu.says("Rina")
    assert "Balas 1" in await ibu.says("entahlah")
    await ibu.says("sudah lahir")
    assert "belum terbaca" in await ibu.says("kapan ya")
    assert "belum lewat" in await ibu.says("12/12/2030")
    assert "2 tahun" in await ibu.says("01/01/2020")
    await ibu.says("kemarin")
    await ibu.says("1")
    assert "belum kami temukan" in await ibu.says("ZZZ999")
    assert "belum kami temukan" in await ibu.says("QQQ")
    stuck = await ibu.says("XXX")
    assert "0711-123456" in stuck, "after three misses she is told how to reach a person"
    await ibu.says("MAWAR1")
    assert "jam 08.00" in await ibu.says("terserah")  # a kind default beats a re-prompt


async def test_refusal_keeps_nothing_but_the_refusal(runtime: Runtime, phone: Any) -> None:
    ibu = phone("sim:ibu-4")
    await ibu.says("halo, saya mau tanya")
    assert "tidak menyimpan" in await ibu.says("2")
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Identity)) == 0
        texts = (await session.scalars(select(InboundMessage.text))).all()
        assert texts == [None, None], "nothing she wrote before a yes is kept"
        [consent] = (await session.scalars(select(Consent))).all()
        assert (consent.decision, consent.mother_id) == ("no", None)


async def test_ga_mau_at_the_consent_question_is_a_refusal_not_a_yes(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    # "mau" and "setuju" are yes-words; negated, they are a no
    for address, refusal in (("sim:ibu-gamau", "ga mau"), ("sim:ibu-tdk", "tidak setuju bun")):
        ibu = phone(address)
        await ibu.says("DAFTAR MAWAR1")
        assert "tidak menyimpan" in await ibu.says(refusal)
    async with runtime.sessions() as session:
        decisions = (await session.scalars(select(Consent.decision))).all()
        assert decisions == ["no", "no"]
        assert await session.scalar(select(func.count()).select_from(Mother)) == 0


async def test_gak_apa_apa_at_the_consent_question_is_asked_again_not_taken_as_a_no(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-gpp")
    await ibu.says("DAFTAR MAWAR1")
    assert "balas 1" in (await ibu.says("gak apa2")).lower()
    assert "Siapa nama Bunda?" in await ibu.says("ok setuju")


async def test_gak_betul_at_the_date_echo_asks_the_date_again(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-gakbetul")
    await register(ibu, "DAFTAR MAWAR1", "1", "Ani", "2", "3 minggu yg lalu")
    assert "Kapan si kecil lahir" in await ibu.says("gak betul bun")
    assert "12 Oktober 2026" in await ibu.says("12/10/2026")
    assert "Jam berapa" in await ibu.says("iya bener")


async def test_an_english_mother_is_not_asked_her_language_again_and_can_change_it_at_the_summary(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    mum = phone("sim:mum-lang")
    summary = await register(mum, "DAFTAR MAWAR1", "3", "1", "Maya", "2", "10/11/2026", "1", "8")
    assert "English" in summary
    await mum.says("2")  # change something
    assert "language" in (await mum.says("5")).lower()
    assert "Bahasa Indonesia" in await mum.says("1")  # back at the summary, now in Indonesian
    await mum.says("1")
    [maya] = await mothers(runtime)
    assert maya.lang == "id"


async def test_lahirnya_tgl_3_kemarin_is_the_3rd_not_yesterday(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-tgl3")
    await register(ibu, "DAFTAR MAWAR1", "1", "Dewi", "udh lahir")
    confirm = await ibu.says("lahirnya tgl 3 kemarin")
    assert "lahir 3 November 2026 (usia 3 minggu)" in confirm


async def test_a_mother_who_answers_blm_lahir_or_belom_or_belum_is_taken_as_pregnant(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    for n, answer in enumerate(("blm lahir", "belom lahir bun", "belum")):
        ibu = phone(f"sim:ibu-hamil-{n}")
        await register(ibu, "DAFTAR MAWAR1", "1", "Rani")
        assert "HPL" in await ibu.says(answer), answer


async def test_hamil_7_bln_at_the_stage_question_is_echoed_not_asked_again(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-7bln")
    await register(ibu, "DAFTAR MAWAR1", "1", "Tika")
    confirm = await ibu.says("hamil 7 bln")
    assert "HPL Bunda sekitar 4 Februari 2027" in confirm and "Betul?" in confirm
    other = phone("sim:ibu-6mg")
    await register(other, "DAFTAR MAWAR1", "1", "Nur")
    assert "lahir sekitar 13 Oktober 2026" in await other.says("udh lahir 1,5 bulan")


async def test_her_name_is_echoed_without_the_chat_words_around_it(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    for n, (typed, name) in enumerate((("sy siti bun", "Siti"), ("halo, aku dewi ya", "Dewi"),
                                       ("siti, 25 th", "Siti"))):
        ibu = phone(f"sim:ibu-nama-{n}")
        await register(ibu, "DAFTAR MAWAR1", "1")
        assert f"Salam kenal, Bunda {name}." in await ibu.says(typed)


async def test_jam_7_malem_and_abis_maghrib_are_evening_hours(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    for n, (typed, hour) in enumerate((("jam 7 malem", "19.00"), ("abis maghrib", "19.00"),
                                       ("sore aja bun", "16.00"))):
        ibu = phone(f"sim:ibu-jam-{n}")
        await register(ibu, "DAFTAR MAWAR1", "1", "Ani", "2", "10/11/2026", "1")
        assert f"info jam {hour}" in await ibu.says(typed), typed


async def test_two_unreadable_hours_then_a_third_get_a_kind_default_not_a_third_re_prompt(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-jam-x")
    await register(ibu, "DAFTAR MAWAR1", "1", "Ani", "2", "10/11/2026", "1")
    assert "tulis jamnya saja" in await ibu.says("hmm")
    assert "tulis jamnya saja" in await ibu.says("yg penting rutin")
    third = await ibu.says("wkwk")
    assert "Untuk sementara kami kirim jam 08.00" in third and "Ringkasnya" in third
    assert "belum saling paham" not in third


async def test_a_mother_without_a_cadre_is_welcomed_by_the_midwife_not_by_your_cadre_the_midwife(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-tanpa-kader-2")
    await register(ibu, "halo", "1", "Wulan", "2", "10/11/2026", "1", "tidak tahu", "8")
    welcome = "\n".join(r["text"] for r in await ibu.send("1"))
    assert "Bidan puskesmas siap membantu." in welcome and "Kader Bunda, bidan" not in welcome
    mum = phone("sim:mum-tanpa-kader")
    await register(mum, "hello", "3", "yes", "Maya", "1", "due end of january", "1",
                   "I don't know", "evenings")
    welcome = "\n".join(r["text"] for r in await mum.send("save"))
    assert "The puskesmas midwife is ready to help." in welcome
    maya = {m.name: m for m in await mothers(runtime)}["Maya"]
    assert (maya.due_date, maya.tip_hour) == (date(2027, 1, 25), 19)


async def registered(phone: Any, address: str, code: str = "MAWAR1") -> Any:
    ibu = phone(address)
    await register(ibu, f"DAFTAR {code}", "1", "Ani", "2", "10/11/2026", "1", "8", "1")
    return ibu


async def test_stop_then_mulai_and_nothing_is_sent_while_stopped(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await registered(phone, "sim:ibu-5")
    assert "MULAI" in await ibu.says("STOP")
    [ani] = await mothers(runtime)
    assert ani.status == "opted_out"
    async with runtime.sessions() as session:
        pending = await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.mother_id == ani.id, Outbox.status == "pending", Outbox.kind != "reply"))
    assert pending == 0
    assert "MULAI" in await ibu.says("halo")
    assert "kembali" in (await ibu.says("mulai")).lower()
    [ani] = await mothers(runtime)
    assert ani.status == "active"


async def test_hapus_data_deletes_her_after_confirmation(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = await registered(phone, "sim:ibu-6")
    await ibu.says("asi saya sedikit sekali")
    assert "Yakin" in await ibu.says("HAPUS DATA")
    assert "tetap aman" in await ibu.says("2")
    await ibu.says("hapus data")
    assert "sudah kami hapus" in await ibu.says("1")
    assert await mothers(runtime) == []
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Identity).where(
            Identity.address == "sim:ibu-6")) == 0
        kept = (await session.scalars(select(InboundMessage.text))).all()
        assert all(text is None for text in kept), f"none of her words remain: {kept}"
        decisions = (await session.scalars(select(Consent.decision))).all()
        assert "deleted" in decisions


async def test_a_duplicated_message_id_changes_nothing(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-7")
    first = await ibu.send("DAFTAR MAWAR1", msg_id="wamid-1")
    again = await ibu.send("DAFTAR MAWAR1", msg_id="wamid-1")
    assert [r["id"] for r in again] == [r["id"] for r in first]
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Outbox)) == len(first)


async def test_two_mothers_talking_at_once_each_get_their_own_conversation(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    a, b = phone("sim:ibu-a"), phone("sim:ibu-b")
    # (Ana is asked the consent question twice; Bea picks English at it, then says yes)
    lines_a = ["DAFTAR MAWAR1", "hmm", "1", "Ana", "1", "hamil 7 bulan", "1", "8", "1"]
    lines_b = ["DAFTAR MELATI1", "3", "1", "Bea", "2", "12/10/2026", "1", "19", "1"]
    for line_a, line_b in zip(lines_a, lines_b, strict=True):
        await asyncio.gather(a.send(line_a), b.send(line_b))
    found = {m.name: m for m in await mothers(runtime)}
    ana_cadre, bea_cadre = found["Ana"].cadre, found["Bea"].cadre
    assert ana_cadre is not None and bea_cadre is not None
    assert found["Ana"].stage == "pregnant" and ana_cadre.name == "Bu Sari"
    assert found["Bea"].stage == "postnatal" and found["Bea"].lang == "en"
    assert bea_cadre.name == "Bu Nur"


async def test_a_danger_sign_during_registration_is_an_emergency_not_a_bad_date(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-8")
    await register(ibu, "DAFTAR MAWAR1", "1", "Dina", "2")
    answer = await ibu.says("dedek kejang dari tadi")
    assert "SEGERA" in answer and "119" in answer
    assert "belum terbaca" not in answer


async def test_mulai_after_stop_brings_back_her_future_check_ins(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    from db.models import Reminder

    ibu = await registered(phone, "sim:ibu-9")

    async def open_checkins() -> int:
        async with runtime.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(Reminder).where(
                Reminder.kind == "checkin", Reminder.done_at.is_(None))) or 0)

    planned = await open_checkins()
    assert planned > 0
    await ibu.says("STOP")
    assert await open_checkins() == 0
    await ibu.says("MULAI")
    assert await open_checkins() == planned


# --- the welcome series and the tips that follow it --------------------------------


async def _first_week(runtime: Runtime, phone: Any, address: str, born: str, days: int = 8
                      ) -> tuple[list[str], list[Outbox]]:
    """Register with this birth date; return the welcome texts and the tips of `days` days."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from tests.test_scheduler import World, local

    ibu = phone(address)
    await register(ibu, "DAFTAR MAWAR1", "1", "Ani", "2", born, "1", "8")
    saved = await ibu.send("1")
    welcome = [r["text"] for r in saved][1:]  # after "Tersimpan"
    [ani] = await mothers(runtime)
    world = World(runtime)
    today = runtime.clock.now().astimezone(ZoneInfo("Asia/Jakarta")).date()
    await world.at(runtime.clock.now() + timedelta(minutes=5))
    for offset in range(1, days):
        await world.at(local(today + timedelta(days=offset), 8, minute=5))
    return welcome, await world.sent(ani.id, "tip")


async def test_a_mother_registering_on_the_day_of_birth_hears_no_advice_twice_in_week_one(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    welcome, tips = await _first_week(runtime, phone, "sim:ibu-w0", "28/11/2026")
    assert [tip.dedupe_key.rsplit(":", 1)[-1][:11] for tip in tips if tip.dedupe_key] == [
        f"newborn_d0{day}" for day in range(8)]
    said = [" ".join(text.split()) for text in [*welcome, *(t.text for t in tips)]]
    for advice in ("8–12", "tidak mau menyusu", "kejang"):
        told = [text[:60] for text in said if advice in text]
        assert len(told) == 1, f"{advice!r} told {len(told)} times: {told}"
    # she still hears at once how to reach help and her own danger signs
    assert welcome[0].startswith("Selamat datang") and "SEGERA" in welcome[1]
    assert "darah nifas" in welcome[1] and len(welcome) == 2


async def test_a_mother_registering_at_4_months_gets_the_welcome_series_then_her_tips(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    from flows.catalogue import tips_by_key

    welcome, tips = await _first_week(runtime, phone, "sim:ibu-w4", "31/07/2026")  # day 120
    assert len(welcome) == 3
    assert "Dua kali seminggu" in welcome[0] and "Tanda bahaya" in welcome[1]
    assert "hanya ASI" in welcome[2]
    expected = sorted(t.key for t in tips_by_key().values()
                      if t.stage == "child" and 120 <= t.offset_days <= 127)
    assert expected and sorted(t.dedupe_key.rsplit(":", 1)[-1] for t in tips
                               if t.dedupe_key) == expected


# --- re-prompts that are not misses, and the way to her own cadre ---------------------


async def test_readable_but_impossible_dates_get_their_kind_word_and_are_not_misses(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-10")
    await register(ibu, "DAFTAR MAWAR1", "1", "Rani", "2")
    assert "belum lewat" in await ibu.says("12/12/2030")
    assert "2 tahun" in await ibu.says("01/01/2020")
    third = await ibu.says("12/12/2031")
    assert "belum lewat" in third and "belum saling paham" not in third
    assert "Betul?" in await ibu.says("10/11/2026")


async def test_three_real_misses_name_her_own_cadre(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-11")
    await register(ibu, "DAFTAR MAWAR1", "1", "Rani", "2")
    assert "belum terbaca" in await ibu.says("kapan ya")
    assert "belum terbaca" in await ibu.says("hmm")
    stuck = await ibu.says("entahlah")
    assert "belum saling paham" in stuck and "Bu Sari" in stuck


async def test_a_due_date_more_than_42_weeks_away_is_asked_again_kindly(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-12")
    await register(ibu, "DAFTAR MAWAR1", "1", "Sari", "1")
    assert "lebih dari 42 minggu" in await ibu.says("12/12/2027")
    assert "HPL Bunda 1 Februari 2027" in await ibu.says("01/02/2027")


async def test_a_due_date_passed_more_than_two_weeks_ago_is_asked_again_kindly(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-13")
    await register(ibu, "DAFTAR MAWAR1", "1", "Sari", "1")
    said = await ibu.says("01/11/2026")
    assert "sudah lewat lebih dari 2 minggu" in said
    assert "Betul?" in await ibu.says("hamil 7 bulan")


async def test_a_passed_due_date_then_2_or_udh_lahir_takes_her_to_the_birth_date(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-lewat")
    await register(ibu, "DAFTAR MAWAR1", "1", "Sari", "1")
    assert "balas 2" in await ibu.says("1/11/2026")  # 4 weeks ago
    assert "Kapan si kecil lahir" in await ibu.says("2")
    assert "lahir 5 November 2026" in await ibu.says("tgl 5 nov")
    other = phone("sim:ibu-lewat-2")
    await register(other, "DAFTAR MAWAR1", "1", "Wati", "1")
    # told at the due date question, the birth is not read as a due date next year
    assert "lahir 5 November 2026" in await other.says("udh lahir tgl 5 nov")
    await other.says("1")
    await other.says("8")
    await other.says("1")
    found = {m.name: m for m in await mothers(runtime)}
    assert (found["Wati"].stage, found["Wati"].birth_date) == ("postnatal", date(2026, 11, 5))


async def test_tidak_tahu_for_the_cadre_code_leaves_her_with_the_midwife_and_says_so(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-14")
    await register(ibu, "halo", "1", "Wulan", "2", "10/11/2026")
    assert "kode kader" in (await ibu.says("1")).lower()
    answer = await ibu.says("tidak tahu")
    assert "bidan puskesmas" in answer and "jam" in answer.lower()
    summary = await ibu.says("8")
    assert "didampingi bidan puskesmas" in summary and "kader bidan" not in summary
    await ibu.says("1")
    [wulan] = await mothers(runtime)
    assert wulan.cadre_id is None


async def test_ubah_sesuatu_at_the_summary_corrects_one_answer_and_comes_back(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-15")
    summary = await register(ibu, "DAFTAR MAWAR1", "1", "Ani", "2", "10/11/2026", "1", "8")
    assert "Ani" in summary
    assert "Apa yang mau diubah" in await ibu.says("2")
    assert "nama" in (await ibu.says("1")).lower()
    again = await ibu.says("Ani Lestari")
    assert "Ani Lestari" in again and "Simpan" in str(ibu.replies[-1]["choices"])
    await ibu.says("2")
    await ibu.says("hamil/lahir dan tanggalnya")
    await ibu.says("2")
    await ibu.says("12/11/2026")
    assert "usia 2 minggu" in await ibu.says("1")  # back at the summary
    await ibu.says("2")
    await ibu.says("4")  # tip hour
    assert "19.00" in await ibu.says("19")
    await ibu.says("1")
    [ani] = await mothers(runtime)
    assert (ani.name, ani.birth_date, ani.tip_hour) == ("Ani Lestari", date(2026, 11, 12), 19)


async def test_an_exact_date_is_echoed_without_sekitar_and_an_estimate_with_it(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-16")
    await register(ibu, "DAFTAR MAWAR1", "1", "Ani", "2")
    exact = await ibu.says("12 Oktober 2026")
    assert "lahir 12 Oktober 2026" in exact and "sekitar" not in exact
    await ibu.says("2")  # ubah
    assert "sekitar" in await ibu.says("3 minggu yang lalu")


async def test_the_new_mother_notice_to_her_cadre_waits_for_daytime(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    runtime.clock.set(datetime(2026, 11, 29, 2, 56, tzinfo=wib))  # type: ignore[attr-defined]
    await registered(phone, "sim:ibu-17")
    async with runtime.sessions() as session:
        [notice] = (await session.scalars(select(Outbox).where(
            Outbox.address == "sim:kader-sari", Outbox.text.contains("Ani")))).all()
    assert notice.not_before.astimezone(wib) == datetime(2026, 11, 29, 6, 0, tzinfo=wib)


async def test_a_danger_sign_at_the_birth_date_question_is_not_also_read_as_a_date(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-18")
    await register(ibu, "DAFTAR MAWAR1", "1", "Dina", "2")
    answer = await ibu.says("dedek kejang dari tadi")
    assert "SEGERA" in answer and "Betul?" not in answer, "'tadi' is not her baby's birthday"
    assert "Betul?" in await ibu.says("10/11/2026"), "the question is still open"
