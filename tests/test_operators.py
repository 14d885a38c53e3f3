"""The operator adds cadres to the posyandu the puskesmas already has."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.operators import ChannelAddress, add_staff
from bot.runtime import Runtime
from db.models import Posyandu, Puskesmas


async def test_a_new_cadre_of_melati_joins_posyandu_melati_under_the_puskesmas(
    runtime: Runtime, demo: Any
) -> None:
    async with runtime.sessions() as session, session.begin():
        for spelled in ("Melati", "posyandu  melati", "POSYANDU MELATI"):
            record = await add_staff(
                session, name=f"Bu {spelled[:3]}", role="cadre", posyandu=spelled,
                address=ChannelAddress("simulator", f"sim:{spelled}"), now=runtime.clock.now(),
                puskesmas=runtime.settings.puskesmas_name)
            assert record["posyandu"] == "Posyandu Melati"
        new = await add_staff(
            session, name="Bu Ani", role="cadre", posyandu="Anggrek",
            address=ChannelAddress("simulator", "sim:ani"), now=runtime.clock.now(),
            puskesmas=runtime.settings.puskesmas_name)
    async with runtime.sessions() as session:
        places = {p.name: p for p in await session.scalars(select(Posyandu))}
        [puskesmas] = (await session.scalars(select(Puskesmas))).all()
    assert sorted(places) == ["Anggrek", "Posyandu Mawar", "Posyandu Melati"]
    assert new["posyandu"] == "Anggrek"
    assert {p.puskesmas_id for p in places.values()} == {puskesmas.id}
