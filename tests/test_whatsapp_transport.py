"""The WhatsApp sender, through twilio's real async client, against a fake Twilio REST API."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.logging import setup_logging
from bot.settings import Settings, load_settings
from bot.whatsapp.render import CUT, MAX_BODY, render
from bot.whatsapp.transport import WhatsAppTransport
from scheduler.transport import OutgoingMessage, SendError
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, FakeTwilio, fake_twilio

NUMBER = "+6281234500001"
# the loggers that print numbers, bodies or the bot token when left at INFO/DEBUG
VENDOR_LOGGERS = ("twilio.http_client", "twilio.async_http_client", "httpx", "httpcore",
                  "aiosqlite", "telegram.ext")


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilio]:
    async with fake_twilio() as fake:
        yield fake


@pytest.fixture
def wa_settings(twilio: FakeTwilio) -> Settings:
    return load_settings(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                         twilio_whatsapp_from=FROM, twilio_api_base_url=twilio.base_url,
                         public_base_url="https://asibot.example.org", _env_file=None)


@pytest.fixture
async def transport(wa_settings: Settings) -> AsyncIterator[WhatsAppTransport]:
    sender = WhatsAppTransport(wa_settings)
    yield sender
    await sender.close()


def outgoing(text: str = "Halo Bunda", choices: list[dict[str, str]] | None = None,
             **extra: object) -> OutgoingMessage:
    return OutgoingMessage(outbox_id=7, channel="whatsapp", address=NUMBER, text=text,
                           choices=choices or [], kind="reply", **extra)  # type: ignore[arg-type]


async def test_choices_are_numbered_lines_under_the_text(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    sid = await transport.send(outgoing("Apakah Bunda setuju?",
                                        [{"key": "1", "label": "Ya, setuju"},
                                         {"key": "2", "label": "Tidak"}]))
    [sent] = twilio.sent
    assert sid == sent["Sid"]
    assert sent["Body"] == "Apakah Bunda setuju?\n\n1. Ya, setuju\n2. Tidak"
    assert sent["To"] == f"whatsapp:{NUMBER}" and sent["From"] == f"whatsapp:{FROM}"
    assert sent["StatusCallback"] == "https://asibot.example.org/webhooks/twilio/status"


async def test_a_template_goes_through_the_content_api(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    await transport.send(outgoing("tip text", template_sid="HX" + "1" * 32,
                                  template_vars={"1": "Siti", "2": "pelekatan"}))
    [sent] = twilio.sent
    assert sent["ContentSid"] == "HX" + "1" * 32 and "Body" not in sent
    assert json.loads(sent["ContentVariables"]) == {"1": "Siti", "2": "pelekatan"}


async def test_a_long_text_is_one_message_shortened_with_its_choices_whole(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    text = "\n\n".join(["Kalimat tentang ASI eksklusif. " * 30] * 3)
    sid = await transport.send(outgoing(text, [{"key": "1", "label": "Lanjut"}]))
    [sent] = twilio.sent  # one row, one Twilio message: its sid is the row's
    assert sid == sent["Sid"] and len(sent["Body"]) <= MAX_BODY
    assert sent["Body"].endswith(CUT + "\n\n1. Lanjut")
    assert sent["Body"].startswith("Kalimat tentang ASI eksklusif.")


async def test_a_failed_long_message_is_retried_as_the_same_one_message(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    text = "Paragraf panjang. " * 200
    twilio.fail(NUMBER, 30001)  # Twilio's queue overflows once: the loop tries again later
    with pytest.raises(SendError) as raised:
        await transport.send(outgoing(text))
    assert not raised.value.permanent and twilio.sent == []
    sid = await transport.send(outgoing(text))
    assert [m["Sid"] for m in twilio.sent] == [sid], "nothing she already has is sent again"


async def test_choices_that_cannot_fit_are_refused_before_sending(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    with pytest.raises(SendError) as raised:
        await transport.send(outgoing("?", [{"key": str(i), "label": "pilihan " * 40}
                                            for i in range(8)]))
    assert raised.value.permanent and raised.value.code == "too_long"
    assert twilio.sent == []


@pytest.mark.parametrize(("code", "permanent", "window_closed"),
                         [(63016, False, True), (63024, True, False), (20429, False, False),
                          (21211, True, False), (30001, False, False)])
async def test_twilio_errors_become_domain_states(
        transport: WhatsAppTransport, twilio: FakeTwilio, code: int, permanent: bool,
        window_closed: bool) -> None:
    twilio.fail(NUMBER, code)
    with pytest.raises(SendError) as raised:
        await transport.send(outgoing())
    assert (raised.value.code, raised.value.permanent, raised.value.window_closed) == (
        str(code), permanent, window_closed)


async def test_an_unreachable_twilio_is_worth_another_try(wa_settings: Settings) -> None:
    sender = WhatsAppTransport(wa_settings.model_copy(
        update={"twilio_api_base_url": "http://127.0.0.1:9"}))
    with pytest.raises(SendError) as raised:
        await sender.send(outgoing())
    assert not raised.value.permanent and raised.value.code == "network"
    await sender.close()


async def test_sending_logs_neither_the_number_nor_the_text(
        transport: WhatsAppTransport, twilio: FakeTwilio, caplog: pytest.LogCaptureFixture) -> None:
    for name in VENDOR_LOGGERS:  # as chatty as anything before us may have left them
        logging.getLogger(name).setLevel(logging.DEBUG)
    setup_logging("DEBUG")  # what `asibot serve` and `asibot worker` do, at their most verbose
    for name in VENDOR_LOGGERS:
        assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING, name
    caplog.set_level(logging.DEBUG)
    await transport.send(outgoing("Puting saya lecet"))
    twilio.fail(NUMBER, 63024)
    with pytest.raises(SendError):
        await transport.send(outgoing("Puting saya lecet"))
    assert caplog.records, "the failure is logged"
    assert "Puting" not in caplog.text and NUMBER not in caplog.text
    assert NUMBER.lstrip("+") not in caplog.text and AUTH_TOKEN not in caplog.text


def test_render_keeps_what_fits_and_cuts_at_a_word() -> None:
    assert render("a" * 1598, []) == "a" * 1598
    body = render("kata " * 400, [{"key": "1", "label": "Ya"}])
    assert len(body) <= MAX_BODY and body.endswith("kata" + CUT + "\n\n1. Ya")


async def test_find_sent_pages_through_her_messages_and_matches_only_this_one(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)
    sids = [await transport.send(outgoing(f"pesan {n}")) for n in range(120)]
    await transport.send(OutgoingMessage(outbox_id=8, channel="whatsapp",
                                         address="+6281234500002", text="pesan 0",
                                         choices=[], kind="reply"))  # someone else's
    # the oldest of hers is on Twilio's third page of 50
    assert await transport.find_sent(outgoing("pesan 0"), since) == [sids[0]]
    assert await transport.find_sent(outgoing("pesan 200"), since) == []
    assert await transport.find_sent(outgoing("pesan 0"), datetime.now(UTC)
                                     + timedelta(minutes=1)) == []  # sent before `since`
    assert twilio.lists >= 3


async def test_find_sent_knows_a_template_by_its_variables(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)
    tip = outgoing("tip text", template_sid="HX" + "1" * 32,
                   template_vars={"1": "Siti", "2": "pelekatan yang benar"})
    sid = await transport.send(tip)
    assert await transport.find_sent(tip, since) == [sid]
    other = outgoing("tip text", template_sid="HX" + "1" * 32,
                     template_vars={"1": "Siti", "2": "posisi menyusui"})
    assert await transport.find_sent(other, since) == []


async def test_a_look_up_twilio_cannot_answer_is_an_error_not_an_empty_answer(
        transport: WhatsAppTransport, twilio: FakeTwilio) -> None:
    twilio.list_failures = [500]
    with pytest.raises(SendError) as raised:
        await transport.find_sent(outgoing(), datetime.now(UTC))
    assert not raised.value.permanent
