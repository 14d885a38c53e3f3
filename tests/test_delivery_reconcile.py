"""A row taken over from a dead worker is asked about before it goes again ("reconcile").

Twilio takes no idempotency key: a worker that dies after Twilio accepted a message but
before it wrote the outcome leaves a row that looks unsent. The next sender lists her
messages at Twilio (the real twilio client against the fake REST API) and records the
one it finds instead of sending a second copy; a provider that cannot be asked makes
the row wait, never repeat; Telegram, which cannot be asked at all, sends again.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from bot.settings import load_settings
from bot.whatsapp.transport import WhatsAppTransport
from db.models import Identity, Outbox
from flows.outbox import enqueue
from scheduler.delivery import Deliverer, claim
from scheduler.transport import OutgoingMessage, SendError
from tests.fake_telegram import deliverer
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, FakeTwilio, fake_twilio
from tests.test_delivery import FakeTransport

NUMBER = "+6281234500001"
LEASE = timedelta(seconds=20)  # DeliveryConfig's default lease_seconds


@pytest.fixture
async def twilio(runtime: Runtime) -> AsyncIterator[FakeTwilio]:
    async with fake_twilio() as fake:
        fake.now = runtime.clock.now  # Twilio's timestamps on the test's clock
        yield fake


@pytest.fixture
async def whatsapp(twilio: FakeTwilio) -> AsyncIterator[WhatsAppTransport]:
    settings = load_settings(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                             twilio_whatsapp_from=FROM, twilio_api_base_url=twilio.base_url,
                             _env_file=None)
    sender = WhatsAppTransport(settings)
    yield sender
    await sender.close()


async def queue(runtime: Runtime, *texts: str, channel: str = "whatsapp",
                address: str = NUMBER) -> list[int]:
    """Rows to her, her WhatsApp window open (she wrote a minute ago)."""
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        if channel == "whatsapp" and not await session.scalar(
                select(Identity.id).where(Identity.address == address)):
            session.add(Identity(channel="whatsapp", address=address, created_at=now,
                                 last_inbound_at=now - timedelta(minutes=1)))
        rows = [enqueue(session, channel=channel, address=address, text=text, now=now,
                        kind="reply") for text in texts]
        await session.flush()
        return [row.id for row in rows]


async def dies_mid_send(runtime: Runtime, transport: object, *, sent: bool) -> list[str]:
    """A worker claims every due row, hands them to the provider (or not), and dies."""
    async with runtime.sessions() as session, session.begin():
        rows = await claim(session, "whatsapp", "dead", runtime.clock.now(), limit=10,
                           lease_seconds=LEASE.total_seconds())
    sids = []
    if sent:
        for row in rows:
            sid = await transport.send(OutgoingMessage(  # type: ignore[attr-defined]
                outbox_id=row.id, channel=row.channel, address=row.address, text=row.text,
                choices=row.choices, kind=row.kind))
            sids.append(sid)
    runtime.clock.advance(LEASE + timedelta(seconds=1))  # its lease runs out
    return sids


async def rows(runtime: Runtime) -> list[Outbox]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Outbox).order_by(Outbox.id))).all())


async def test_a_row_twilio_accepted_before_its_worker_died_is_recorded_not_sent_again(
    runtime: Runtime, twilio: FakeTwilio, whatsapp: WhatsAppTransport,
) -> None:
    await queue(runtime, "Halo Bunda, jangan lupa menyusui")
    [sid] = await dies_mid_send(runtime, whatsapp, sent=True)
    taker = deliverer(runtime, {"whatsapp": whatsapp})
    assert await taker.drain() == 1
    [row] = await rows(runtime)
    assert (row.status, row.provider_msg_id, row.sending_since) == ("sent", sid, None)
    assert len(twilio.sent) == 1 and twilio.lists == 1  # asked once, not sent again
    assert taker.senders["whatsapp"].stats.reconciled == 1


async def test_a_row_whose_worker_died_before_sending_is_sent_once(
    runtime: Runtime, twilio: FakeTwilio, whatsapp: WhatsAppTransport,
) -> None:
    await queue(runtime, "Halo Bunda")
    await dies_mid_send(runtime, whatsapp, sent=False)
    taker = deliverer(runtime, {"whatsapp": whatsapp})
    assert await taker.drain() == 1
    [row] = await rows(runtime)
    [message] = twilio.sent
    assert (row.status, row.provider_msg_id) == ("sent", message["Sid"])
    assert twilio.lists == 1 and taker.senders["whatsapp"].stats.reconciled == 0


async def test_a_fresh_row_is_never_looked_up(
    runtime: Runtime, twilio: FakeTwilio, whatsapp: WhatsAppTransport,
) -> None:
    await queue(runtime, "satu", "dua")
    assert await deliverer(runtime, {"whatsapp": whatsapp}).drain() == 2
    assert len(twilio.sent) == 2 and twilio.lists == 0


@pytest.mark.parametrize("sent", [True, False], ids=["accepted", "never-sent"])
async def test_a_failed_look_up_waits_and_asks_again_and_loses_nothing(
    runtime: Runtime, twilio: FakeTwilio, whatsapp: WhatsAppTransport, sent: bool,
) -> None:
    await queue(runtime, "Halo Bunda")
    sids = await dies_mid_send(runtime, whatsapp, sent=sent)
    twilio.list_failures = [500, 503]
    taker = deliverer(runtime, {"whatsapp": whatsapp})
    for _ in range(2):  # Twilio's list is down: the row waits, unsent, still in doubt
        await taker.drain()
        [row] = await rows(runtime)
        assert row.status == "pending" and row.error and row.error.startswith("reconcile")
        assert row.sending_since is not None and row.not_before > runtime.clock.now()
        assert len(twilio.sent) == len(sids)
        runtime.clock.set(row.not_before)
    await taker.drain()
    [row] = await rows(runtime)
    [message] = twilio.sent  # one copy on her phone, whichever way it went
    assert (row.status, row.provider_msg_id) == ("sent", message["Sid"])
    assert twilio.lists == 3
    assert taker.senders["whatsapp"].stats.reconciled == (1 if sent else 0)


async def test_an_identical_text_another_row_owns_is_not_taken_for_this_one(
    runtime: Runtime, twilio: FakeTwilio, whatsapp: WhatsAppTransport,
) -> None:
    [first] = await queue(runtime, "Terima kasih, Bunda")
    await deliverer(runtime, {"whatsapp": whatsapp}).drain()  # sent and recorded
    await queue(runtime, "Terima kasih, Bunda")  # the same words again, a new row
    await dies_mid_send(runtime, whatsapp, sent=False)
    await deliverer(runtime, {"whatsapp": whatsapp}).drain()
    one, two = await rows(runtime)
    assert one.id == first and one.status == two.status == "sent"
    assert len(twilio.sent) == 2 and one.provider_msg_id != two.provider_msg_id


async def test_a_timed_out_send_twilio_took_is_looked_up_before_it_goes_again(
    runtime: Runtime, twilio: FakeTwilio, whatsapp: WhatsAppTransport,
) -> None:
    class Slow:
        """Twilio takes the message, but its answer comes too late."""

        channel = "whatsapp"

        async def send(self, message: OutgoingMessage) -> str | None:
            await whatsapp.send(message)
            await asyncio.sleep(60)
            return None

        async def find_sent(self, message: OutgoingMessage, since: object) -> list[str]:
            return await whatsapp.find_sent(message, since)  # type: ignore[arg-type]

        async def close(self) -> None:
            return None

    await queue(runtime, "Halo Bunda")
    config = dataclasses.replace(deliverer(runtime, {}).config, send_timeout_seconds=0.3)
    await Deliverer({"whatsapp": Slow()}, runtime.sessions, runtime.clock, config,
                    worker="slow").drain()
    [row] = await rows(runtime)
    assert row.status == "pending" and row.error_code == "timeout"
    assert row.sending_since is not None  # in doubt: Twilio may have it
    runtime.clock.set(row.not_before)
    await deliverer(runtime, {"whatsapp": whatsapp}).drain()
    [row] = await rows(runtime)
    [message] = twilio.sent
    assert (row.status, row.provider_msg_id) == ("sent", message["Sid"])


async def test_telegram_cannot_be_asked_so_a_row_in_doubt_is_sent_again(
    runtime: Runtime,
) -> None:
    await queue(runtime, "Halo Bunda", channel="telegram", address="12345")
    telegram = FakeTransport("telegram")
    async with runtime.sessions() as session, session.begin():
        [row] = await claim(session, "telegram", "dead", runtime.clock.now(), limit=10,
                            lease_seconds=LEASE.total_seconds())
    await telegram.send(OutgoingMessage(outbox_id=row.id, channel="telegram", address="12345",
                                        text=row.text, choices=[], kind=row.kind))
    runtime.clock.advance(LEASE + timedelta(seconds=1))
    taker: Deliverer = deliverer(runtime, {"telegram": telegram})
    await taker.drain()
    [row] = await rows(runtime)
    assert row.status == "sent"
    assert telegram.accepted[row.id] == 2  # at-least-once: the documented repeat
    assert taker.senders["telegram"].stats.unverified == 1


async def test_a_look_up_error_is_a_retry_never_a_failure(runtime: Runtime) -> None:
    class Refusing(FakeTransport):
        async def find_sent(self, message: OutgoingMessage, since: object) -> list[str]:
            raise SendError("twilio refused the look-up", permanent=True, code="20003")

    await queue(runtime, "Halo Bunda")
    transport = Refusing("whatsapp")
    await dies_mid_send(runtime, transport, sent=False)
    await deliverer(runtime, {"whatsapp": transport}).drain()
    [row] = await rows(runtime)
    assert row.status == "pending" and row.sending_since is not None
    assert transport.attempts == 0


async def test_a_row_in_doubt_held_for_her_window_is_still_looked_up_when_she_writes(
    runtime: Runtime, twilio: FakeTwilio, whatsapp: WhatsAppTransport,
) -> None:
    """Twilio took the check-in, then its worker died; by the takeover her window had shut,
    so the row waits, held. When she writes it is released, and Twilio is asked first."""
    from flows.reminders import release_held  # noqa: PLC0415

    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        session.add(Identity(channel="whatsapp", address=NUMBER, created_at=now,
                             last_inbound_at=now - timedelta(hours=30)))
        enqueue(session, channel="whatsapp", address=NUMBER, text="Kemarin, si kecil minum "
                "ASI saja?", now=now, kind="checkin")
    [sid] = await dies_mid_send(runtime, whatsapp, sent=True)
    taker = deliverer(runtime, {"whatsapp": whatsapp})
    await taker.drain()
    [row] = await rows(runtime)
    assert row.status == "held" and row.sending_since is not None
    async with runtime.sessions() as session, session.begin():
        identity = (await session.scalars(select(Identity))).one()
        identity.last_inbound_at = runtime.clock.now()  # she writes: her window opens
        assert await release_held(session, identity, runtime.clock.now()) == 1
    runtime.clock.advance(timedelta(seconds=6))  # held rows go just after the reply
    assert await taker.drain() == 1
    [row] = await rows(runtime)
    assert (row.status, row.provider_msg_id) == ("sent", sid)
    assert len(twilio.sent) == 1, "the check-in she already has is not sent twice"
