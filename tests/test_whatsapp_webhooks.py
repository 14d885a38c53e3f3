"""WhatsApp through Twilio: signed webhooks into the real ASGI app, replies through twilio's
real client to a fake Twilio REST API, and status callbacks moving the outbox rows."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.logging import setup_logging
from bot.operators import ChannelAddress, add_staff
from bot.runtime import Runtime
from bot.telegram.transport import TelegramTransport
from bot.whatsapp.routes import INBOUND_PATH, STATUS_PATH
from bot.whatsapp.transport import WhatsAppTransport
from db.models import InboundMessage, Mother, Outbox
from messages.texts import text as ui_text
from scheduler.clock import FakeClock
from scheduler.delivery import Deliverer
from scheduler.planner import plan_tips
from scheduler.transport import Transport
from tests.fake_telegram import TOKEN, FakeTelegram, deliverer, fake_telegram
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, FakeTwilio, fake_twilio, sign

PUBLIC = "https://asibot.example.org"
# the loggers that print numbers, bodies or the bot token when left at INFO/DEBUG
VENDOR_LOGGERS = ("twilio.http_client", "twilio.async_http_client", "httpx", "httpcore",
                  "aiosqlite", "telegram.ext")
MOTHER = "+6281377770001"
CADRE_CHAT = 880011
TIP_TEMPLATE = "HX" + "7" * 32


@dataclasses.dataclass
class WhatsApp:
    """The app behind an HTTP client, the fakes, and the senders."""

    runtime: Runtime
    http: httpx.AsyncClient
    twilio: FakeTwilio
    telegram: FakeTelegram
    transports: dict[str, Transport]
    sids: int = 0
    delivery: Deliverer | None = None

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.runtime.clock, FakeClock)
        return self.runtime.clock

    async def post(self, path: str, params: dict[str, str], *, signature: str | None = None,
                   raw: bytes | None = None) -> httpx.Response:
        """POST a form as Twilio does, signed for PUBLIC + path unless told otherwise."""
        sig = sign(PUBLIC + path, params) if signature is None else signature
        body = raw if raw is not None else urlencode(params).encode()
        return await self.http.post(path, content=body, headers={
            "X-Twilio-Signature": sig, "content-type": "application/x-www-form-urlencoded"})

    async def deliver(self) -> int:
        """What is due goes out through the real delivery loop (window, templates, retries)."""
        if self.delivery is None:
            self.delivery = deliverer(self.runtime, self.transports)
        return await self.delivery.drain()

    def message(self, body: str = "", sender: str = MOTHER, **extra: str) -> dict[str, str]:
        self.sids += 1
        return {"MessageSid": f"SM{self.sids:032d}", "AccountSid": ACCOUNT_SID,
                "From": f"whatsapp:{sender}", "To": f"whatsapp:{FROM}", "Body": body,
                "NumMedia": "0", "ProfileName": "Siti", "WaId": sender.lstrip("+"), **extra}

    async def say(self, body: str = "", **extra: str) -> list[str]:
        """She writes on WhatsApp; returns what the bot then sent her."""
        before = len(self.twilio.bodies_to(MOTHER))
        response = await self.post(INBOUND_PATH, self.message(body, **extra))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/xml")
        assert "<Response></Response>" in response.text
        await self.deliver()
        return self.twilio.bodies_to(MOTHER)[before:]


@pytest.fixture
async def wa(runtime: Runtime, demo: Any) -> AsyncIterator[WhatsApp]:
    async with fake_twilio() as twilio, fake_telegram() as telegram:
        settings = runtime.settings.model_copy(update={
            "public_base_url": PUBLIC, "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN, "twilio_whatsapp_from": FROM,
            "twilio_api_base_url": twilio.base_url, "telegram_bot_token": TOKEN,
            "telegram_api_base_url": telegram.base_url + "/bot",
            "twilio_templates": {"tip": TIP_TEMPLATE}})
        own = dataclasses.replace(runtime, settings=settings)
        async with own.sessions() as session, session.begin():
            await add_staff(session, name="Bu Tini", role="cadre", posyandu="Posyandu Anggrek",
                            code="ANGGREK1", address=ChannelAddress("telegram", str(CADRE_CHAT)),
                            now=own.clock.now())
        transports: dict[str, Transport] = {"whatsapp": WhatsAppTransport(settings),
                      "telegram": TelegramTransport(settings)}
        app = create_app(runtime=own, background=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url=PUBLIC) as http:
            yield WhatsApp(own, http, twilio, telegram, transports)
        for sender in transports.values():
            await sender.close()


async def register(wa: WhatsApp) -> None:
    consent = await wa.say("DAFTAR ANGGREK1")
    assert consent and "Bu Tini" in consent[0] and "\n1. " in consent[0]
    for line in ("1", "nama saya siti", "udh lahir", "3 minggu yg lalu", "1", "pagi aja"):
        await wa.say(line)
    saved = await wa.say("1")
    assert saved and saved[0].startswith("Tersimpan")


async def count(runtime: Runtime, model: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_mother_registers_on_whatsapp_gets_tips_and_her_telegram_cadre_is_alerted(
        wa: WhatsApp) -> None:
    await register(wa)
    assert wa.telegram.texts_to(CADRE_CHAT), "Bu Tini hears of a new mother on Telegram"
    async with wa.runtime.sessions() as session:
        [siti] = (await session.scalars(select(Mother))).all()
        assert siti.cadre is not None and siti.cadre.name == "Bu Tini"
    identity_address = MOTHER  # stored without the whatsapp: prefix
    async with wa.runtime.sessions() as session:
        addresses = (await session.scalars(select(Outbox.address).where(
            Outbox.channel == "whatsapp"))).all()
    assert set(addresses) == {identity_address}

    # a week of mornings. She writes on the morning her first tip is due, so the 24-hour
    # window is open for that one and shut for the later ones: those go as the approved
    # template (TWILIO_TEMPLATES), which the delivery loop chooses outside the window
    wa.clock.advance(timedelta(hours=22))
    wrote = False
    for _ in range(8):
        async with wa.runtime.sessions() as session, session.begin():
            await plan_tips(session, wa.runtime.clock.now())
            due = await session.scalar(select(func.count()).select_from(Outbox).where(
                Outbox.kind == "tip", Outbox.status == "pending",
                Outbox.not_before <= wa.runtime.clock.now()))
        if due and not wrote:
            await wa.say("terima kasih")
            wrote = True
        await wa.deliver()
        wa.clock.advance(timedelta(days=1))
    async with wa.runtime.sessions() as session:
        tips = (await session.execute(select(Outbox.status, Outbox.provider_msg_id).where(
            Outbox.channel == "whatsapp", Outbox.kind == "tip").order_by(Outbox.id))).all()
    assert len(tips) >= 2 and all(status == "sent" for status, _ in tips), tips
    by_sid = {m["Sid"]: m for m in wa.twilio.sent}
    sent = [by_sid[str(sid)] for _, sid in tips]
    assert "Body" in sent[0] and "ContentSid" not in sent[0], "inside her window: as text"
    assert all(m.get("ContentSid") == TIP_TEMPLATE for m in sent[1:]), "outside: the template"

    alerts = len(wa.telegram.texts_to(CADRE_CHAT))
    answer = await wa.say("puting saya lecet dan berdarah")
    assert answer, "she gets first guidance at once"
    assert len(wa.telegram.texts_to(CADRE_CHAT)) > alerts, "and Bu Tini an alert on Telegram"


async def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(
        wa: WhatsApp) -> None:
    params = wa.message("DAFTAR ANGGREK1")
    assert (await wa.post(INBOUND_PATH, params, signature="bm90IGl0")).status_code == 403
    assert (await wa.post(INBOUND_PATH, params, signature="")).status_code == 403
    other_url = sign("https://elsewhere.example.org" + INBOUND_PATH, params)
    assert (await wa.post(INBOUND_PATH, params, signature=other_url)).status_code == 403
    tampered = {**params, "Body": "STOP"}
    signed_for_original = sign(PUBLIC + INBOUND_PATH, params)
    assert (await wa.post(INBOUND_PATH, tampered,
                          signature=signed_for_original)).status_code == 403
    assert await count(wa.runtime, InboundMessage) == 0
    status = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    assert (await wa.post(STATUS_PATH, status, signature="x")).status_code == 403


async def test_a_retried_message_sid_is_answered_and_not_run_again(wa: WhatsApp) -> None:
    params = wa.message("DAFTAR ANGGREK1")
    for _ in range(3):
        response = await wa.post(INBOUND_PATH, params)
        assert response.status_code == 200 and "<Response>" in response.text
    assert await count(wa.runtime, InboundMessage) == 1
    assert await count(wa.runtime, Outbox) == 1


async def test_a_photo_without_words_is_answered_kindly(wa: WhatsApp) -> None:
    await register(wa)
    answer = await wa.say("", NumMedia="1", MediaContentType0="image/jpeg",
                          MediaUrl0="https://api.twilio.com/media/ME1")
    assert answer, "she is told we cannot look at pictures, kindly"


async def test_twilios_opt_out_is_honoured(wa: WhatsApp) -> None:
    await register(wa)
    await wa.say("Stop please", OptOutType="STOP")
    async with wa.runtime.sessions() as session:
        [siti] = (await session.scalars(select(Mother))).all()
    assert siti.status == "opted_out"


async def test_bad_input_is_answered_clearly_never_with_a_500(wa: WhatsApp) -> None:
    limit = wa.runtime.settings.max_body_bytes
    no_sid = {"From": f"whatsapp:{MOTHER}", "Body": "halo"}
    assert (await wa.post(INBOUND_PATH, no_sid)).status_code == 400
    sms = wa.message("halo") | {"From": MOTHER}
    assert (await wa.post(INBOUND_PATH, sms)).status_code == 400
    assert (await wa.post(INBOUND_PATH, {}, raw=b"Body=%ff%fe&From=x")).status_code == 400
    assert (await wa.post(INBOUND_PATH, {}, raw=b"\xff\xfe=\xfa")).status_code == 400
    huge = wa.message("a" * limit)
    assert (await wa.post(INBOUND_PATH, huge)).status_code == 413
    assert (await wa.post(STATUS_PATH, {"MessageSid": "SM1"})).status_code == 400
    weird = {"MessageSid": "SM1", "MessageStatus": "exploded"}
    assert (await wa.post(STATUS_PATH, weird)).status_code == 400
    unknown = {"MessageSid": "SM" + "9" * 32, "MessageStatus": "delivered"}
    assert (await wa.post(STATUS_PATH, unknown)).status_code == 204
    assert await count(wa.runtime, InboundMessage) == 0


async def _first_sent(wa: WhatsApp) -> Outbox:
    await wa.say("DAFTAR ANGGREK1")
    async with wa.runtime.sessions() as session:
        row = (await session.scalars(select(Outbox).where(Outbox.channel == "whatsapp"))).one()
    assert row.status == "sent" and row.provider_msg_id
    return row


async def _row(wa: WhatsApp, row_id: int) -> Outbox:
    async with wa.runtime.sessions() as session:
        found = await session.get(Outbox, row_id)
        assert found is not None
        return found


async def test_status_callbacks_move_the_row_forward_and_never_back(wa: WhatsApp) -> None:
    row = await _first_sent(wa)
    sid = str(row.provider_msg_id)
    for status in ("read", "delivered", "sent", "delivered"):  # out of order, and again
        response = await wa.post(STATUS_PATH, {"MessageSid": sid, "MessageStatus": status,
                                               "AccountSid": ACCOUNT_SID})
        assert response.status_code == 204
    assert (await _row(wa, row.id)).status == "read"
    late = {"MessageSid": sid, "MessageStatus": "failed", "ErrorCode": "30008"}
    assert (await wa.post(STATUS_PATH, late)).status_code == 204
    assert (await _row(wa, row.id)).status == "read", "a late failure after reading is moot"


async def test_a_failed_status_keeps_twilios_error_code(wa: WhatsApp) -> None:
    row = await _first_sent(wa)
    failed = {"MessageSid": str(row.provider_msg_id), "MessageStatus": "undelivered",
              "ErrorCode": "30008"}
    assert (await wa.post(STATUS_PATH, failed)).status_code == 204
    after = await _row(wa, row.id)
    assert (after.status, after.error_code) == ("undelivered", "30008")


async def test_outside_the_window_the_row_waits_for_her_next_message(wa: WhatsApp) -> None:
    row = await _first_sent(wa)
    closed = {"MessageSid": str(row.provider_msg_id), "MessageStatus": "failed",
              "ErrorCode": "63016"}
    assert (await wa.post(STATUS_PATH, closed)).status_code == 204
    after = await _row(wa, row.id)
    assert (after.status, after.error_code) == ("held", "63016")
    await wa.say("halo")  # she writes again: the held message goes out with the reply
    assert (await _row(wa, row.id)).status != "held"


async def test_webhook_logs_carry_neither_her_number_nor_her_words(
        wa: WhatsApp, caplog: pytest.LogCaptureFixture) -> None:
    for name in VENDOR_LOGGERS:  # as chatty as anything before us may have left them
        logging.getLogger(name).setLevel(logging.DEBUG)
    setup_logging("DEBUG")  # the app's own setup: it alone must hold the vendors at WARNING
    caplog.set_level(logging.DEBUG)
    await wa.say("DAFTAR ANGGREK1")
    await wa.say("1")
    await wa.say("nama saya Kartini Rahayu")
    await wa.post(INBOUND_PATH, wa.message("Kartini"), signature="bad")
    await wa.post(INBOUND_PATH, {"From": f"whatsapp:{MOTHER}"})
    assert caplog.records
    for secret in ("Kartini", MOTHER, MOTHER.lstrip("+"), AUTH_TOKEN):
        assert secret not in caplog.text


async def test_a_nul_in_her_text_is_cleaned_not_a_500(wa: WhatsApp) -> None:
    await register(wa)
    response = await wa.post(INBOUND_PATH, wa.message("puting saya\x00 lecet\x07"))
    assert response.status_code == 200 and "<Response>" in response.text
    async with wa.runtime.sessions() as session:
        kept = await session.scalar(select(InboundMessage.text).order_by(
            InboundMessage.id.desc()).limit(1))
    assert kept == "puting saya lecet"


WHATSAPP_MEDIA = {"photo": "image/jpeg", "voice": "audio/ogg", "sticker": "image/webp",
                  "document": "application/pdf"}


def _media(content_type: str) -> dict[str, str]:
    return {"NumMedia": "1", "MediaContentType0": content_type,
            "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1"}


async def test_media_gets_the_kind_text_only_answer_and_with_a_case_her_cadre_is_told(
        wa: WhatsApp) -> None:
    await register(wa)
    for kind, content_type in WHATSAPP_MEDIA.items():  # no case: the kind answer, in Bahasa
        assert await wa.say("", **_media(content_type)) == [ui_text("common.media", "id")], kind
    await wa.say("puting saya lecet dan berdarah")  # a case for Bu Tini (on Telegram)
    for kind, content_type in WHATSAPP_MEDIA.items():
        before = len(wa.telegram.texts_to(CADRE_CHAT))
        answer = await wa.say("", **_media(content_type))
        assert answer == [ui_text("problem.media_passed", "id")], kind
        [note] = wa.telegram.texts_to(CADRE_CHAT)[before:]
        assert "Siti" in note and ui_text(f"cases.media.{kind}", "id") in note, (kind, note)
    before = len(wa.telegram.texts_to(CADRE_CHAT))
    answers = await wa.say("ini fotonya bu", **_media("image/jpeg"))
    told = wa.telegram.texts_to(CADRE_CHAT)[before:]
    assert any("ini fotonya bu" in t for t in told), "the caption reaches her cadre as words"
    assert any(ui_text("cases.media.photo", "id") in t for t in told), "and that it was a photo"
    assert answers[-1] == ui_text("problem.media_passed", "id")
