"""Sending one outbox row to Telegram through python-telegram-bot's Bot.

Choices become an inline keyboard (one button a row, the choice key as callback
data); Telegram's errors become SendError: a block is permanent ("blocked"), flood
control carries its retry-after, network trouble is worth another try.

There is no `find_sent` here: the Bot API takes no idempotency key and cannot list what
a bot has sent, so a row in doubt (its worker died mid-send, or the send timed out) is
sent again. Telegram delivery is at-least-once: a crash can repeat the sends that were
in Telegram's hands at that instant, and only those (each send waits for its outcome to
be written before it frees its slot: at 30/s and ~50 ms a send, about two).
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.settings import Settings
from bot.webhooks import split_text
from scheduler.transport import OutgoingMessage, SendError

log = logging.getLogger(__name__)

# PTB 22 warns inside RetryAfter's own constructor while time periods move to timedelta;
# under `-W error` that warning would replace the 429 itself. We opt in to the new form
# (PTB's documented switch) and read both forms below.
os.environ.setdefault("PTB_TIMEDELTA", "true")

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64


def make_bot(settings: Settings, pool: int = 16) -> Bot:
    """A Bot on the configured API base URL (a local fake in tests)."""
    return Bot(settings.telegram_bot_token, base_url=settings.telegram_api_base_url,
               request=HTTPXRequest(connection_pool_size=pool))


def keyboard(choices: list[dict[str, Any]]) -> InlineKeyboardMarkup | None:
    """One button a row; the callback data is the choice key (or its number, if too long)."""
    if not choices:
        return None
    rows = []
    for number, choice in enumerate(choices, start=1):
        key = str(choice.get("key", number))
        if len(key.encode()) > MAX_CALLBACK_BYTES:
            key = str(number)
        rows.append([InlineKeyboardButton(str(choice.get("label", key))[:200], callback_data=key)])
    return InlineKeyboardMarkup(rows)


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whether PTB gives an int or a timedelta."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def send_error(exc: TelegramError) -> SendError:
    """Telegram's error as a domain state; the message names no person and quotes no text."""
    if isinstance(exc, RetryAfter):
        return SendError("telegram flood control", retry_after=retry_seconds(exc), code="429")
    if isinstance(exc, Forbidden):
        return SendError("blocked by the user", permanent=True, code="blocked")
    if isinstance(exc, ChatMigrated):
        return SendError("chat migrated", permanent=True, code="migrated")
    if isinstance(exc, BadRequest):
        code = "chat_not_found" if "chat not found" in exc.message.lower() else "bad_request"
        return SendError(f"telegram refused the message ({code})", permanent=True, code=code)
    if isinstance(exc, InvalidToken):
        return SendError("telegram rejected the bot token", retry_after=300, code="token")
    if isinstance(exc, TimedOut):
        return SendError("telegram timed out", code="timeout")
    if isinstance(exc, NetworkError):
        return SendError("telegram unreachable", code="network")
    return SendError(f"telegram error {type(exc).__name__}", code="telegram")


class TelegramTransport:
    """The Telegram sender: `send()` returns Telegram's message id or raises SendError."""

    channel = "telegram"

    def __init__(self, settings: Settings, *, bot: Bot | None = None) -> None:
        self.bot = bot or make_bot(settings)
        self._ready = False

    async def send(self, message: OutgoingMessage) -> str | None:
        """Send a row's text (split at 4,096 characters; the keyboard goes with the last part)."""
        parts = split_text(message.text, MAX_TEXT)
        markup = keyboard(list(message.choices or []))
        sent_id: str | None = None
        try:
            if not self._ready:
                await self.bot.initialize()
                self._ready = True
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                sent = await self.bot.send_message(chat_id=int(message.address), text=part,
                                                   reply_markup=markup if last else None)
                sent_id = str(sent.message_id)
        except TelegramError as exc:
            error = send_error(exc)
            log.warning("telegram send failed", extra={"outbox_id": message.outbox_id,
                                                        "code": error.code})
            raise error from None
        except ValueError:
            raise SendError("not a telegram chat id", permanent=True, code="address") from None
        return sent_id

    async def close(self) -> None:
        """Close the HTTP connections."""
        if self._ready:
            await self.bot.shutdown()
            self._ready = False
