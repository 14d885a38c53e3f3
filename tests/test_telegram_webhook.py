"""Telegram in webhook mode: the real app on uvicorn, PTB talking to a fake Bot API.

The fake Bot API posts updates to the webhook the app registered (with its secret
token), and the senders deliver the outbox to the fake through python-telegram-bot
and twilio's client.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.app import create_app
from bot.logging import setup_logging
from bot.operators import ChannelAddress, add_staff
from bot.runtime import Runtime
from bot.telegram.polling import build_application, build_webhook_application
from bot.telegram.routes import PATH, SECRET_HEADER, webhook_secret
from bot.telegram.transport import TelegramTransport
from bot.whatsapp.transport import WhatsAppTransport
from db.models import InboundMessage, Mother, Outbox
from messages.texts import text as ui_text
from scheduler.clock import FakeClock
from scheduler.delivery import Deliverer
from scheduler.planner import plan_tips
from scheduler.transport import Transport
from tests.fake_telegram import (
    TOKEN,
    FakeTelegram,
    bound_socket,
    deliverer,
    fake_telegram,
    serving,
)
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, FakeTwilio, fake_twilio

MOTHER = 700100200
CADRE_WA = "+6281299990001"


@dataclasses.dataclass
class Deployment:
    """The app on a real port, its fakes, and the senders."""

    runtime: Runtime
    url: str
    telegram: FakeTelegram
    twilio: FakeTwilio
    transports: dict[str, Transport]
    app: Any = None
    delivery: Deliverer | None = None

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.runtime.clock, FakeClock)
        return self.runtime.clock

    async def deliver(self) -> int:
        """What is due goes out through the real delivery loop."""
        if self.delivery is None:
            self.delivery = deliverer(self.runtime, self.transports)
        return await self.delivery.drain()

    async def say(self, text: str | None = None, press: str | None = None,
                  **content: Any) -> list[str]:
        """She writes (or presses a button); returns what the bot then sent her."""
        before = len(self.telegram.texts_to(MOTHER))
        update = (self.telegram.press_update(MOTHER, press) if press is not None
                  else self.telegram.message_update(MOTHER, text, **content))
        response = await self.telegram.deliver(update)
        assert response is not None and response.status_code == 200, response
        await self.deliver()
        return self.telegram.texts_to(MOTHER)[before:]


@pytest.fixture
async def deployment(runtime: Runtime, demo: Any) -> AsyncIterator[Deployment]:
    async with fake_telegram() as telegram, fake_twilio() as twilio:
        sock = bound_socket()
        public = f"http://127.0.0.1:{sock.getsockname()[1]}"
        settings = runtime.settings.model_copy(update={
            "telegram_bot_token": TOKEN, "telegram_api_base_url": telegram.base_url + "/bot",
            "public_base_url": public, "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN, "twilio_whatsapp_from": FROM,
            "twilio_api_base_url": twilio.base_url,
            # Bu Ani never writes to the bot, so her 24-hour window is shut: what she is told
            # goes as approved templates, as it must in production
            "twilio_templates": {"alert": "HX" + "a" * 32, "relay": "HX" + "b" * 32}})
        own = dataclasses.replace(runtime, settings=settings)
        async with own.sessions() as session, session.begin():
            await add_staff(session, name="Bu Ani", role="cadre", posyandu="Posyandu Kenanga",
                            code="KENANGA1", address=ChannelAddress("whatsapp", CADRE_WA),
                            now=own.clock.now())
        transports: dict[str, Transport] = {"telegram": TelegramTransport(settings),
                      "whatsapp": WhatsAppTransport(settings)}
        app = create_app(runtime=own, background=True)
        async with serving(app, sock, lifespan="on") as url:
            for _ in range(200):
                if telegram.webhook and telegram.commands:  # both registered, in order
                    break
                await __import__("asyncio").sleep(0.02)
            yield Deployment(own, url, telegram, twilio, transports, app)
        for sender in transports.values():
            await sender.close()


async def register(d: Deployment) -> None:
    consent = await d.say("/start KENANGA1")
    assert any("Bu Ani" in text for text in consent)
    await d.say(press="1")  # consent
    await d.say("nama saya siti")
    await d.say("udh lahir")
    await d.say("3 minggu yg lalu")
    await d.say(press="1")  # betul
    await d.say("pagi aja")
    saved = await d.say(press="1")  # simpan
    assert saved and saved[0].startswith("Tersimpan")


async def test_the_app_registers_its_webhook_with_a_secret_token(deployment: Deployment) -> None:
    hook = deployment.telegram.webhook
    assert hook["url"] == deployment.url + PATH
    assert hook["secret_token"] == webhook_secret(deployment.runtime.settings)
    assert hook["allowed_updates"] == ["message", "callback_query"]
    assert {c["command"] for c in deployment.telegram.commands} == {"menu", "help", "stop"}


async def test_the_webhook_feeds_a_ptb_application_without_an_updater(
        deployment: Deployment) -> None:
    d = deployment
    application = d.app.state.telegram
    assert isinstance(application, Application) and application.updater is None
    assert application.running, "initialised and started with the app's lifespan"
    assert application.bot.base_url == d.runtime.settings.telegram_api_base_url + TOKEN
    seen: list[int] = []

    async def spy(update: Update, context: object) -> None:
        seen.append(update.update_id)

    application.add_handler(TypeHandler(Update, spy), group=-1)
    update = d.telegram.message_update(MOTHER, "/start KENANGA1")
    response = await d.telegram.deliver(update)
    assert response is not None and response.status_code == 200
    assert seen == [update["update_id"]], "the update went through PTB's handlers"
    # answered only after the engine committed: the reply is in the outbox already
    async with d.runtime.sessions() as session:
        pending = (await session.scalars(select(Outbox.text).where(
            Outbox.channel == "telegram", Outbox.address == str(MOTHER)))).all()
    assert any("Bu Ani" in text for text in pending)


def test_polling_and_webhook_share_one_handler(deployment: Deployment) -> None:
    def callbacks(application: Application) -> list[str]:  # type: ignore[type-arg]
        return [h.callback.__qualname__ for group in application.handlers.values()
                for h in group]

    polled = build_application(deployment.runtime)
    hooked = build_webhook_application(deployment.runtime)
    assert hooked.updater is None and polled.updater is not None
    assert callbacks(polled) == callbacks(hooked) == ["add_handlers.<locals>.on_update"]


async def test_the_webhook_takes_updates_while_telegram_is_unreachable(
        runtime: Runtime, demo: Any) -> None:
    settings = runtime.settings.model_copy(update={
        "telegram_bot_token": TOKEN, "telegram_api_base_url": "http://127.0.0.1:9/bot",
        "public_base_url": "https://asibot.example.org"})
    own = dataclasses.replace(runtime, settings=settings)
    app = create_app(runtime=own, background=False)
    update = {"update_id": 5, "message": {
        "message_id": 1, "date": 1_790_000_000, "text": "/start MAWAR1",
        "chat": {"id": MOTHER, "type": "private"},
        "from": {"id": MOTHER, "is_bot": False, "first_name": "Siti"}}}
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://asibot.test") as http:
        response = await http.post(PATH, json=update,
                                   headers={SECRET_HEADER: webhook_secret(settings)})
    assert response.status_code == 200
    assert await _count(own, InboundMessage) == 1 and await _count(own, Outbox) == 1


async def test_mother_registers_on_telegram_gets_tips_and_her_whatsapp_cadre_is_alerted(
        deployment: Deployment) -> None:
    d = deployment
    await register(d)
    # every button press was acknowledged in the webhook's answer, so the spinner stopped
    assert len(d.telegram.answered) == 3  # consent, betul, simpan
    assert d.twilio.texts_to(CADRE_WA), "her cadre hears of a new mother on WhatsApp"
    keyboards = [m["reply_markup"] for m in d.telegram.sent if m["reply_markup"]]
    assert keyboards and all(len(b["callback_data"].encode()) <= 64
                             for k in keyboards for [b] in k["inline_keyboard"])
    async with d.runtime.sessions() as session:
        [siti] = (await session.scalars(select(Mother))).all()
        assert siti.name == "Siti" and siti.cadre is not None and siti.cadre.name == "Bu Ani"

    before = len(d.telegram.sent)
    d.clock.advance(timedelta(hours=22))  # 08:00 in Jakarta the next morning
    for _ in range(8):  # a week of mornings: the weekly tip comes
        async with d.runtime.sessions() as session, session.begin():
            await plan_tips(session, d.runtime.clock.now())
        await d.deliver()
        d.clock.advance(timedelta(days=1))
    async with d.runtime.sessions() as session:
        kinds = (await session.scalars(select(Outbox.kind).where(
            Outbox.channel == "telegram", Outbox.status == "sent"))).all()
    assert "tip" in kinds and len(d.telegram.sent) > before, "tips reach her on Telegram"

    alerts = len(d.twilio.texts_to(CADRE_WA))
    answer = await d.say("puting saya lecet dan berdarah")
    assert answer, "she gets first guidance at once"
    assert len(d.twilio.texts_to(CADRE_WA)) > alerts, "and Bu Ani an alert on WhatsApp"


async def test_commands_map_to_the_engines_words(deployment: Deployment) -> None:
    await register(deployment)
    menu = await deployment.say("/menu")
    assert menu and any(m["reply_markup"] for m in deployment.telegram.sent[-len(menu):])
    assert await deployment.say("/help@sahabat_asi_bot")


async def test_a_photo_is_answered_kindly(deployment: Deployment) -> None:
    await register(deployment)
    photo = [{"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}]
    answer = await deployment.say(photo=photo)
    assert answer, "a photo gets a kind answer"


async def _count(runtime: Runtime, model: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_wrong_or_missing_secret_token_is_refused_and_nothing_is_stored(
        deployment: Deployment) -> None:
    update = deployment.telegram.message_update(MOTHER, "halo")
    async with httpx.AsyncClient(base_url=deployment.url) as http:
        wrong = await http.post(PATH, json=update, headers={SECRET_HEADER: "nope"})
        missing = await http.post(PATH, json=update)
    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert await _count(deployment.runtime, InboundMessage) == 0


async def test_bad_input_is_answered_clearly_never_with_a_500(
        deployment: Deployment, caplog: pytest.LogCaptureFixture) -> None:
    d = deployment
    caplog.set_level(logging.INFO, logger="bot")
    secret = {SECRET_HEADER: webhook_secret(d.runtime.settings)}
    limit = d.runtime.settings.max_body_bytes
    async with httpx.AsyncClient(base_url=d.url) as http:
        async def post(body: bytes) -> int:
            response = await http.post(PATH, content=body, headers={
                **secret, "content-type": "application/json"})
            return response.status_code

        assert await post(b"{not json") == 400
        assert await post(b"\xff\xfe\xfa") == 400
        assert await post(b"[1, 2]") == 400
        assert await post(b'{"update_id": 1, "message": 5}') == 200  # unreadable: not retried
        assert await post(json.dumps({"update_id": 9, "poll": {"id": "p"}}).encode()) == 200
        assert "telegram update unreadable (TypeError)" in caplog.text
        # a kind of update PTB does not know yet: read, ignored, answered 200, logged by name
        assert await post(json.dumps({"update_id": 10, "future_kind": {"x": 1}}).encode()) == 200
        assert "telegram update ignored (future_kind)" in caplog.text
        assert await post(b'{"update_id": 1, "x": "' + b"a" * limit + b'"}') == 413
    edited = d.telegram.message_update(MOTHER, "halo")
    edited["edited_message"] = edited.pop("message")
    group = d.telegram.message_update(MOTHER, "halo", chat={"id": -100, "type": "group",
                                                            "title": "Posyandu"})
    for update in (edited, group):
        response = await d.telegram.deliver(update)
        assert response is not None and response.status_code == 200
    assert await _count(d.runtime, InboundMessage) == 0, "edits and groups are not replayed"


async def test_a_retried_update_is_answered_and_not_run_twice(deployment: Deployment) -> None:
    update = deployment.telegram.message_update(MOTHER, "/start KENANGA1")
    for _ in range(2):
        response = await deployment.telegram.deliver(update)
        assert response is not None and response.status_code == 200
    assert await _count(deployment.runtime, InboundMessage) == 1
    async with deployment.runtime.sessions() as session:
        replies = await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.channel == "telegram"))
    assert replies == 1


async def test_webhook_logs_carry_neither_her_text_nor_her_chat(
        deployment: Deployment, caplog: pytest.LogCaptureFixture) -> None:
    setup_logging("INFO")  # as `asibot serve` does: vendor loggers held at WARNING
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    await deployment.say("/start KENANGA1")
    await deployment.say(press="1")
    await deployment.say(press="1")
    await deployment.say("nama saya Kartini Rahayu")
    await deployment.telegram.deliver({"update_id": 77, "message": 5})
    assert caplog.records, "the webhook does log"
    assert "Kartini" not in caplog.text and str(MOTHER) not in caplog.text
    assert TOKEN not in caplog.text and CADRE_WA not in caplog.text


async def test_a_nul_or_a_lone_surrogate_in_her_text_is_cleaned_not_a_500(
        deployment: Deployment) -> None:
    d = deployment
    await register(d)
    secret = {SECRET_HEADER: webhook_secret(d.runtime.settings),
              "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=d.url) as http:
        for text in ("puting saya\x00 lecet", "terima kasih \ud83d bu"):
            body = json.dumps(d.telegram.message_update(MOTHER, text))  # "\u0000", "\ud83d"
            response = await http.post(PATH, content=body.encode(), headers=secret)
            assert response.status_code == 200
    async with d.runtime.sessions() as session:
        kept = (await session.scalars(select(InboundMessage.text).order_by(
            InboundMessage.id.desc()).limit(2))).all()
    assert kept == ["terima kasih  bu", "puting saya lecet"]


TELEGRAM_MEDIA = {
    "photo": {"photo": [{"file_id": "AgAD", "file_unique_id": "u1", "width": 90,
                         "height": 90}]},
    "voice": {"voice": {"file_id": "AwAD", "file_unique_id": "u2", "duration": 4}},
    "sticker": {"sticker": {"file_id": "CAAD", "file_unique_id": "u3", "width": 512,
                            "height": 512, "is_animated": False, "is_video": False,
                            "type": "regular"}},
    "document": {"document": {"file_id": "BQAD", "file_unique_id": "u4",
                              "file_name": "hasil.pdf"}},
}


async def test_media_gets_the_kind_text_only_answer_and_with_a_case_her_cadre_is_told(
        deployment: Deployment) -> None:
    d = deployment
    await register(d)
    for kind, content in TELEGRAM_MEDIA.items():  # no case open: the kind answer, in Bahasa
        assert await d.say(**content) == [ui_text("common.media", "id")], kind
    await d.say("puting saya lecet dan berdarah")  # a case for Bu Ani (on WhatsApp)
    for kind, content in TELEGRAM_MEDIA.items():
        before = len(d.twilio.texts_to(CADRE_WA))
        assert await d.say(**content) == [ui_text("problem.media_passed", "id")], kind
        [note] = d.twilio.texts_to(CADRE_WA)[before:]
        assert "Siti" in note and ui_text(f"cases.media.{kind}", "id") in note, (kind, note)
    before = len(d.twilio.texts_to(CADRE_WA))
    answers = await d.say(caption="ini fotonya bu", **TELEGRAM_MEDIA["photo"])
    told = d.twilio.texts_to(CADRE_WA)[before:]
    assert any("ini fotonya bu" in t for t in told), "the caption reaches her cadre as words"
    assert any(ui_text("cases.media.photo", "id") in t for t in told), "and that it was a photo"
    assert answers[-1] == ui_text("problem.media_passed", "id")


async def test_stop_on_telegram_stops_her_tips(deployment: Deployment) -> None:
    d = deployment
    await register(d)
    answer = await d.say("/stop")
    assert answer, "she is told she is stopped"
    async with d.runtime.sessions() as session:
        [siti] = (await session.scalars(select(Mother))).all()
    assert siti.status == "opted_out"
