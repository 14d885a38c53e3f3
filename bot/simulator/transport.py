"""The simulator channel's sender: the page reads the outbox, so "sending" is recording."""

from __future__ import annotations

from scheduler.transport import OutgoingMessage


class SimulatorTransport:
    """Delivers by returning an id; the simulator page shows rows marked sent."""

    channel = "simulator"

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, message: OutgoingMessage) -> str | None:
        """Accept the message at once."""
        self.sent += 1
        return f"sim-{message.outbox_id}"

    async def close(self) -> None:
        """Nothing to release."""
