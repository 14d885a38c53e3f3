"""Tips and reminders on time, on both engines, with a fake clock: the scheduler's promises."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.runtime import Runtime
from bot.simulator.transport import SimulatorTransport
from db.models import Answer, Identity, Mother, Outbox, Reminder, TipDelivery
from flows.catalogue import tips_by_key
from flows.menu import record_birth
from flows.reminders import plan_reminders
from flows.tiptext import outbox_texts
from flows.types import Inbound
from messages.texts import text as ui_text
from scheduler.delivery import Deliverer, DeliveryConfig
from scheduler.jobs import HeartbeatState, heartbeat
from scheduler.planner import due_days, id_ranges, plan_in_chunks, plan_tips
from tests.test_delivery import FakeTransport

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


async def add_mother(runtime: Runtime, *, stage: str = "pregnant", anchor: date, tz: str = WIB,
                     tip_hour: int = 8, from_day: int | None = None, address: str = "sim:ibu",
                     lang: str = "id") -> int:
    now = runtime.clock.now()
    today = now.astimezone(ZoneInfo(tz)).date()
    async with runtime.sessions() as session, session.begin():
        mother = Mother(name="Siti", lang=lang, tz=tz, tip_hour=tip_hour, stage=stage,
                        due_date=anchor if stage == "pregnant" else None,
                        birth_date=anchor if stage == "postnatal" else None, status="active",
                        tips_from_day=(today - anchor).days if from_day is None else from_day,
                        unreachable=False, failure_days=[], created_at=now,
                        last_inbound_at=now)
        session.add(mother)
        await session.flush()
        session.add(Identity(channel="simulator", address=address, mother_id=mother.id,
                             last_inbound_at=now, created_at=now))
        await plan_reminders(session, mother, now)
        return mother.id


class World:
    """The heartbeat and the delivery loop, moved by hand."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.state = HeartbeatState()
        self.deliverer = Deliverer({"simulator": SimulatorTransport()}, runtime.sessions,
                                   runtime.clock, DeliveryConfig(), worker="test")

    async def at(self, moment: datetime) -> None:
        self.runtime.clock.set(moment)  # type: ignore[attr-defined]
        await heartbeat(self.runtime.sessions, moment, self.runtime.config, self.state)
        await self.deliverer.drain()

    async def sent(self, mother_id: int | None = None, kind: str | None = None) -> list[Outbox]:
        async with self.runtime.sessions() as session:
            query = select(Outbox).where(Outbox.status == "sent").order_by(Outbox.id)
            if mother_id is not None:
                query = query.where(Outbox.mother_id == mother_id)
            if kind is not None:
                query = query.where(Outbox.kind == kind)
            return list((await session.scalars(query)).all())


