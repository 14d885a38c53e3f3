"""Telegram in polling mode: only a token is set, PTB's Application long-polls a fake Bot API."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.runtime import Runtime
from bot.telegram.polling import mode
from db.models import InboundMessage, Outbox
from tests.fake_telegram import TOKEN, FakeTelegram, fake_telegram

MOTHER = 700200300


@dataclasses.dataclass
class Polling:
    runtime: Runtime
    telegram: FakeTelegram

    async def handled(self, count: int) -> None:
        """Wait until the engine has seen `count` messages."""
        for _ in range(300):
            async with self.runtime.sessions() as session:
                seen = await session.scalar(select(func.count()).select_from(InboundMessage))
            if seen is not None and seen >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"only {seen} of {count} messages were handled")


@pytest.fixture
async def polling(runtime: Runtime, demo: Any) -> AsyncIterator[Polling]:
    async with fake_telegram() as telegram:
        settings = runtime.settings.model_copy(update={
            "telegram_bot_token": TOKEN, "telegram_api_base_url": telegram.base_url + "/bot",
            "public_base_url": ""})
        own = dataclasses.replace(runtime, settings=settings)
        app = create_app(runtime=own, background=True)
        async with app.router.lifespan_context(app):
            yield Polling(own, telegram)


def test_a_token_without_a_public_url_means_polling(runtime: Runtime) -> None:
    settings = runtime.settings.model_copy(update={"telegram_bot_token": TOKEN})
    assert mode(settings) == "polling"
    public = settings.model_copy(update={"public_base_url": "https://asibot.example.org"})
    assert mode(public) == "webhook"
    assert mode(runtime.settings) is None


async def test_polled_messages_and_presses_reach_the_engine_and_presses_are_acknowledged(
        polling: Polling) -> None:
    tg = polling.telegram
    await tg.deliver(tg.message_update(MOTHER, "/start MAWAR1"))
    await polling.handled(1)
    press = tg.press_update(MOTHER, "1")
    await tg.deliver(press)
    await polling.handled(2)
    for _ in range(100):
        if tg.answered:
            break
        await asyncio.sleep(0.02)
    assert tg.answered == [press["callback_query"]["id"]]
    assert "deleteWebhook" in tg.calls and "getUpdates" in tg.calls
    async with polling.runtime.sessions() as session:
        replies = (await session.scalars(select(Outbox.text).where(
            Outbox.channel == "telegram", Outbox.address == str(MOTHER)))).all()
    assert any("Bu Sari" in text for text in replies), "the invite code reached the engine"
    assert len(replies) >= 2


async def test_group_chats_and_edits_are_not_handled(polling: Polling) -> None:
    tg = polling.telegram
    edited = tg.message_update(MOTHER, "halo")
    edited["edited_message"] = edited.pop("message")
    await tg.deliver(edited)
    await tg.deliver(tg.message_update(MOTHER, "halo", chat={"id": -5, "type": "supergroup",
                                                             "title": "Posyandu"}))
    await tg.deliver(tg.message_update(MOTHER, "/start MAWAR1"))
    await polling.handled(1)
    await asyncio.sleep(0.1)
    async with polling.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboundMessage)) == 1
