"""The contract every channel sender answers: send one outbox message, or raise SendError.

The delivery loop (scheduler/delivery.py) turns a SendError into a state of the
outbox row: a retry later (timeouts, 5xx, 429 with its retry-after), a failure
at once (`permanent`: a blocked bot, an invalid number, and the mother is
flagged unreachable), or a held message (`window_closed`: WhatsApp's 24-hour
window is shut and no template fits).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


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
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after
        self.code = code
        self.window_closed = window_closed


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