def local(day: date, hour: int, tz: str = WIB, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def sent_at(row: Outbox) -> datetime:
    assert row.sent_at is not None
    return row.sent_at


def tip_key(row: Outbox) -> str:
    return (row.dedupe_key or "").rsplit(":", 1)[-1]


@pytest.mark.slow
async def test_mother_from_week_30_to_24_months_gets_every_tip_once_at_her_hour(
    runtime: Runtime,
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    due = today + timedelta(days=70)  # week 30
    mother_id = await add_mother(runtime, anchor=due)
    world = World(runtime)
    day = today + timedelta(days=1)
    while day <= due + timedelta(days=731):
        if day == due:  # she reports the birth early on the due date
            runtime.clock.set(local(day, 6))  # type: ignore[attr-defined]
            async with runtime.sessions() as session, session.begin():
                mother = await session.get(Mother, mother_id)
                assert mother is not None
                record_birth(mother, due, day)
                await plan_reminders(session, mother, local(day, 6))
        for hour in (7, 8, 22) if day.toordinal() % 9 == 0 else (8,):
            await world.at(local(day, hour, minute=5))
        day += timedelta(days=1)
    tips = await world.sent(mother_id, "tip")
    keys = Counter(tip_key(row) for row in tips)
    catalogue = tips_by_key().values()
    expected = {t.key for t in catalogue if t.stage == "pregnancy" and -70 <= t.offset_days < 0}
    expected |= {t.key for t in catalogue if t.stage == "child"}
    assert set(keys) == expected
    assert max(keys.values()) == 1
    assert {sent_at(row).astimezone(ZoneInfo(WIB)).hour for row in tips} == {8}
    checkins = [r for r in await world.sent(mother_id, "checkin") if r.choices]
    assert len(checkins) == 6  # monthly, 0-5 months
    assert not await world.sent(mother_id, "reminder") or all(
        "Bunda Siti" in r.text for r in await world.sent(mother_id, "reminder"))


async def test_tips_wait_for_the_end_of_quiet_hours(runtime: Runtime) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    night_owl = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=1),
                                 tip_hour=22, address="sim:owl", from_day=2)
    world = World(runtime)
    tomorrow = today + timedelta(days=1)
    await world.at(local(tomorrow, 5, minute=30))
    assert await world.sent(night_owl, "tip") == []
    await world.at(local(tomorrow, 6, minute=1))
    tips = await world.sent(night_owl, "tip")
    assert len(tips) == 1 and sent_at(tips[0]).astimezone(ZoneInfo(WIB)).hour == 6
    # a planner that was down all day and wakes at 23:00 sends nothing before morning
    after = today + timedelta(days=3)
    await world.at(local(after, 23))
    async with runtime.sessions() as session:
        waiting = (await session.scalars(select(Outbox).where(
            Outbox.mother_id == night_owl, Outbox.status == "pending"))).all()
    assert waiting and all(r.not_before == local(after + timedelta(days=1), 6) for r in waiting)


async def test_each_zone_gets_its_tip_at_its_own_local_hour(runtime: Runtime) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    ids = {tz: await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=2),
                                tz=tz, address=f"sim:{tz}", from_day=3)
           for tz in (WIB, WITA, WIT)}
    world = World(runtime)
    start = local(today + timedelta(days=1), 0, WIT)
    for hour in range(30):
        await world.at(start + timedelta(hours=hour))
    for tz, mother_id in ids.items():
        tips = await world.sent(mother_id, "tip")
        assert len(tips) == 1, tz
        assert sent_at(tips[0]).astimezone(ZoneInfo(tz)).hour == 8, tz
    times = sorted([sent_at((await world.sent(ids[tz], "tip"))[0]) for tz in (WIT, WITA, WIB)])
    assert times[1] - times[0] == timedelta(hours=1) == times[2] - times[1]


async def test_after_a_three_day_outage_she_gets_the_latest_and_missed_must_deliver_tips(
    runtime: Runtime,
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    born = today - timedelta(days=1)  # newborn: a tip every day
    mother_id = await add_mother(runtime, stage="postnatal", anchor=born, from_day=0)
    world = World(runtime)
    await world.at(local(today, 10, minute=5))  # days 0 and 1 (day 0 is a missed must-deliver)
    first = {tip_key(r) for r in await world.sent(mother_id, "tip")}
    # down for days 2, 3, 4; back on day 5
    back = born + timedelta(days=5)
    await world.at(local(back, 9))
    caught_up = {tip_key(r) for r in await world.sent(mother_id, "tip")} - first
    async with runtime.sessions() as session:
        schedule = due_days([t for t in await _catalogue(session)])
    assert caught_up == set(schedule["child"][5]) - first
    newest = max((t for t in tips_by_key().values() if t.stage == "child"
                  and t.offset_days <= 5), key=lambda t: t.offset_days)
    assert newest.key in caught_up
    missed = {t.key for t in tips_by_key().values() if t.stage == "child"
              and 2 <= t.offset_days <= 4}
    assert {k for k in caught_up if k in missed} == {
        k for k in missed if tips_by_key()[k].must_deliver}
    assert len(caught_up) < len(missed) + 1  # never a flood
    # the skipped tips never come later
    for extra in range(1, 4):
        await world.at(local(back + timedelta(days=extra), 9))
    all_keys = [tip_key(r) for r in await world.sent(mother_id, "tip")]
    skipped = {k for k in missed if not tips_by_key()[k].must_deliver}
    assert not skipped & set(all_keys)
    assert len(all_keys) == len(set(all_keys))


async def _catalogue(session: Any) -> Any:
    from scheduler.planner import catalogue  # noqa: PLC0415

    return await catalogue(session)


async def test_opting_out_midway_stops_every_tip_and_reminder(runtime: Runtime) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=14),
                                 address="sim:stop")
    world = World(runtime)
    await world.at(local(today, 10, minute=5))
    assert await world.sent(mother_id, "tip")
    # a later tip is already in the outbox, not yet sent, when she says STOP
    async with runtime.sessions() as session, session.begin():
        planned = await plan_tips(session, local(today + timedelta(days=3), 8))
    assert planned.tips == 1
    runtime.clock.set(local(today, 12))  # type: ignore[attr-defined]
    await runtime.handle(Inbound("simulator", "sim:stop", "STOP", "m-stop", local(today, 12)))
    await world.deliverer.drain()
    before = len(await world.sent(mother_id))
    day = today + timedelta(days=1)
    for _ in range(60):
        await world.at(local(day, 8, minute=5))
        await world.at(local(day, 9, minute=5))
        day += timedelta(days=1)
    after = await world.sent(mother_id)
    assert len(after) == before  # only the STOP confirmation, nothing since
    async with runtime.sessions() as session:
        open_reminders = (await session.scalars(select(Reminder).where(
            Reminder.mother_id == mother_id, Reminder.done_at.is_(None)))).all()
    assert open_reminders == []


