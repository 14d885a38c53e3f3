"""The registry of channel senders: which transports this deployment runs."""

from __future__ import annotations

from bot.settings import Settings
from bot.simulator.transport import SimulatorTransport
from scheduler.transport import Transport


def build_transports(settings: Settings) -> dict[str, Transport]:
    """One sender per configured channel, keyed by channel name."""
    transports: dict[str, Transport] = {}
    if settings.simulator_enabled:
        transports["simulator"] = SimulatorTransport()
    # --- channel adapters: add telegram and whatsapp here -----------------------------
    if settings.telegram_bot_token:
        from bot.telegram.transport import TelegramTransport  # noqa: PLC0415

        transports["telegram"] = TelegramTransport(settings)
    if settings.twilio_account_sid and settings.twilio_auth_token:
        from bot.whatsapp.transport import WhatsAppTransport  # noqa: PLC0415

        transports["whatsapp"] = WhatsAppTransport(settings)
    return transports
