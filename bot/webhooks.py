"""What the channel adapters share: a bounded body, clear refusals, and long texts split.

A webhook parses, records, answers. Nothing here logs a phone number or a message text.
"""

from __future__ import annotations

import dataclasses

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response

from flows.types import Inbound


class BodyTooLarge(Exception):
    """The request body is over the configured limit (answered 413)."""


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, read no further than `limit` bytes.

    Raises BodyTooLarge on a declared or actual size over the limit, before the rest is read.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
    except ClientDisconnect:
        return b""
    return b"".join(chunks)


def too_large() -> Response:
    """The answer to an oversized body."""
    return PlainTextResponse("request body too large", status_code=413)


def forbidden() -> Response:
    """The answer to a request that failed its signature or secret check."""
    return PlainTextResponse("forbidden", status_code=403)


def bad_request(reason: str) -> Response:
    """The answer to a request we cannot read; `reason` must hold no personal data."""
    return PlainTextResponse(reason, status_code=400)


def split_text(text: str, limit: int) -> list[str]:
    """Cut a text into parts of at most `limit` characters, at paragraphs, lines or spaces."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(
            window.rfind(" "), 0)
        if cut < limit // 2:
            cut = window.rfind(" ") if window.rfind(" ") >= limit // 2 else limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def messages_of(inbound: Inbound) -> list[Inbound]:
    """What the engine runs for one message, in order.

    A photo (voice note, file...) with a caption is two things she said: the caption,
    read as text like any message, then the photo itself (`msg_id` + ":media", no text),
    so that with a case open her cadre is told she sent one (and she hears that we read
    only text), exactly as for a photo without words. Each part is deduplicated on its
    own msg_id, so a retried webhook runs neither twice.
    """
    if inbound.media is None or not inbound.text.strip():
        return [inbound]
    return [dataclasses.replace(inbound, media=None),
            dataclasses.replace(inbound, text="", msg_id=f"{inbound.msg_id}:media")]