def test_id_ranges_cover_every_id_once() -> None:
    assert list(id_ranges(3, 9, 2)) == [(3, 4), (5, 6), (7, 8), (9, 9)]
    assert list(id_ranges(5, 5, 50_000)) == [(5, 5)]


async def _planned_tips(runtime: Runtime) -> tuple[Counter[int | None], int]:
    async with runtime.sessions() as session:
        rows = (await session.scalars(select(Outbox.mother_id).where(Outbox.kind == "tip"))).all()
        keys = len((await session.scalars(select(TipDelivery.mother_id))).all())
    return Counter(rows), keys


async def test_planning_in_ranges_of_two_plans_each_of_seven_mothers_once(
    runtime: Runtime,
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    ids = [await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=3),
                            address=f"sim:ibu-{n}") for n in range(7)]
    planned = await plan_in_chunks(runtime.sessions, local(today, 9), chunk=2, connections=2)
    assert (planned.tips, planned.chunks) == (7, 4)
    per_mother, keys = await _planned_tips(runtime)
    assert per_mother == Counter(ids) and keys == 7
    # the same hour again, in other ranges: nothing more
    again = await plan_in_chunks(runtime.sessions, local(today, 9, minute=30), chunk=3)
    assert again.tips == 0
    assert await _planned_tips(runtime) == (per_mother, keys)


async def test_two_planners_at_once_plan_each_tip_once(runtime: Runtime) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    ids = [await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=3),
                            address=f"sim:ibu-{n}") for n in range(7)]
    first, second = await asyncio.gather(
        plan_in_chunks(runtime.sessions, local(today, 9), chunk=2, connections=2),
        plan_in_chunks(runtime.sessions, local(today, 9), chunk=3, connections=2))
    assert first.tips + second.tips == 7
    per_mother, keys = await _planned_tips(runtime)
    assert per_mother == Counter(ids) and keys == 7


@pytest.mark.parametrize("status", ["loss", "opted_out", "paused"])
async def test_no_tip_ever_goes_to_a_mother_who_is_not_active(runtime: Runtime, status: str
                                                             ) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=3))
    async with runtime.sessions() as session, session.begin():
        planned = await plan_tips(session, local(today, 9))
        assert planned.tips == 1  # a tip is in the outbox already...
        await session.execute(update(Mother).values(status=status))
    world = World(runtime)
    for offset in range(10):
        await world.at(local(today + timedelta(days=offset), 11))
    assert await world.sent(mother_id) == []  # ...and is cancelled at the door


