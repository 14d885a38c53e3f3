"""Cases through the real channel adapters: Telegram updates and signed Twilio webhooks into
the real app, the outbox delivered by python-telegram-bot and twilio's client to the fake
Bot API and the fake Twilio REST API.

The 2 a.m. danger story with the mother on Telegram, her cadre on WhatsApp and the
midwife on Telegram; and a cadre on Telegram pressing the button of an older alert.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from bot.app import create_app
from bot.operators import ChannelAddress, add_staff
from bot.runtime import Runtime
from bot.telegram.routes import PATH, SECRET_HEADER, webhook_secret
from bot.telegram.transport import TelegramTransport
from bot.whatsapp.routes import INBOUND_PATH
from bot.whatsapp.transport import WhatsAppTransport
from db.models import Case, Staff
from scheduler.clock import FakeClock
from scheduler.delivery import Deliverer
from scheduler.transport import Transport
from tests.fake_telegram import TOKEN, FakeTelegram, deliverer, fake_telegram
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, FakeTwilio, fake_twilio, sign
from tests.test_cases import LATCH, local

PUBLIC = "https://asibot.example.org"
ANI_WA = "+6281299990001"  # cadre of Posyandu Kenanga, on WhatsApp
TIKA_TG = 700100301  # cadre of Posyandu Dahlia, on Telegram
RINA_TG = 700100900  # the midwife, on Telegram
SITI_TG, DINA_TG, LIA_TG = 700100200, 700100401, 700100402


@dataclasses.dataclass
class Line:
    """The app behind an HTTP client, both fakes, and the senders."""

    runtime: Runtime
    http: httpx.AsyncClient
    telegram: FakeTelegram
    twilio: FakeTwilio
    transports: dict[str, Transport]
    sids: int = 0
    delivery: Deliverer | None = None

    async def deliver(self) -> int:
        """What is due goes out through the real delivery loop."""
        if self.delivery is None:
            self.delivery = deliverer(self.runtime, self.transports)
        return await self.delivery.drain()

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.runtime.clock, FakeClock)
        return self.runtime.clock

    async def tg(self, chat: int, text: str | None = None, press: str | None = None) -> list[str]:
        """A Telegram message (or button press) from a chat; what the bot then sent it."""
        before = len(self.telegram.texts_to(chat))
        update = (self.telegram.press_update(chat, press) if press is not None
                  else self.telegram.message_update(chat, text))
        response = await self.http.post(PATH, json=update, headers={
            SECRET_HEADER: webhook_secret(self.runtime.settings)})
        assert response.status_code == 200, response.text
        await self.deliver()
        return self.telegram.texts_to(chat)[before:]

    async def wa(self, number: str, body: str) -> list[str]:
        """A signed Twilio webhook for a WhatsApp message; what the bot then sent her."""
        self.sids += 1
        params = {"MessageSid": f"SM{self.sids:032d}", "AccountSid": ACCOUNT_SID,
                  "From": f"whatsapp:{number}", "To": f"whatsapp:{FROM}", "Body": body,
                  "NumMedia": "0", "ProfileName": "Ani", "WaId": number.lstrip("+")}
        before = len(self.twilio.bodies_to(number))
        response = await self.http.post(INBOUND_PATH, content=urlencode(params).encode(), headers={
            "X-Twilio-Signature": sign(PUBLIC + INBOUND_PATH, params),
            "content-type": "application/x-www-form-urlencoded"})
        assert response.status_code == 200, response.text
        await self.deliver()
        return self.twilio.bodies_to(number)[before:]

    def buttons_to(self, chat: int) -> list[list[str]]:
        """The callback data of the buttons under each message sent to a chat."""
        return [[row[0]["callback_data"] for row in m["reply_markup"]["inline_keyboard"]]
                for m in self.telegram.sent
                if m["chat_id"] == chat and m.get("reply_markup")]

    async def register(self, chat: int, code: str, name: str) -> None:
        """A mother registers on Telegram from her cadre's invite link."""
        await self.tg(chat, f"/start {code}")
        await self.tg(chat, press="1")  # consent
        await self.tg(chat, f"nama saya {name}")
        await self.tg(chat, "udh lahir")
        await self.tg(chat, "3 minggu yg lalu")
        await self.tg(chat, press="1")  # betul
        await self.tg(chat, "pagi aja")
        saved = await self.tg(chat, press="1")  # simpan
        assert saved and saved[0].startswith("Tersimpan")


