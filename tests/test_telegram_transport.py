"""The Telegram sender, through python-telegram-bot, against a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.logging import setup_logging
from bot.settings import Settings, load_settings
from bot.telegram.transport import TelegramTransport
from scheduler.transport import OutgoingMessage, SendError
from tests.fake_telegram import TOKEN, FakeTelegram, fake_telegram

CHAT = 555001


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with fake_telegram() as fake:
        yield fake


@pytest.fixture
def tg_settings(telegram: FakeTelegram) -> Settings:
    return load_settings(telegram_bot_token=TOKEN, _env_file=None,
                         telegram_api_base_url=telegram.base_url + "/bot")


@pytest.fixture
async def transport(tg_settings: Settings) -> AsyncIterator[TelegramTransport]:
    sender = TelegramTransport(tg_settings)
    yield sender
    await sender.close()


def outgoing(text: str, choices: list[dict[str, str]] | None = None,
             address: str = str(CHAT)) -> OutgoingMessage:
    return OutgoingMessage(outbox_id=1, channel="telegram", address=address, text=text,
                           choices=choices or [], kind="reply")


async def test_choices_are_sent_as_an_inline_keyboard(
        transport: TelegramTransport, telegram: FakeTelegram) -> None:
    choices = [{"key": "1", "label": "Ya, setuju"}, {"key": "2", "label": "Tidak"}]
    sent_id = await transport.send(outgoing("Apakah Bunda setuju?", choices))
    assert sent_id == str(telegram.sent[0]["message_id"])
    assert telegram.sent[0]["text"] == "Apakah Bunda setuju?"
    rows = telegram.sent[0]["reply_markup"]["inline_keyboard"]
    assert [[b["text"], b["callback_data"]] for [b] in rows] == [["Ya, setuju", "1"],
                                                                ["Tidak", "2"]]


async def test_callback_data_stays_within_64_bytes(
        transport: TelegramTransport, telegram: FakeTelegram) -> None:
    await transport.send(outgoing("?", [{"key": "k" * 80, "label": "long key"}]))
    [[button]] = telegram.sent[0]["reply_markup"]["inline_keyboard"]
    assert button["callback_data"] == "1"


async def test_a_text_over_4096_characters_is_split_with_the_keyboard_last(
        transport: TelegramTransport, telegram: FakeTelegram) -> None:
    text = ("Paragraf panjang tentang menyusui. " * 80 + "\n\n") * 3
    await transport.send(outgoing(text, [{"key": "1", "label": "OK"}]))
    assert len(telegram.sent) == 3  # one paragraph a message: two do not fit in 4,096
    assert all(len(m["text"]) <= 4096 for m in telegram.sent)
    assert [m["reply_markup"] is not None for m in telegram.sent] == [False, False, True]


async def test_a_blocked_bot_is_a_permanent_error(
        transport: TelegramTransport, telegram: FakeTelegram) -> None:
    telegram.blocked.add(CHAT)
    with pytest.raises(SendError) as raised:
        await transport.send(outgoing("Halo"))
    assert raised.value.permanent and raised.value.code == "blocked"


async def test_flood_control_carries_telegrams_retry_after(
        transport: TelegramTransport, telegram: FakeTelegram) -> None:
    telegram.flood[CHAT] = (1, 7)
    with pytest.raises(SendError) as raised:
        await transport.send(outgoing("Halo"))
    assert not raised.value.permanent and raised.value.retry_after == 7
    assert await transport.send(outgoing("Halo")) is not None


async def test_an_unreachable_api_is_worth_another_try() -> None:
    settings = load_settings(telegram_bot_token=TOKEN, _env_file=None,
                             telegram_api_base_url="http://127.0.0.1:9/bot")
    sender = TelegramTransport(settings)
    with pytest.raises(SendError) as raised:
        await sender.send(outgoing("Halo"))
    assert not raised.value.permanent and raised.value.code == "network"
    await sender.close()


async def test_an_address_that_is_no_chat_id_fails_at_once(transport: TelegramTransport) -> None:
    with pytest.raises(SendError) as raised:
        await transport.send(outgoing("Halo", address="sim:ibu"))
    assert raised.value.permanent


async def test_sending_at_debug_logs_neither_her_chat_nor_her_words(
        transport: TelegramTransport, telegram: FakeTelegram,
        caplog: pytest.LogCaptureFixture) -> None:
    # LOG_LEVEL=DEBUG while a volunteer chases a problem: PTB's Bot logs every call's
    # parameters (chat_id, text) at DEBUG under `telegram.Bot`, not under telegram.ext
    for name in ("telegram", "telegram.Bot", "telegram.ext"):  # as chatty as can be
        logging.getLogger(name).setLevel(logging.NOTSET)
    setup_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    await transport.send(outgoing("Puting saya lecet, Bu"))
    assert telegram.sent, "the message went"
    assert "Puting" not in caplog.text and str(CHAT) not in caplog.text
    assert TOKEN not in caplog.text