async def test_pregnant_past_due_date_gets_the_birth_prompt_and_no_child_tips(
    runtime: Runtime,
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, anchor=today + timedelta(days=2))
    world = World(runtime)
    for offset in range(1, 12):
        await world.at(local(today + timedelta(days=offset), 8, minute=5))
        await world.at(local(today + timedelta(days=offset), 9, minute=5))
    tips = await world.sent(mother_id, "tip")
    assert tips and all(tip_key(r).startswith("preg_") for r in tips)
    prompts = await world.sent(mother_id, "reminder")
    assert len(prompts) == 2  # on the due date and a week later
    assert all("lahir" in r.text for r in prompts)


async def test_monthly_checkin_records_the_who_24_hour_recall(runtime: Runtime) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=10),
                                 address="sim:ci")
    world = World(runtime)
    day = today
    while not await world.sent(mother_id, "checkin"):
        day += timedelta(days=1)
        await world.at(local(day, 9, minute=5))
    asked = await world.sent(mother_id, "checkin")
    assert "KEMARIN" in asked[0].text and "ASI" in asked[1].text
    moment = local(day, 10)
    runtime.clock.set(moment)  # type: ignore[attr-defined]
    replies = []
    for n, text in enumerate(["1", "1 8", "tidak"]):
        result = await runtime.handle(Inbound("simulator", "sim:ci", text, f"ci-{n}", moment))
        async with runtime.sessions() as session:
            replies.append([r.text for r in (await session.scalars(select(Outbox).where(
                Outbox.id.in_(result.outbox_ids)))).all()])
    assert "16" in replies[0][0]  # the numbered list
    assert "oralit" in replies[1][0]
    assert "Terima kasih" in replies[2][0] and "Hebat" not in replies[2][0]
    async with runtime.sessions() as session:
        answers = {a.question: a.answer for a in (await session.scalars(
            select(Answer).where(Answer.mother_id == mother_id))).all()}
    assert answers["q1_breastmilk"] == "yes"
    assert answers["q2_item01"] == "yes" and answers["q2_item08"] == "yes"
    assert answers["q2_item02"] == "no" and len([q for q in answers if q.startswith("q2_")]) == 16
    assert answers["q3_ors_drops"] == "no"


async def checkin_answers(runtime: Runtime, mother_id: int, address: str,
                          lines: list[str]) -> tuple[list[list[str]], dict[str, str]]:
    """Start her check-in, answer it line by line: what she was told, what was stored."""
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    world = World(runtime)
    day = today
    while not await world.sent(mother_id, "checkin"):
        day += timedelta(days=1)
        await world.at(local(day, 9, minute=5))
    moment = local(day, 10)
    runtime.clock.set(moment)  # type: ignore[attr-defined]
    replies = []
    for n, line in enumerate(lines):
        result = await runtime.handle(Inbound("simulator", address, line, f"{address}-{n}",
                                              moment))
        async with runtime.sessions() as session:
            replies.append([r.text for r in (await session.scalars(select(Outbox).where(
                Outbox.id.in_(result.outbox_ids)).order_by(Outbox.id))).all()])
    async with runtime.sessions() as session:
        answers = {a.question: a.answer for a in (await session.scalars(
            select(Answer).where(Answer.mother_id == mother_id))).all()}
    return replies, answers


@pytest.mark.parametrize("nothing_else", ["ga ada bun", "cuma ASI", "asi aja kok"])
async def test_a_mother_who_answers_ga_ada_bun_or_cuma_asi_gave_nothing_but_breast_milk(
    runtime: Runtime, nothing_else: str
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=10),
                                 address="sim:ci-asi")
    replies, answers = await checkin_answers(runtime, mother_id, "sim:ci-asi",
                                             ["iya", nothing_else, "gak"])
    assert "oralit" in replies[1][0], "no re-prompt: on to the last question"
    assert "hanya minum ASI" in replies[2][0]
    assert [q for q, a in answers.items() if a == "yes"] == ["q1_breastmilk"]


