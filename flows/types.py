"""The small vocabulary every flow and every channel shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Inbound:
    """One message from a person, as every channel normalises it."""

    channel: str
    address: str
    text: str
    msg_id: str
    at: datetime
    # photo | voice | sticker | document | video | location: something we cannot read
    media: str | None = None


@dataclass(frozen=True)
class Choice:
    """An answer offered with a question; channels render it as a number or a button."""

    key: str
    label: str


@dataclass(frozen=True)
class FlowConfig:
    """What flows need to know about the deployment (built from bot settings)."""

    puskesmas_name: str = "Puskesmas"
    puskesmas_phone: str = ""
    emergency_name: str = "IGD RS terdekat"
    emergency_phone: str = "119"
    timezone: str = "Asia/Jakarta"
    default_tip_hour: int = 8
    quiet_start: int = 21
    quiet_end: int = 6
    sla_urgent_minutes: int = 15
    sla_normal_minutes: int = 120
    consent_version: str = "consent-v1"


@dataclass
class HandleResult:
    """What the engine did with an inbound message."""

    duplicate: bool = False
    outbox_ids: list[int] = field(default_factory=list)
