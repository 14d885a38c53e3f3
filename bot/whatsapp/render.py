"""An outbox row as one WhatsApp message: numbered choices under the text, within 1,600
characters.

One outbox row is one Twilio message, always. Twilio takes at most 1,600 characters a
message; splitting a row into several would store one MessageSid for several messages
(status callbacks for the others would find no row) and a failure after the first part
would send the first parts again on retry. So a text that does not fit is shortened
before sending: cut at a paragraph, line or word, marked with CUT, the numbered choices
kept whole (she answers by number). Tips and every UI text are proven to fit by
`asibot content check`; only relayed free text (a long message from a mother to her
cadre, or back) can be this long, and the reader sees that it was cut.
"""

from __future__ import annotations

from typing import Any

MAX_BODY = 1600
CUT = " […]"


class TooLong(ValueError):
    """The choices alone do not fit in one WhatsApp message."""


def choice_lines(choices: list[dict[str, Any]]) -> str:
    """'1. Ya, setuju' lines, one a choice."""
    return "\n".join(f"{c.get('key', i)}. {c.get('label', '')}"
                     for i, c in enumerate(choices, start=1))


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters (CUT included) at a paragraph, line or space."""
    room = limit - len(CUT)
    window = text[: room + 1]
    cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
    if cut < room // 2:
        cut = room
    return text[:cut].rstrip() + CUT


def render(text: str, choices: list[dict[str, Any]]) -> str:
    """The one message to send: the text (shortened if need be) with its choices under it."""
    lines = choice_lines(choices)
    body = text.rstrip()
    whole = f"{body}\n\n{lines}" if lines else body
    if len(whole) <= MAX_BODY:
        return whole
    tail = f"\n\n{lines}" if lines else ""
    if len(tail) + len(CUT) + 20 > MAX_BODY:
        raise TooLong(f"{len(lines)} characters of choices do not fit in a WhatsApp message")
    return shorten(body, MAX_BODY - len(tail)) + tail
