"""An outbox row as WhatsApp text: numbered choices under the text, within 1,600 characters.

WhatsApp (through Twilio) takes at most 1,600 characters a message. A longer text is
split at paragraphs into at most MAX_PARTS messages, the choices under the last; one
longer still is refused before anything is sent.
"""

from __future__ import annotations

from typing import Any

from bot.webhooks import split_text

MAX_BODY = 1600
MAX_PARTS = 4


class TooLong(ValueError):
    """The text does not fit in MAX_PARTS WhatsApp messages."""


def choice_lines(choices: list[dict[str, Any]]) -> str:
    """'1. Ya, setuju' lines, one a choice."""
    return "\n".join(f"{c.get('key', i)}. {c.get('label', '')}"
                     for i, c in enumerate(choices, start=1))


def render(text: str, choices: list[dict[str, Any]]) -> list[str]:
    """The messages to send, in order: the text (split if need be) with its choices last."""
    lines = choice_lines(choices)
    whole = f"{text.rstrip()}\n\n{lines}" if lines else text.rstrip()
    if len(whole) <= MAX_BODY:
        return [whole]
    parts = split_text(text, MAX_BODY)
    if lines:
        last = f"{parts[-1]}\n\n{lines}"
        if len(last) <= MAX_BODY:
            parts[-1] = last
        else:
            parts.append(lines)
    if len(parts) > MAX_PARTS or any(len(part) > MAX_BODY for part in parts):
        raise TooLong(f"{len(whole)} characters do not fit in {MAX_PARTS} WhatsApp messages")
    return parts