async def test_a_mother_who_writes_air_putih_sm_madu_is_recorded_as_items_1_and_10_and_hears_it(
    runtime: Runtime
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=10),
                                 address="sim:ci-words")
    replies, answers = await checkin_answers(runtime, mother_id, "sim:ci-words",
                                             ["1", "air putih sm madu", "2"])
    assert replies[1][0] == "Kami catat: 1 air putih, 10 madu 🙏" and "oralit" in replies[1][1]
    assert {q for q, a in answers.items() if a == "yes"} == {
        "q1_breastmilk", "q2_item01", "q2_item10"}
    # a negated word is never guessed: she is asked for the numbers
    other = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=10),
                             address="sim:ci-not")
    replies, _ = await checkin_answers(runtime, other, "sim:ci-not",
                                       ["1", "gak dikasih air putih"])
    assert "nomor 1 sampai 16" in replies[1][0]


async def test_a_mother_joining_on_her_check_in_day_is_asked_3_days_later_not_after_the_welcome(
    runtime: Runtime
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=21),
                                 address="sim:ci-new")
    assert mother_id % 7 == 1, "her first check-in falls on day 21: today, at 09:00"
    world = World(runtime)
    for moment in (local(today, 11), local(today + timedelta(days=1), 9, minute=5),
                   local(today + timedelta(days=2), 9, minute=5)):
        await world.at(moment)
    assert not await world.sent(mother_id, "checkin")
    await world.at(local(today + timedelta(days=3), 9, minute=5))
    assert await world.sent(mother_id, "checkin")


async def test_thirty_days_of_silence_bring_one_nudge_not_one_a_day(runtime: Runtime) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=300))
    world = World(runtime)
    nudges: list[date] = []
    for n in range(1, 46):
        day = today + timedelta(days=n)
        await world.at(local(day, 10))
        await world.at(local(day, 16))
        async with runtime.sessions() as session:
            count = len((await session.scalars(select(Outbox).where(
                Outbox.mother_id == mother_id, Outbox.dedupe_key.like("nudge:%")))).all())
        if count > len(nudges):
            nudges.append(day)
    assert len(nudges) == 1, nudges
    assert (nudges[0] - today).days in (30, 31)  # on day 30 (or the next morning)


def test_the_heartbeat_runs_inside_a_live_asibot_worker_and_sigterm_stops_it(
    tmp_path: Any,
) -> None:
    import asyncio
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path

    from db.migrate import upgrade

    path = tmp_path / "worker.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    now = datetime.now(UTC)

    async def seed() -> None:
        from db.session import make_engine, make_sessionmaker

        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            mother = Mother(name="Siti", lang="id", tz=WIB, tip_hour=8, stage="pregnant",
                            due_date=now.date() - timedelta(days=1), status="active",
                            tips_from_day=0, unreachable=False, failure_days=[],
                            created_at=now, last_inbound_at=now)
            session.add(mother)
            await session.flush()
            session.add(Identity(channel="simulator", address="sim:siti", mother_id=mother.id,
                                 last_inbound_at=now, created_at=now))
            session.add(Reminder(mother_id=mother.id, kind="birth_report",
                                 due_at=now - timedelta(minutes=5), done_at=None,
                                 payload={"n": 1}, dedupe_key=f"birth_report:{mother.id}:1"))
        await engine.dispose()

    asyncio.run(seed())
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING",
           "TELEGRAM_BOT_TOKEN": "", "TWILIO_AUTH_TOKEN": "", "TWILIO_ACCOUNT_SID": ""}
    asibot = str(Path(sys.executable).parent / "asibot")
    process = subprocess.Popen([asibot, "worker", "--no-deliver"],
                               cwd=root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)

    def reminder_rows() -> int:
        with sqlite3.connect(path, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM outbox WHERE kind = 'reminder' "
                                    "AND dedupe_key LIKE 'birth_report:%'").fetchone()[0])

    try:
        deadline = time.monotonic() + 60
        while reminder_rows() == 0 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert reminder_rows() == 1, process.stderr.read().decode() if process.poll() else ""
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0, process.stderr.read().decode()


# what the planner wrote into every tip row before tip rows lost their words (the due
# table's body, rendered with a mark, and SQL's REPLACE of the mark by her name): kept
# here on purpose, independent of flows.tiptext, so the two can be compared
def _old_tip_text(key: str, lang: str, name: str) -> str:
    catalogue_lang = "en" if lang == "en" else "id"
    body = tips_by_key()[key].render(catalogue_lang, name="@@NAME@@",
                                     child=ui_text("common.child", catalogue_lang))
    return body.replace("@@NAME@@", name)


