"""What a puskesmas operator sets up: posyandu, cadres, health workers, demo data."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Identity, Posyandu, Puskesmas, Staff

ROLES = ("cadre", "midwife", "nutritionist")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on paper


class OperatorError(ValueError):
    """An operator asked for something that cannot be done; the message says why."""


@dataclass(frozen=True)
class ChannelAddress:
    """Where a staff member receives alerts."""

    channel: str
    address: str


def new_invite_code(prefix: str) -> str:
    """A short code a mother can type: the posyandu's first letters and four random ones."""
    letters = "".join(ch for ch in prefix.upper() if ch.isalpha())[:5] or "KADER"
    return letters + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(3))


async def ensure_puskesmas(session: AsyncSession, name: str, phone: str = "") -> Puskesmas:
    """The puskesmas by name, created when new."""
    found = (await session.scalars(select(Puskesmas).where(Puskesmas.name == name))).first()
    if found is None:
        found = Puskesmas(name=name, phone=phone)
        session.add(found)
        await session.flush()
    return found


def _bare_posyandu_name(name: str) -> str:
    """'Posyandu Melati', 'posyandu  melati' and 'Melati' are one posyandu."""
    words = name.lower().split()
    return " ".join(words[1:] if words[:1] == ["posyandu"] else words)


async def ensure_posyandu(session: AsyncSession, name: str, puskesmas_id: int | None) -> Posyandu:
    """The posyandu by name (any case, with or without the word 'Posyandu'), created when new."""
    wanted = _bare_posyandu_name(name)
    found = next((place for place in await session.scalars(select(Posyandu))
                  if _bare_posyandu_name(place.name) == wanted), None)
    if found is None:
        found = Posyandu(name=" ".join(name.split()), puskesmas_id=puskesmas_id)
        session.add(found)
        await session.flush()
    elif found.puskesmas_id is None:
        found.puskesmas_id = puskesmas_id
    return found


async def add_staff(
    session: AsyncSession,
    *,
    name: str,
    role: str,
    address: ChannelAddress,
    now: datetime,
    posyandu: str | None = None,
    code: str | None = None,
    backup: bool = False,
    lang: str = "id",
    puskesmas: str | None = None,
) -> dict[str, Any]:
    """Add a cadre or health worker reachable at `address`; returns the record as a dict.

    A new posyandu is placed under `puskesmas` (by name, created when new)."""
    if role not in ROLES:
        raise OperatorError(f"role must be one of {', '.join(ROLES)}")
    if role == "cadre" and not posyandu:
        raise OperatorError("a cadre needs --posyandu")
    taken = (await session.scalars(select(Identity).where(
        Identity.channel == address.channel, Identity.address == address.address))).first()
    if taken is not None:
        raise OperatorError(f"that {address.channel} address is already registered")
    place = None
    if posyandu:
        home = await ensure_puskesmas(session, puskesmas) if puskesmas else None
        place = await ensure_posyandu(session, posyandu, home.id if home else None)
    code = (code or new_invite_code(place.name if place else role)).upper()
    if (await session.scalars(select(Staff).where(func.upper(Staff.invite_code) == code))).first():
        raise OperatorError(f"invite code {code} is already in use")
    staff = Staff(name=name, role=role, posyandu_id=place.id if place else None, invite_code=code,
                  is_backup=backup, lang=lang, active=True, created_at=now)
    session.add(staff)
    await session.flush()
    session.add(Identity(channel=address.channel, address=address.address, staff_id=staff.id,
                         created_at=now))
    return {"id": staff.id, "name": staff.name, "role": role,
            "posyandu": place.name if place else None, "invite_code": code,
            "channel": address.channel, "backup": backup}


DEMO_STAFF = [
    ("Bu Sari", "cadre", "Posyandu Mawar", "sim:kader-sari", "MAWAR1", False),
    ("Bu Wati", "cadre", "Posyandu Mawar", "sim:kader-wati", "MAWAR2", True),
    ("Bu Nur", "cadre", "Posyandu Melati", "sim:kader-nur", "MELATI1", False),
    ("Bidan Rina", "midwife", None, "sim:bidan-rina", "BIDAN1", False),
    ("Bu Dewi (gizi)", "nutritionist", None, "sim:gizi-dewi", "GIZI1", False),
]


async def load_demo_data(
    session: AsyncSession, now: datetime, puskesmas: str
) -> list[dict[str, Any]]:
    """A small puskesmas with two posyandu, three cadres and two health workers (simulator)."""
    place = await ensure_puskesmas(session, puskesmas)
    added = []
    for name, role, posyandu, address, code, backup in DEMO_STAFF:
        exists = (await session.scalars(select(Staff).where(Staff.invite_code == code))).first()
        if exists is not None:
            continue
        added.append(await add_staff(session, name=name, role=role, posyandu=posyandu, code=code,
                                     address=ChannelAddress("simulator", address), now=now,
                                     backup=backup, puskesmas=place.name))
    return added
