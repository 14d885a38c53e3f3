"""Forgetting, on SQLite and PostgreSQL: someone who writes and never says yes, who says no,
who asks for her data to be deleted; and at the end, every table scanned for what is left."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select
from telegram import Update

from bot.runtime import Runtime
from bot.telegram.adapter import parse as telegram_parse
from bot.whatsapp.routes import inbound as whatsapp_inbound
from db.models import (
    Base,
    Case,
    Consent,
    Conversation,
    Identity,
    InboundMessage,
    Mother,
    Outbox,
    TipDelivery,
)
from flows.types import Inbound
from scheduler.jobs import heartbeat
from tests.fake_telegram import TOKEN


async def _count(runtime: Runtime, model: Any, *where: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where))
                   or 0)


async def test_a_woman_who_never_consents_is_forgotten_after_a_week(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    stranger = phone("sim:penasaran")
    assert "HAPUS DATA" in await stranger.says("halo")  # the consent question, unanswered
    siti = phone("sim:ibu-1")
    for line in ("DAFTAR MAWAR1", "1", "siti", "udh lahir", "3 minggu yg lalu", "1",
                 "pagi aja", "1"):
        await siti.says(line)
    async with runtime.sessions() as session, session.begin():
        pending = await session.scalars(select(Outbox).where(Outbox.status == "pending"))
        for row in pending:
            row.status = "delivered"

    runtime.clock.advance(timedelta(days=6))
    await heartbeat(runtime.sessions, runtime.clock.now(), runtime.config)
    assert await _count(runtime, Identity, Identity.address == "sim:penasaran") == 1

    runtime.clock.advance(timedelta(days=2))
    done = await heartbeat(runtime.sessions, runtime.clock.now(), runtime.config)
    assert done.forgotten == 1
    assert await _count(runtime, Identity, Identity.address == "sim:penasaran") == 0
    assert await _count(runtime, Outbox, Outbox.address == "sim:penasaran") == 0
    assert await _count(runtime, Conversation,
                        Conversation.identity_id.not_in(select(Identity.id))) == 0
    # the mother who said yes, and the cadres, are untouched
    assert await _count(runtime, Identity, Identity.address == "sim:ibu-1") == 1
    assert await _count(runtime, Identity, Identity.address == "sim:kader-sari") == 1
    assert await _count(runtime, Outbox, Outbox.address == "sim:ibu-1") > 0


async def test_hapus_data_takes_her_outbox_rows_and_tip_keys_with_her(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    # the outbox and tip_deliveries have no foreign keys (migration 0003): nothing cascades
    # there, flows.privacy.erase_mother must delete her rows itself
    ibu = phone("sim:ibu-hapus")
    for line in ("DAFTAR MAWAR1", "1", "Ani", "2", "10/11/2026", "1", "8", "1"):
        await ibu.says(line)
    await ibu.says("asi saya sedikit sekali")  # a case, and an alert about it to her cadre
    other = phone("sim:ibu-tetap")
    for line in ("DAFTAR MAWAR1", "1", "Bea", "2", "10/11/2026", "1", "8", "1"):
        await other.says(line)
    async with runtime.sessions() as session, session.begin():
        ani = await session.scalar(select(Mother.id).where(Mother.name == "Ani"))
        bea = await session.scalar(select(Mother.id).where(Mother.name == "Bea"))
        for mother_id in (ani, bea):  # a tip planned for each, as the planner writes it
            assert mother_id is not None
            session.add(TipDelivery(mother_id=mother_id, tip_key="child_d021",
                                    planned_at=runtime.clock.now()))
        cases = list((await session.scalars(select(Case.id).where(Case.mother_id == ani))).all())
    assert cases and await _count(runtime, Outbox, Outbox.case_id.in_(cases)) > 0
    assert await _count(runtime, TipDelivery, TipDelivery.mother_id == ani) > 0
    bea_rows = await _count(runtime, Outbox, Outbox.mother_id == bea)
    bea_keys = await _count(runtime, TipDelivery, TipDelivery.mother_id == bea)

    await ibu.says("HAPUS DATA")
    assert "sudah kami hapus" in await ibu.says("1")

    assert await _count(runtime, Outbox, Outbox.mother_id == ani) == 0
    assert await _count(runtime, Outbox, Outbox.case_id.in_(cases)) == 0
    assert await _count(runtime, TipDelivery, TipDelivery.mother_id == ani) == 0
    assert await _count(runtime, Outbox, Outbox.in_reply_to.is_not(None),
                        Outbox.in_reply_to.not_in(select(InboundMessage.id))) == 0
    # her goodbye is still there to be sent, and the other mother keeps everything
    goodbye = await _count(runtime, Outbox, Outbox.address == "sim:ibu-hapus",
                           Outbox.text.contains("sudah kami hapus"))
    assert goodbye == 1
    assert await _count(runtime, Outbox, Outbox.mother_id == bea) == bea_rows > 0
    assert await _count(runtime, TipDelivery, TipDelivery.mother_id == bea) == bea_keys > 0


# --- through the real channel adapters -----------------------------------------------------

KARTINI_WA = "+6281234567890"
KARTINI_CHAT = 700123456


class Channel:
    """A mother writing through the real channel adapter (Telegram update, Twilio form),
    straight into the engine: what reaches the database is what production stores."""

    def __init__(self, runtime: Runtime, channel: str) -> None:
        self.runtime, self.channel = runtime, channel
        self.address = KARTINI_WA if channel == "whatsapp" else str(KARTINI_CHAT)
        self.sequence = 0

    def inbound(self, text: str) -> Inbound:
        self.sequence += 1
        if self.channel == "whatsapp":
            form = {"MessageSid": f"SM{self.sequence:032d}", "From": f"whatsapp:{KARTINI_WA}",
                    "To": "whatsapp:+14155238886", "Body": text, "NumMedia": "0",
                    "ProfileName": "Kartini", "WaId": KARTINI_WA.lstrip("+")}
            found = whatsapp_inbound(form, self.runtime)
        else:
            chat = {"id": KARTINI_CHAT, "type": "private", "first_name": "Kartini"}
            update = Update.de_json({"update_id": 5000 + self.sequence, "message": {
                "message_id": self.sequence, "date": 1_790_000_000, "chat": chat, "text": text,
                "from": {"id": KARTINI_CHAT, "is_bot": False, "first_name": "Kartini"}}}, None)
            found = telegram_parse(update, self.runtime.clock.now(), TOKEN.encode()).inbound
        assert found is not None
        return found

    async def says(self, text: str) -> str:
        result = await self.runtime.handle(self.inbound(text))
        async with self.runtime.sessions() as session:
            said = (await session.scalars(select(Outbox.text).where(
                Outbox.id.in_(result.outbox_ids), Outbox.address == self.address)
                .order_by(Outbox.id))).all()
        return "\n".join(said)


async def _msg_ids(runtime: Runtime) -> list[str]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(InboundMessage.msg_id))).all())


async def test_the_ids_kept_of_her_telegram_messages_do_not_carry_her_chat(
    runtime: Runtime, demo: Any
) -> None:
    # she opens the bot from a poster, reads the consent question and says no: her chat
    # id goes with her address; the ids kept so that a retried webhook changes nothing
    # must not be her chat id under another name
    stranger = Channel(runtime, "telegram")
    await stranger.says("halo")
    refused = stranger.inbound("2")
    await runtime.handle(refused)
    ids = await _msg_ids(runtime)
    assert len(ids) == 2 and not [i for i in ids if str(KARTINI_CHAT) in i], ids
    again = await runtime.handle(refused)  # Telegram retries the webhook: still a repeat
    assert again.duplicate


# --- what we said to her address before she had a record --------------------------------------

REGISTER = ("DAFTAR MAWAR1", "1", "nama saya Kartini Rahayu", "2", "10/11/2026", "1",
            "8", "1")


async def _to(runtime: Runtime, address: str) -> list[str]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Outbox.text).where(
            Outbox.address == address).order_by(Outbox.id))).all())


async def _delivered_and_a_day_later(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        for row in await session.scalars(select(Outbox).where(Outbox.status == "pending")):
            row.status = "delivered"
    runtime.clock.advance(timedelta(days=1, minutes=5))
    await heartbeat(runtime.sessions, runtime.clock.now(), runtime.config)


async def test_hapus_data_takes_the_questions_we_asked_her_while_she_registered(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    # the consent question, "Salam kenal, Bunda Kartini Rahayu", her summary: written to her
    # address before her record existed, so they carried no mother id
    kartini = phone("sim:ibu-kartini")
    for line in REGISTER:
        await kartini.says(line)
    assert any("Kartini" in text for text in await _to(runtime, "sim:ibu-kartini"))
    await kartini.says("HAPUS DATA")
    await kartini.says("1")
    [goodbye] = await _to(runtime, "sim:ibu-kartini")
    assert "sudah kami hapus" in goodbye


async def test_her_goodbye_and_a_refusal_are_forgotten_a_day_after_they_went(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    kartini = phone("sim:ibu-kartini")
    for line in (*REGISTER, "HAPUS DATA", "1"):
        await kartini.says(line)
    refusing = phone("sim:ibu-tidak")
    await refusing.says("halo")
    await refusing.says("2")
    waiting = phone("sim:ibu-pikir")  # still thinking about the consent question
    await waiting.says("halo")
    assert await _to(runtime, "sim:ibu-kartini") and await _to(runtime, "sim:ibu-tidak")

    await _delivered_and_a_day_later(runtime)
    assert await _to(runtime, "sim:ibu-kartini") == []
    assert await _to(runtime, "sim:ibu-tidak") == []
    assert await _to(runtime, "sim:ibu-pikir"), "a stranger is forgotten after a week, not now"


async def test_hapus_data_before_her_registration_is_saved_forgets_her(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    # she said yes, gave her name, wrote a danger sign (a record and a case were made for
    # her cadre), and then asks for her data to be deleted before finishing registration
    dina = phone("sim:ibu-dina")
    for line in ("DAFTAR MAWAR1", "1", "Dina", "2", "dedek kejang dari tadi"):
        await dina.says(line)
    assert await _count(runtime, Mother) == 1 and await _count(runtime, Case) == 1
    assert "sudah kami hapus" in await dina.says("HAPUS DATA")
    assert await _count(runtime, Mother) == 0 and await _count(runtime, Case) == 0
    assert await _count(runtime, Identity, Identity.address == "sim:ibu-dina") == 0
    # someone who has not answered the consent question yet, the same
    stranger = phone("sim:penasaran")
    await stranger.says("halo")
    assert "sudah kami hapus" in await stranger.says("hapus data saya")
    assert await _count(runtime, Identity, Identity.address == "sim:penasaran") == 0


async def test_what_her_cadre_was_told_about_her_no_longer_names_her(
    runtime: Runtime, demo: Any, phone: Any
) -> None:
    # Bu Sari heard of Ibu Kartini when she joined, saw her in her lists and took her case;
    # after HAPUS DATA those messages (and the choices Bu Sari's phone would answer) are
    # kept for the lists of the other mothers, without her name
    kartini = phone("sim:ibu-kartini")
    for line in REGISTER:
        await kartini.says(line)
    other = phone("sim:ibu-bea")
    for line in ("DAFTAR MAWAR1", "1", "Bea", "2", "10/11/2026", "1", "8", "1"):
        await other.says(line)
    await kartini.says("puting saya lecet dan berdarah")
    sari = phone("sim:kader-sari")
    await sari.says("KASUS")
    await sari.says("IBU")
    await sari.says("1")  # she takes it from the alert's choices
    told = await _to(runtime, "sim:kader-sari")
    assert sum("Kartini" in text for text in told) >= 4, told

    await kartini.says("HAPUS DATA")
    await kartini.says("1")
    told = await _to(runtime, "sim:kader-sari")
    assert not [text for text in told if "Kartini" in text or "Rahayu" in text], told
    assert any("Bea" in text for text in told), "Bunda Bea is still in Bu Sari's lists"
    async with runtime.sessions() as session:
        kept = [json.dumps(data) for data in (await session.scalars(
            select(Conversation.data))).all()]
    assert not [data for data in kept if "Kartini" in data], kept


# --- every table, scanned ------------------------------------------------------------------

HER_WORDS = "puting kiri saya lecet dan berdarah"
HER_MORE_WORDS = "masih perih sekali bu"
CADRE_WORDS = "kompres pakai ASI perah ya bu"


async def _every_value(runtime: Runtime) -> list[tuple[str, str]]:
    """(table.column, value) for every value in every table of the database, found by
    reflection: a table added later is scanned without anyone listing it here."""
    def reflect(connection: Any) -> MetaData:
        found = MetaData()
        found.reflect(bind=connection)
        return found

    values: list[tuple[str, str]] = []
    async with runtime.engine.connect() as conn:
        metadata = await conn.run_sync(reflect)
        assert set(Base.metadata.tables) <= set(metadata.tables), "reflection sees every table"
        for table in metadata.sorted_tables:
            for row in (await conn.execute(select(table))).mappings():
                for column, value in row.items():
                    if value is not None:
                        shown = (json.dumps(value, ensure_ascii=False)
                                 if isinstance(value, dict | list) else str(value))
                        values.append((f"{table.name}.{column}", shown))
    return values


def _where(values: list[tuple[str, str]], needle: str) -> list[str]:
    """Where a needle is, each place with the value it is in."""
    return sorted({f"{place}: {value[:120]!r}" for place, value in values
                   if needle.lower() in value.lower()})


@pytest.mark.parametrize("channel", ["whatsapp", "telegram"])
async def test_after_hapus_data_no_table_holds_her_number_her_name_or_her_words(
    runtime: Runtime, demo: Any, phone: Any, channel: str
) -> None:
    # Ibu Kartini registers with Bu Sari's code, writes about a sore nipple, Bu Sari looks
    # at her lists, takes the case and answers her, she writes again; then she asks for her
    # data to be deleted. A day after her goodbye went, nothing of her is left anywhere
    kartini = Channel(runtime, channel)
    for line in REGISTER[:-1]:
        await kartini.says(line)
    assert "Tersimpan" in await kartini.says(REGISTER[-1])
    await kartini.says(HER_WORDS)
    async with runtime.sessions() as session:
        case_id = await session.scalar(select(Case.id).where(Case.text == HER_WORDS))
    assert case_id is not None
    sari = phone("sim:kader-sari")
    await sari.says("KASUS")
    await sari.says(f"AMBIL {case_id}")
    await sari.says(f"BALAS {case_id} {CADRE_WORDS}")
    await kartini.says(HER_MORE_WORDS)
    await sari.says("IBU")
    needles = [kartini.address.lstrip("+"), "Kartini", "Rahayu", HER_WORDS, HER_MORE_WORDS,
               CADRE_WORDS]
    before = await _every_value(runtime)
    for needle in needles:  # the scan does find each of them while she is with us
        assert _where(before, needle), needle

    await kartini.says("HAPUS DATA")
    assert "sudah kami hapus" in await kartini.says("1")
    await _delivered_and_a_day_later(runtime)

    after = await _every_value(runtime)
    left = {needle: _where(after, needle) for needle in needles}
    assert not any(left.values()), left
    async with runtime.sessions() as session:  # what may stay: that a deletion happened
        decisions = (await session.scalars(select(Consent.decision).where(
            Consent.mother_id.is_(None)))).all()
    assert "deleted" in decisions


@pytest.mark.parametrize("channel", ["whatsapp", "telegram"])
async def test_before_her_yes_no_table_holds_her_words_and_after_her_no_not_her_number(
    runtime: Runtime, demo: Any, channel: str
) -> None:
    # a woman who found the number on a poster writes first about her baby's fit, is
    # told where to go, reads the consent question and says no
    stranger = Channel(runtime, channel)
    first, words = "permisi ini nomor posyandu?", "bayi saya kejang dari tadi pagi"
    await stranger.says(first)
    assert "SEGERA" in await stranger.says(words)
    stored = await _every_value(runtime)
    assert not _where(stored, words) and not _where(stored, first)
    await stranger.says("2")
    await _delivered_and_a_day_later(runtime)
    assert not _where(await _every_value(runtime), stranger.address.lstrip("+"))