async def test_planned_tips_reach_her_byte_for_byte_as_the_planner_used_to_write_them(
    runtime: Runtime,
) -> None:
    now = runtime.clock.now()
    today = now.astimezone(ZoneInfo(WIB)).date() + timedelta(days=1)
    # names a format string or a REPLACE could trip on, and a language with no tips of
    # its own (she gets the Indonesian ones, as before)
    people = [("id", "Siti"), ("en", "Mary O'Neil"), ("id", "Dewi {name} 100%"),
              ("en", "Ana & Ani"), ("jv", "Sri Rahayu")]
    ids: dict[int, tuple[str, str]] = {}
    async with runtime.sessions() as session, session.begin():
        for n, (lang, name) in enumerate(people):
            for stage, anchor in (("postnatal", today - timedelta(days=3 + 7 * n)),
                                  ("pregnant", today + timedelta(days=70 + 7 * n))):
                mother = Mother(name=name, lang=lang, tz=WIB, tip_hour=8, stage=stage,
                                due_date=anchor if stage == "pregnant" else None,
                                birth_date=anchor if stage == "postnatal" else None,
                                status="active", tips_from_day=-1000, unreachable=False,
                                failure_days=[], created_at=now, last_inbound_at=now)
                session.add(mother)
                await session.flush()
                session.add(Identity(channel="simulator", address=f"sim:{mother.id}",
                                     mother_id=mother.id, last_inbound_at=now, created_at=now))
                ids[mother.id] = (lang, name)
    moment = local(today, 9, minute=5)
    runtime.clock.set(moment)  # type: ignore[attr-defined]
    planned = await plan_in_chunks(runtime.sessions, moment, chunk=3)
    assert planned.tips >= len(ids)
    async with runtime.sessions() as session:
        pending = list((await session.scalars(
            select(Outbox).where(Outbox.kind == "tip").order_by(Outbox.id))).all())
        assert {r.mother_id for r in pending} == set(ids)
        assert all(r.text == "" for r in pending)  # planned without words
        expected = {r.id: _old_tip_text(tip_key(r), *ids[r.mother_id or 0]) for r in pending}
        # a reader of a row not sent yet (the simulator's inbox) gets the same words
        assert await outbox_texts(session, pending) == expected
    transport = FakeTransport()
    await Deliverer({"simulator": transport}, runtime.sessions, runtime.clock,
                    DeliveryConfig(), worker="t").drain()
    assert {m.outbox_id: m.text for m in transport.messages} == expected
    # and the sent row says what she received
    sent = {r.id: r.text for r in await World(runtime).sent(kind="tip")}
    assert sent == expected


async def test_a_planned_tip_gone_from_the_catalogue_is_cancelled_not_sent_empty(
    runtime: Runtime,
) -> None:
    today = runtime.clock.now().astimezone(ZoneInfo(WIB)).date()
    mother_id = await add_mother(runtime, stage="postnatal", anchor=today - timedelta(days=3))
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        for key in ("no-such-tip", "also-gone"):
            session.add(Outbox(channel="simulator", address="sim:ibu", mother_id=mother_id,
                               kind="tip", text="", choices=[], status="pending",
                               dedupe_key=f"tip:{mother_id}:{key}", attempts=0,
                               not_before=now, created_at=now))
    transport = FakeTransport()
    # a batch of one: the first claims are all cancelled, and drain goes on past them
    await Deliverer({"simulator": transport}, runtime.sessions, runtime.clock,
                    DeliveryConfig(batch=1), worker="t").drain()
    async with runtime.sessions() as session:
        rows = (await session.execute(select(Outbox.dedupe_key, Outbox.status, Outbox.error)
                                      .where(Outbox.kind == "tip"))).all()
    assert {(k, s) for k, s, _ in rows} == {(f"tip:{mother_id}:no-such-tip", "cancelled"),
                                           (f"tip:{mother_id}:also-gone", "cancelled")}
    assert all("catalogue" in (e or "") for _, _, e in rows)
    assert not [m for m in transport.messages if m.kind == "tip"]