@pytest.fixture
async def line(runtime: Runtime) -> AsyncIterator[Line]:
    async with fake_telegram() as telegram, fake_twilio() as twilio:
        settings = runtime.settings.model_copy(update={
            "telegram_bot_token": TOKEN, "telegram_api_base_url": telegram.base_url + "/bot",
            "public_base_url": PUBLIC, "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN, "twilio_whatsapp_from": FROM,
            "twilio_api_base_url": twilio.base_url})
        own = dataclasses.replace(runtime, settings=settings)
        now = own.clock.now()
        async with own.sessions() as session, session.begin():
            await add_staff(session, name="Bu Ani", role="cadre", posyandu="Posyandu Kenanga",
                            code="KENANGA1", address=ChannelAddress("whatsapp", ANI_WA), now=now)
            await add_staff(session, name="Bu Tika", role="cadre", posyandu="Posyandu Dahlia",
                            code="DAHLIA1", address=ChannelAddress("telegram", str(TIKA_TG)),
                            now=now)
            await add_staff(session, name="Bidan Rina", role="midwife", code="BIDAN1",
                            address=ChannelAddress("telegram", str(RINA_TG)), now=now)
        transports: dict[str, Transport] = {"telegram": TelegramTransport(settings),
                                            "whatsapp": WhatsAppTransport(settings)}
        app = create_app(runtime=own, background=False)
        # the lifespan starts the PTB Application that takes Telegram's webhook updates
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as http:
            yield Line(own, http, telegram, twilio, transports)
        for sender in transports.values():
            await sender.close()


async def the_cases(runtime: Runtime) -> list[Case]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Case).order_by(Case.id))).all())


async def test_danger_sign_at_2am_on_telegram_reaches_her_whatsapp_cadre_and_the_midwife(
    line: Line,
) -> None:
    await line.wa(ANI_WA, "KASUS")  # Bu Ani wrote today: her WhatsApp window is open
    await line.register(SITI_TG, "KENANGA1", "siti")
    line.clock.set(local(29, 2))
    alerts_before = len(line.twilio.bodies_to(ANI_WA))
    answer = await line.tg(SITI_TG, "dedek panas 38,5 gak mau nyusu dr td")
    [advice] = answer
    assert advice.startswith("SEGERA") and "Puskesmas Taman Baca (0711-123456)" in advice
    assert "119" in advice and "Bu Ani dan Bidan Rina sudah kami kabari" in advice
    [to_ani] = line.twilio.bodies_to(ANI_WA)[alerts_before:]
    assert "DARURAT" in to_ani and "Bunda Siti" in to_ani and "gak mau nyusu" in to_ani
    assert "\n1. Saya tangani" in to_ani and "3. Selesai" in to_ani
    [to_rina] = line.telegram.texts_to(RINA_TG)
    assert "DARURAT" in to_rina and "Bunda Siti" in to_rina and "usia 3 minggu" in to_rina
    [case] = await the_cases(line.runtime)
    assert case.urgent and case.status == "open"
    assert line.buttons_to(RINA_TG) == [[f"AMBIL {case.id}", f"BALAS {case.id}",
                                         f"SELESAI {case.id}", f"SERAHKAN {case.id}"]]

    # Bu Ani answers "1" on WhatsApp: she takes it, and Siti hears so on Telegram
    taken = await line.wa(ANI_WA, "1")
    assert taken and "Anda tangani" in taken[0]
    said = await line.wa(ANI_WA, "Bunda, sy telpon sekarang ya")
    assert not said
    assert line.telegram.texts_to(SITI_TG)[-1] == "Bu Ani: Bunda, sy telpon sekarang ya"
    assert any("Bu Ani" in text for text in line.telegram.texts_to(RINA_TG)[1:]), \
        "the midwife is told her cadre has it"


async def test_the_button_of_an_older_alert_acts_on_its_own_case(line: Line) -> None:
    await line.register(DINA_TG, "DAHLIA1", "dina")
    await line.register(LIA_TG, "DAHLIA1", "lia")
    await line.tg(DINA_TG, "dedek kejang dari tadi")
    await line.tg(LIA_TG, LATCH)
    dina_case, lia_case = await the_cases(line.runtime)
    alerts = [buttons for buttons in line.buttons_to(TIKA_TG) if buttons]
    older, newer = alerts[-2], alerts[-1]
    assert older[0] == f"AMBIL {dina_case.id}" and newer[0] == f"AMBIL {lia_case.id}"

    taken = await line.tg(TIKA_TG, press=older[0])  # the "Saya tangani" of Dina's alert
    assert taken and f"#{dina_case.id}" in taken[0] and "Dina" in taken[0]
    await line.tg(TIKA_TG, "Bunda Dina, sy ke rumah sekarang ya")
    assert line.telegram.texts_to(DINA_TG)[-1] == "Bu Tika: Bunda Dina, sy ke rumah sekarang ya"
    assert not any("sy ke rumah" in text for text in line.telegram.texts_to(LIA_TG))
    dina_case, lia_case = await the_cases(line.runtime)
    async with line.runtime.sessions() as session:
        tika = (await session.scalars(select(Staff).where(Staff.name == "Bu Tika"))).one()
    assert (dina_case.status, dina_case.assignee_id) == ("taken", tika.id)
    assert lia_case.status == "open"

    # the newer alert's "Selesai" resolves Lia's case, not Dina's
    await line.tg(TIKA_TG, press=newer[2])
    dina_case, lia_case = await the_cases(line.runtime)
    assert (dina_case.status, lia_case.status) == ("taken", "resolved")
