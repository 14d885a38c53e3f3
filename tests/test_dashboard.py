"""The health workers' dashboard: who may see it, the cases, and the EBF indicator."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from bot.dashboard.auth import dashboard_secret, make_token
from bot.runtime import Runtime
from db import reports
from db.models import Answer, Mother, Staff
from tests.test_onboarding import register


async def staff_id(runtime: Runtime, code: str) -> int:
    async with runtime.sessions() as session:
        return (await session.scalars(select(Staff.id).where(Staff.invite_code == code))).one()


async def signed_in(client: httpx.AsyncClient, runtime: Runtime, code: str) -> httpx.Response:
    token = make_token(dashboard_secret(runtime.settings), await staff_id(runtime, code),
                       runtime.clock.now() + timedelta(days=1))
    return await client.get("/dashboard/login", params={"token": token})


async def test_the_midwife_sees_a_new_latch_case_and_a_cadre_cannot_sign_in(
    runtime: Runtime, demo: Any, phone: Any, client: httpx.AsyncClient,
    tmp_path: Any, monkeypatch: Any,
) -> None:
    monkeypatch.chdir(tmp_path)
    ibu = phone("sim:ibu-dash")
    await register(ibu, "DAFTAR MAWAR1", "1", "Siti", "2", "3 minggu yg lalu", "1", "8", "1")
    await ibu.says("puting sy lecet bgt smp berdarah")

    assert "Masuk ke dasbor" in (await client.get("/dashboard")).text
    forged = await client.get("/dashboard/login", params={"token": "4.9999999999.abc"})
    assert "Masuk ke dasbor" in forged.text and "asibot_dashboard" not in forged.cookies
    cadre = await signed_in(client, runtime, "MAWAR1")
    assert "bidan dan ahli gizi" in cadre.text

    await signed_in(client, runtime, "BIDAN1")
    page = (await client.get("/dashboard")).text
    assert "Puting lecet" in page and "Siti" in page and "Bu Sari" in page
    assert "Bu Sari" in (await client.get("/dashboard/cadres")).text
    assert "ASI eksklusif" in (await client.get("/dashboard/indicator?month=2026-11")).text


async def test_a_danger_sign_before_she_gave_her_name_shows_her_as_not_named_yet(
    runtime: Runtime, demo: Any, phone: Any, client: httpx.AsyncClient,
    tmp_path: Any, monkeypatch: Any,
) -> None:
    monkeypatch.chdir(tmp_path)  # the dashboard's secret file is written there
    ibu = phone("sim:ibu-baru")
    await register(ibu, "DAFTAR MAWAR1", "1")
    assert (await ibu.says("tolong dedek kejang")).startswith("SEGERA")
    await signed_in(client, runtime, "BIDAN1")
    page = (await client.get("/dashboard")).text
    assert "Bahaya bayi" in page and "(belum menyebut nama)" in page
    case_link = page.split('href="/dashboard/cases/')[1].split('"')[0]
    assert "Bunda (belum menyebut nama)" in (await client.get(f"/dashboard/cases/{case_link}")).text


async def test_ebf_indicator_counts_only_breast_milk_and_drops_dont_know(
    runtime: Runtime, demo: Any
) -> None:
    today = date(2026, 11, 15)
    async with runtime.sessions() as session, session.begin():
        sari = (await session.scalars(select(Staff).where(Staff.invite_code == "MAWAR1"))).one()
        def mother(name: str, days: int) -> Mother:
            return Mother(name=name, stage="postnatal", birth_date=today - timedelta(days=days),
                          cadre_id=sari.id, posyandu_id=sari.posyandu_id, status="active",
                          created_at=runtime.clock.now(), failure_days=[])
        only_milk, water, unsure, silent = (mother("A", 30), mother("B", 100), mother("C", 150),
                                            mother("D", 20))
        session.add_all([only_milk, water, unsure, silent, mother("E", 400)])
        await session.flush()

        def answers(m: Mother, q1: str, items: set[int], unsure_item: bool = False) -> None:
            rows = [("q1_breastmilk", q1)] + [
                (f"q2_item{i:02d}", "unsure" if unsure_item else ("yes" if i in items else "no"))
                for i in range(1, 17)]
            for question, answer in rows:
                session.add(Answer(mother_id=m.id, kind="checkin", round="checkin-2026-11",
                                   question=question, answer=answer,
                                   child_age_days=(today - m.birth_date).days,  # type: ignore[operator]
                                   at=runtime.clock.now()))

        answers(only_milk, "yes", set())
        answers(water, "yes", {1})
        answers(unsure, "yes", set(), unsure_item=True)
    async with runtime.sessions() as session:
        [row] = await reports.ebf_indicator(session, "2026-11")
    assert (row.posyandu, row.eligible, row.responded, row.dropped_unsure, row.n, row.ebf) == (
        "Posyandu Mawar", 4, 3, 1, 2, 1)
    assert row.percent is None, "n < 10: counts, not a percentage"
    assert row.bands == {"0-1": (1, 1), "2-3": (0, 1)}
