"""The small vocabulary every flow and every channel shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

# what no database column may hold: NUL and the other C0 controls (tab and line breaks are
# text), and lone UTF-16 surrogates (JSON's "\ud83d" without its pair). PostgreSQL refuses
# both (asyncpg: CharacterNotInRepertoireError / UnicodeEncodeError), which would answer a
# webhook 500 and have the provider retry it forever.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """A string as we can store it: NUL, control characters and lone surrogates dropped."""
    return _UNSTORABLE.sub("", value)


@dataclass(frozen=True)
class Inbound:
    """One message from a person, as every channel normalises it.

    Its strings are cleaned on the way in (`clean_text`), so no channel can hand the engine
    a character the database cannot hold.
    """

    channel: str
    address: str
    text: str
    msg_id: str
    at: datetime
    # photo | voice | sticker | document | video | location: something we cannot read
    media: str | None = None

    def __post_init__(self) -> None:
        for name in ("address", "text", "msg_id"):
            value = getattr(self, name)
            if _UNSTORABLE.search(value):
                object.__setattr__(self, name, clean_text(value))


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
    plan_chunk_mothers: int = 50_000  # scheduler.planner.plan_in_chunks
    plan_connections: int = 0  # 0: the database's default (2 on PostgreSQL, 1 on SQLite)
    sla_urgent_minutes: int = 15
    sla_normal_minutes: int = 120
    consent_version: str = "consent-v1"


@dataclass
class HandleResult:
    """What the engine did with an inbound message."""

    duplicate: bool = False
    outbox_ids: list[int] = field(default_factory=list)
