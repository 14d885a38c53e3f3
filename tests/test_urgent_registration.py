"""A danger sign while she is still registering: once she has consented it is a case like any
other (her cadre and the health worker alerted at once, day or night); before consent only
the way to the facility, and nothing kept. Her words are never taken as the answer to the
question that was open.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import func, select

from bot.runtime import Runtime
from db.models import Case, Consent, InboundMessage, Mother
from tests.test_cases import RINA, SARI, events, local, to

KEJANG = "dedek kejang dari tadi"


async def the_mothers(runtime: Runtime) -> list[Mother]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Mother).order_by(Mother.id))).all())


async def the_cases(runtime: Runtime) -> list[Case]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Case).order_by(Case.id))).all())


async def test_a_danger_sign_at_the_birth_date_question_alerts_her_cadre_and_the_midwife(
    runtime: Runtime, demo: Any, phone: Any, clock: Any
) -> None:
    ibu = phone("sim:ibu-dina")
    for line in ("DAFTAR MAWAR1", "1", "Dina", "2"):
        said = await ibu.says(line)
    assert "Kapan si kecil lahir" in said
    clock.set(local(29, 2, 56))
    answer = await ibu.says(KEJANG)
    assert answer.startswith("SEGERA")
    assert "Bu Sari dan Bidan Rina sudah kami kabari" in answer
    assert "lahir sekitar" not in answer and "Betul" not in answer, "not taken as a date"
    assert answer.rstrip().endswith(said.rstrip()), "the birth question is asked again"
    now = local(29, 2, 56).astimezone(UTC).isoformat()
    for address in (SARI, RINA):
        [alert] = to(ibu, address)
        assert alert["at"] == now, "urgent: no quiet hours"
        assert "DARURAT" in alert["text"] and "Bunda Dina" in alert["text"]
        assert KEJANG in alert["text"] and "tanda bahaya pada bayi" in alert["text"]
        assert "belum selesai mendaftar" in alert["text"] and "BALAS" in alert["text"]
        assert [c["label"] for c in alert["choices"]][:2] == ["Saya tangani", "Balas ke Bunda Dina"]
    [case] = await the_cases(runtime)
    assert case.urgent and case.label == "danger_baby" and case.text == KEJANG
    [early] = await the_mothers(runtime)
    assert (early.status, early.name, early.cadre is not None) == ("registering", "Dina", True)
    assert case.mother_id == early.id
    assert ("alerted", "Bu Sari") in await events(runtime, case.id)
    assert ("alerted", "Bidan Rina") in await events(runtime, case.id)

    # Bu Sari takes it at once and her words reach Dina through the bot
    sari = phone(SARI)
    assert "Anda tangani" in await sari.says("1")
    await sari.send("Bunda, sy ke rumah sekarang ya")
    assert [r["text"] for r in to(sari, "sim:ibu-dina")] == [
        "Bu Sari: Bunda, sy ke rumah sekarang ya"]

    # she finishes registering later: one record, hers, with her case
    clock.set(local(29, 9))
    for line in ("3 minggu yg lalu", "1", "8", "1"):
        said = await ibu.says(line)
    assert "Tersimpan" in said
    [mother] = await the_mothers(runtime)
    assert (mother.id, mother.status, mother.name) == (early.id, "active", "Dina")
    assert mother.birth_date is not None
    [case] = await the_cases(runtime)
    assert case.mother_id == mother.id and case.status == "taken"


async def test_a_danger_sign_before_consent_gets_facility_advice_and_nothing_is_kept(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-asing")
    consent = await ibu.says("DAFTAR MAWAR1")
    answer = await ibu.says(KEJANG)
    assert answer.startswith("SEGERA") and "119" in answer
    assert "sudah kami kabari" not in answer
    assert answer.rstrip().endswith(consent.rstrip()), "the consent question is asked again"
    assert not to(ibu, SARI) and not to(ibu, RINA)
    assert await the_cases(runtime) == [] and await the_mothers(runtime) == []
    async with runtime.sessions() as session:
        kept = await session.scalar(select(func.count()).select_from(InboundMessage).where(
            InboundMessage.text.is_not(None)))
        consents = await session.scalar(select(func.count()).select_from(Consent))
    assert kept == 0 and consents == 0
    # a first message that is a danger sign: the advice, then the consent question
    stranger = phone("sim:ibu-asing-2")
    first = await stranger.says("bayi sy kejang")
    assert first.startswith("SEGERA") and "setuju" in first.lower()
    assert await the_cases(runtime) == []


async def test_a_danger_sign_at_the_name_question_without_an_invite_goes_to_the_health_worker(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-tanpa-kader")
    for line in ("halo", "1"):
        said = await ibu.says(line)
    assert said.endswith("Siapa nama Bunda?")
    answer = await ibu.says("darah nifas banyak bgt ganti pembalut tiap jam")
    assert answer.startswith("SEGERA")
    assert "Bidan Rina sudah kami kabari" in answer
    assert answer.rstrip().endswith("Siapa nama Bunda?"), "the open question is asked again"
    [alert] = to(ibu, RINA)
    assert "(belum menyebut nama)" in alert["text"]
    assert not to(ibu, SARI)
    [case] = await the_cases(runtime)
    assert case.label == "danger_mother"


async def test_stop_in_the_middle_of_registering_forgets_the_record_her_danger_sign_made(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    ibu = phone("sim:ibu-pergi")
    for line in ("DAFTAR MAWAR1", "1", "Dina", "2", KEJANG):
        await ibu.send(line)
    assert len(await the_cases(runtime)) == 1
    await ibu.send("STOP")
    assert await the_cases(runtime) == [] and await the_mothers(runtime) == []
