"""The contract every channel sender answers: send one outbox message, or raise SendError.

The delivery loop (scheduler/delivery.py) turns a SendError into a state of the
outbox row: a retry later (timeouts, 5xx, 429 with its retry-after), a failure
at once (`permanent`: a blocked bot, an invalid number, and the mother is
flagged unreachable), or a held message (`window_closed`: WhatsApp's 24-hour
window is shut and no template fits).

A send whose outcome is unknown (it timed out, or its worker died mid-send) leaves the
row "in doubt": before sending it again the delivery loop asks the transport whether
the provider already has it (`FindsSent.find_sent`), when the transport can tell.
Twilio can (its Messages list); Telegram's Bot API cannot list what a bot sent, so a
Telegram row in doubt is sent again: at-least-once, bounded by what was in flight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


class SendError(Exception):
    """The provider did not take the message."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        code: str | None = None,
        window_closed: bool = False,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after
        self.code = code
        self.window_closed = window_closed
        # the provider may have taken the message all the same (the request timed out
        # after it left): the row stays in doubt and is checked before it goes again
        self.maybe_sent = maybe_sent


@dataclass(frozen=True)
class OutgoingMessage:
    """What a sender gets from an outbox row."""

    outbox_id: int
    channel: str
    address: str
    text: str
    choices: list[dict[str, Any]]
    kind: str
    template_sid: str | None = None
    template_vars: dict[str, str] | None = None


class Transport(Protocol):
    """One channel's sender."""

    channel: str

    async def send(self, message: OutgoingMessage) -> str | None:
        """Hand the message to the provider; return its message id, or raise SendError."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


@runtime_checkable
class FindsSent(Protocol):
    """A transport that can ask its provider whether a message already went out."""

    async def find_sent(self, message: OutgoingMessage, since: datetime) -> list[str]:
        """The provider's ids of messages it accepted since `since` that are this one.

        Newest first; empty when it has none. The caller skips ids another outbox row
        already owns (two rows may carry the same text to the same person). Raises
        SendError when the provider cannot be asked: the caller must then wait and ask
        again, never take "could not ask" for "not sent".
        """
        ...
