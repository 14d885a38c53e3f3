"""A Telegram Update, read as one Inbound (or nothing we act on).

Private chats only; edited messages are not replayed; a button press is read as the
choice key it carries. Conversation state lives in our database, never in PTB.

A message's id is unique within its chat only, so the id we keep for deduplication names
the chat too, but as a keyed digest: that record outlives her address (a refusal, HAPUS
DATA), and a plain chat id, or a plain hash of one, is her address by another name.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from telegram import CallbackQuery, Message, Update

from flows.types import Inbound

CHANNEL = "telegram"
# the updates we ask Telegram for; edited messages and the rest are never sent to us
ALLOWED_UPDATES = ["message", "callback_query"]
# our commands, as the words the engine understands on every channel
COMMANDS = {"menu": "MENU", "help": "BANTUAN", "bantuan": "BANTUAN", "stop": "STOP"}
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?$", re.S)


@dataclass(frozen=True)
class Parsed:
    """What an update means: an Inbound to run, and a button press to acknowledge."""

    inbound: Inbound | None
    callback_query_id: str | None = None


def chat_digest(chat_id: int, key: bytes) -> str:
    """Her chat as the ids we keep name it: an HMAC under `key` (the bot token), cut short."""
    return hmac.new(key, b"asibot-chat:%d" % chat_id, hashlib.sha256).hexdigest()[:20]


def parse(update: Update, now: datetime, key: bytes) -> Parsed:
    """Read an update; `Parsed(None)` when there is nothing for the engine.

    `key` makes the chat's digest in a message's id (see `chat_digest`).
    """
    if update.callback_query is not None:
        return _callback(update.callback_query, now)
    message = update.message
    if message is None or message.chat.type != "private" or message.from_user is None:
        return Parsed(None)  # edits, channel posts, group chats, membership changes, ...
    media = media_kind(message)
    text = message.text or message.caption or ""
    if message.text:
        text = command_text(message.text)
    elif media is None and not text:
        return Parsed(None)  # a service message (pinned, shared chat, ...): nothing she wrote
    return Parsed(Inbound(channel=CHANNEL, address=str(message.chat.id), text=text,
                          msg_id=f"m:{chat_digest(message.chat.id, key)}:{message.message_id}",
                          at=now,
                          media=media))


def _callback(query: CallbackQuery, now: datetime) -> Parsed:
    message = query.message
    chat = message.chat if message is not None else None
    if chat is None or chat.type != "private" or not query.data:
        return Parsed(None, query.id)  # still acknowledged, so the spinner stops
    return Parsed(Inbound(channel=CHANNEL, address=str(chat.id), text=query.data,
                          msg_id=f"cb:{query.id}", at=now), query.id)


def command_text(text: str) -> str:
    """`/menu` -> MENU, `/start CODE` stays as it is (the engine reads the code)."""
    found = _COMMAND.match(text.strip())
    if found is None:
        return text
    name, rest = found.group(1).lower(), (found.group(2) or "").strip()
    if name == "start":
        return f"/start {rest}".strip()
    return COMMANDS.get(name, text)


def media_kind(message: Message) -> str | None:
    """What she sent that is not text: photo, voice, sticker, document, video, location."""
    if message.photo:
        return "photo"
    if message.voice is not None or message.audio is not None:
        return "voice"
    if message.sticker is not None:
        return "sticker"
    if message.video is not None or message.video_note is not None or message.animation:
        return "video"
    if message.location is not None or message.venue is not None:
        return "location"
    if message.document is not None or message.contact is not None:
        return "document"
    return None
