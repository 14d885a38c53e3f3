"""The outbox never loses or doubles a message: leases, errors, caps, the WhatsApp window."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select, update

from bot.runtime import Runtime
from db.models import Identity, Lease, Mother, Outbox, Staff
from flows.outbox import enqueue
from flows.types import Inbound
from scheduler.clock import SystemClock
from scheduler.delivery import (
    ChannelLeader,
    Deliverer,
    DeliveryConfig,
    Pacer,
    Template,
    claim,
    record_status,
    share_pause,
    window_closed,
)
from scheduler.transport import OutgoingMessage, SendError


class FakeTransport:
    """Records sends; `fail` decides per message what goes wrong (None: it works)."""

    def __init__(self, channel: str = "simulator", fail: object = None) -> None:
        self.channel = channel
        self.fail = fail
        self.accepted: Counter[int] = Counter()
        self.messages: list[OutgoingMessage] = []
        self.attempts = 0
        self.tries: Counter[str] = Counter()

    async def send(self, message: OutgoingMessage) -> str | None:
        self.attempts += 1
        self.tries[message.address] += 1
        if callable(self.fail):
            outcome = self.fail(message)
            if isinstance(outcome, BaseException):
                raise outcome
            if outcome == "hang":
                await asyncio.sleep(10)
        self.accepted[message.outbox_id] += 1
        self.messages.append(message)
        return f"p-{message.outbox_id}"

    async def close(self) -> None:
        return None


async def mother_with(runtime: Runtime, channel: str = "simulator", address: str = "sim:ibu",
                      cadre: bool = False) -> int:
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        staff_id = None
        if cadre:
            staff = Staff(name="Bu Sari", role="cadre", lang="id", active=True, is_backup=False,
                          created_at=now)
            session.add(staff)
            await session.flush()
            session.add(Identity(channel="simulator", address="sim:sari", staff_id=staff.id,
                                 created_at=now))
            staff_id = staff.id
        mother = Mother(name="Siti", lang="id", tz="Asia/Jakarta", tip_hour=8, stage="postnatal",
                        status="active", tips_from_day=0, unreachable=False, failure_days=[],
                        created_at=now, cadre_id=staff_id)
        session.add(mother)
        await session.flush()
        session.add(Identity(channel=channel, address=address, mother_id=mother.id,
                             created_at=now, last_inbound_at=None))
        return mother.id


async def queue(runtime: Runtime, count: int, *, channel: str = "simulator",
                address: str = "sim:ibu", kind: str = "tip", mother_id: int | None = None,
                addresses: int = 1) -> None:
    async with runtime.sessions() as session, session.begin():
        for n in range(count):
            enqueue(session, channel=channel, address=address if addresses == 1
                    else f"{address}-{n % addresses}", text=f"pesan {n}",
                    now=runtime.clock.now(), kind=kind, mother_id=mother_id)


async def statuses(runtime: Runtime) -> Counter[str]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(Outbox.status, func.count()).group_by(
            Outbox.status))).all()
    return Counter({status: n for status, n in rows})


async def test_a_crashed_workers_rows_are_taken_over_when_its_lease_runs_out(
    runtime: Runtime,
) -> None:
    await queue(runtime, 3)
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        taken = await claim(session, "simulator", "dead", now, limit=10, lease_seconds=20)
    assert len(taken) == 3
    async with runtime.sessions() as session, session.begin():
        assert await claim(session, "simulator", "alive", now + timedelta(seconds=19),
                           limit=10, lease_seconds=20) == []
    async with runtime.sessions() as session, session.begin():
        again = await claim(session, "simulator", "alive", now + timedelta(seconds=21),
                            limit=10, lease_seconds=20)
    assert [r.id for r in again] == [r.id for r in taken]
    assert all(r.attempts == 2 for r in again)


async def test_only_one_worker_sends_on_a_channel_and_a_standby_takes_over(
    runtime: Runtime,
) -> None:
    now = runtime.clock.now()
    first, second = ChannelLeader("telegram", "w1", 10), ChannelLeader("telegram", "w2", 10)
    assert await first.hold(runtime.sessions, now)
    assert not await second.hold(runtime.sessions, now + timedelta(seconds=1))
    assert await first.hold(runtime.sessions, now + timedelta(seconds=5))  # renewed
    assert not await second.hold(runtime.sessions, now + timedelta(seconds=14))
    # w1 dies: its lease is not renewed
    assert await second.hold(runtime.sessions, now + timedelta(seconds=16))
    assert not await first.hold(runtime.sessions, now + timedelta(seconds=17))
    await second.release(runtime.sessions)
    assert await first.hold(runtime.sessions, now + timedelta(seconds=18))


async def test_a_blocked_bot_fails_at_once_and_five_bad_days_pause_her_and_tell_her_cadre(
    runtime: Runtime,
) -> None:
    mother_id = await mother_with(runtime, cadre=True)
    blocked = FakeTransport(fail=lambda m: SendError("Forbidden: bot was blocked by the user",
                                                     permanent=True, code="blocked")
                            if m.address == "sim:ibu" else None)
    deliverer = Deliverer({"simulator": blocked}, runtime.sessions, runtime.clock,
                          DeliveryConfig(), worker="t")
    for day in range(5):
        await queue(runtime, 1, mother_id=mother_id)
        await deliverer.drain()
        assert blocked.tries["sim:ibu"] == day + 1 + (day == 4)  # never retried
        async with runtime.sessions() as session:
            mother = await session.get(Mother, mother_id)
            assert mother is not None and mother.unreachable
            assert len(mother.failure_days) == day + 1
            assert mother.status == ("paused" if day == 4 else "active")
        if day == 3:
            await queue(runtime, 1, mother_id=mother_id)  # a second failure the same day
            await deliverer.drain()
        runtime.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    async with runtime.sessions() as session:
        failed = (await session.scalars(select(Outbox).where(Outbox.status == "failed"))).all()
        alert = (await session.scalars(select(Outbox).where(Outbox.address == "sim:sari"))).one()
    assert len(failed) == 6 and all(r.error_code == "blocked" for r in failed)
    assert "Siti" in alert.text and "5" in alert.text
    assert blocked.accepted[alert.id] == 1  # the cadre was told


async def test_a_provider_outage_then_a_429_storm_delays_messages_and_loses_none(
    runtime: Runtime,
) -> None:
    runtime.clock = SystemClock()
    await queue(runtime, 150, addresses=30)
    started = time.monotonic()
    pause = 0.3
    throttled: list[float] = []  # when each 429 was answered
    attempts: list[float] = []  # when each send after the outage began

    def outage(message: OutgoingMessage) -> object:
        now = time.monotonic()
        if now - started < 1.0:  # "a minute" of 5xx and timeouts
            return "hang" if message.outbox_id % 2 else SendError("HTTP 503", code="503")
        attempts.append(now)
        # then a storm of 429s, counted (not timed): the first attempt after each pause
        # is refused again, five times; a sender that ignored retry-after would send
        # inside the pauses and fail the check below
        if len(throttled) < 5 and (not throttled or now - throttled[-1] >= pause):
            throttled.append(now)
            return SendError("HTTP 429", code="429", retry_after=pause)
        return None

    transport = FakeTransport(fail=outage)
    config = DeliveryConfig(rates={"simulator": 400}, backoff_base_seconds=0.05,
                            backoff_max_seconds=0.4, send_timeout_seconds=0.2,
                            lease_seconds=5, idle_seconds=0.05)
    deliverer = Deliverer({"simulator": transport}, runtime.sessions, runtime.clock, config,
                          worker="t")
    stop = asyncio.Event()
    task = asyncio.create_task(deliverer.run(stop))
    deadline = time.monotonic() + 30
    while (await statuses(runtime))["sent"] < 150 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    stop.set()
    await task
    assert (await statuses(runtime)) == Counter({"sent": 150})
    assert len(transport.accepted) == 150 and max(transport.accepted.values()) == 1
    assert transport.attempts > 150  # it did have to retry
    assert deliverer.senders["simulator"].stats.failed == 0
    assert len(throttled) == 5
    # nothing is sent inside a retry-after pause (a send already under way may land)
    inside = [at - t for t in throttled for at in attempts if t + 0.02 < at < t + pause - 0.01]
    assert not inside, inside


async def test_a_pause_stops_the_rows_already_waiting_for_their_slot() -> None:
    pacer = Pacer(rate=10)  # a slot every 0.1 s
    went: list[float] = []

    async def send() -> None:
        await pacer.slot("chat")
        went.append(time.monotonic())

    tasks = [asyncio.create_task(send()) for _ in range(5)]
    await asyncio.sleep(0.05)  # the first is out, four wait for their slots
    paused_at = time.monotonic()
    pacer.pause(0.5)
    await asyncio.gather(*tasks)
    assert len(went) == 5 and went[0] < paused_at
    assert all(at >= paused_at + 0.5 - 0.005 for at in went[1:]), \
        [round(at - paused_at, 3) for at in went[1:]]
    assert min(b - a for a, b in zip(went[1:], went[2:], strict=False)) >= 0.09  # still paced


async def test_a_standby_that_takes_over_honours_the_retry_after_its_predecessor_got(
    runtime: Runtime,
) -> None:
    runtime.clock = SystemClock()
    await queue(runtime, 3)
    await share_pause(runtime.sessions, "simulator", "dead-leader",
                      runtime.clock.now() + timedelta(seconds=0.8))
    transport = FakeTransport()
    sent_at: list[float] = []
    transport.fail = lambda m: sent_at.append(time.monotonic())
    deliverer = Deliverer({"simulator": transport}, runtime.sessions, runtime.clock,
                          DeliveryConfig(leader_ttl_seconds=1, idle_seconds=0.02), worker="b")
    started = time.monotonic()
    stop = asyncio.Event()
    task = asyncio.create_task(deliverer.run(stop))
    while len(transport.accepted) < 3 and time.monotonic() - started < 10:
        await asyncio.sleep(0.02)
    stop.set()
    await task
    assert len(transport.accepted) == 3
    assert min(sent_at) - started >= 0.7


async def test_a_leader_that_loses_its_lease_stops_sending_at_once(runtime: Runtime) -> None:
    runtime.clock = SystemClock()
    await queue(runtime, 40)
    transport = FakeTransport()
    config = DeliveryConfig(rates={"simulator": 20}, leader_ttl_seconds=1, idle_seconds=0.02)
    deliverer = Deliverer({"simulator": transport}, runtime.sessions, runtime.clock, config,
                          worker="a")
    stop = asyncio.Event()
    task = asyncio.create_task(deliverer.run(stop))
    while len(transport.accepted) < 3:
        await asyncio.sleep(0.01)
    # another worker takes the channel (as if A's lease had lapsed): A must stop sending
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(Lease).where(Lease.name == "send:simulator").values(
            holder="b", expires_at=runtime.clock.now() + timedelta(seconds=60)))
    taken = time.monotonic()
    await asyncio.sleep(1.0)
    late = [m for m in transport.messages if m.outbox_id]  # all sends so far
    count_then = len(late)
    await asyncio.sleep(0.5)
    stop.set()
    await task
    assert len(transport.accepted) == count_then  # nothing after it noticed
    assert count_then < 40 and time.monotonic() - taken > 1.0
    assert deliverer.senders["simulator"].stats.lost_lease > 0


async def test_pacing_keeps_the_channel_cap_and_one_message_a_second_per_chat() -> None:
    pacer = Pacer(rate=100, per_chat=0.2)
    started = time.monotonic()
    await asyncio.gather(*(pacer.slot(f"chat-{n % 10}") for n in range(50)))
    elapsed = time.monotonic() - started
    assert elapsed >= 0.75  # 5 per chat, 0.2 s apart; 50 at 100/s
    one_chat: list[float] = []
    for _ in range(3):
        await pacer.slot("alone")
        one_chat.append(time.monotonic())
    assert min(b - a for a, b in zip(one_chat, one_chat[1:], strict=False)) >= 0.19


async def test_outside_the_whatsapp_window_tips_are_held_until_she_writes(
    runtime: Runtime,
) -> None:
    mother_id = await mother_with(runtime, channel="whatsapp", address="+6281200000001")
    await queue(runtime, 2, channel="whatsapp", address="+6281200000001", mother_id=mother_id)
    whatsapp = FakeTransport(channel="whatsapp")
    deliverer = Deliverer({"whatsapp": whatsapp}, runtime.sessions, runtime.clock,
                          DeliveryConfig(), worker="t")
    await deliverer.drain()
    assert (await statuses(runtime))["held"] == 2 and not whatsapp.messages
    assert deliverer.senders["whatsapp"].stats.held == 2
    moment = runtime.clock.now() + timedelta(hours=2)
    runtime.clock.set(moment)  # type: ignore[attr-defined]
    await runtime.handle(Inbound("whatsapp", "+6281200000001", "halo", "wa-1", moment))
    runtime.clock.advance(timedelta(seconds=10))  # type: ignore[attr-defined]
    await deliverer.drain()
    texts = [m.text for m in whatsapp.messages]
    assert "pesan 1" in texts and "pesan 0" not in texts  # only her latest held tip
    assert (await statuses(runtime))["cancelled"] == 1
    assert all(m.template_sid is None for m in whatsapp.messages)


async def test_outside_the_window_a_configured_template_carries_the_tip(runtime: Runtime) -> None:
    mother_id = await mother_with(runtime, channel="whatsapp", address="+6281200000002")
    await queue(runtime, 1, channel="whatsapp", address="+6281200000002", mother_id=mother_id)
    whatsapp = FakeTransport(channel="whatsapp")
    deliverer = Deliverer({"whatsapp": whatsapp}, runtime.sessions, runtime.clock,
                          DeliveryConfig(templates={"tip": "HX123"}), worker="t")
    await deliverer.drain()
    (message,) = whatsapp.messages
    assert message.template_sid == "HX123" and message.template_vars == {"1": "pesan 0"}


async def test_a_window_closed_error_holds_the_message(runtime: Runtime) -> None:
    await queue(runtime, 1, kind="reply")
    closed = FakeTransport(fail=lambda m: SendError("63016", code="63016", window_closed=True))
    deliverer = Deliverer({"simulator": closed}, runtime.sessions, runtime.clock,
                          DeliveryConfig(), worker="t")
    await deliverer.drain()
    assert (await statuses(runtime)) == Counter({"held": 1})


async def test_status_callbacks_never_move_a_row_backwards(runtime: Runtime) -> None:
    await queue(runtime, 2, kind="reply")
    transport = FakeTransport()
    await Deliverer({"simulator": transport}, runtime.sessions, runtime.clock, DeliveryConfig(),
                    worker="t").drain()
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        first, second = (await session.scalars(select(Outbox.id).order_by(Outbox.id))).all()
        assert await record_status(session, f"p-{first}", "delivered", None, now)
        assert await record_status(session, f"p-{first}", "read", None, now)
        assert not await record_status(session, f"p-{first}", "sent", None, now)
        assert not await record_status(session, f"p-{first}", "delivered", None, now)
        assert not await record_status(session, f"p-{first}", "undelivered", "30008", now)
        assert await record_status(session, f"p-{second}", "undelivered", "30008", now)
        assert not await record_status(session, f"p-{second}", "delivered", None, now)
        assert not await record_status(session, "p-unknown", "delivered", None, now)
    async with runtime.sessions() as session:
        rows = (await session.scalars(select(Outbox).order_by(Outbox.id))).all()
    assert [r.status for r in rows] == ["read", "undelivered"]
    assert rows[0].delivered_at is not None and rows[1].error_code == "30008"


async def test_messages_to_a_mother_who_stopped_are_cancelled_at_the_door(
    runtime: Runtime,
) -> None:
    mother_id = await mother_with(runtime)
    await queue(runtime, 2, mother_id=mother_id)
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(Mother).values(status="opted_out"))
    transport = FakeTransport()
    await Deliverer({"simulator": transport}, runtime.sessions, runtime.clock, DeliveryConfig(),
                    worker="t").drain()
    assert not transport.messages
    assert (await statuses(runtime)) == Counter({"cancelled": 2})


# --- staff alerts and the 24-hour window; templates; failure rules -------------------------


async def staff_on_whatsapp(runtime: Runtime, address: str = "+6281300000009") -> int:
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        staff = Staff(name="Bu Sari", role="cadre", lang="id", active=True, is_backup=False,
                      created_at=now)
        session.add(staff)
        await session.flush()
        session.add(Identity(channel="whatsapp", address=address, staff_id=staff.id,
                             created_at=now, last_inbound_at=None))  # window never opened
        return staff.id


async def alert_to(runtime: Runtime, staff_id: int, address: str = "+6281300000009") -> None:
    async with runtime.sessions() as session, session.begin():
        enqueue(session, channel="whatsapp", address=address, now=runtime.clock.now(),
                text="URGENT: Siti perdarahan", kind="alert", staff_id=staff_id)


async def test_a_staff_alert_outside_the_window_is_never_held(runtime: Runtime) -> None:
    staff_id = await staff_on_whatsapp(runtime)
    await alert_to(runtime, staff_id)
    whatsapp = FakeTransport(channel="whatsapp")
    await Deliverer({"whatsapp": whatsapp}, runtime.sessions, runtime.clock, DeliveryConfig(),
                    worker="t").drain()
    (message,) = whatsapp.messages  # no template configured: tried free-form, not held
    assert message.template_sid is None and "URGENT" in message.text
    assert (await statuses(runtime)) == Counter({"sent": 1})


async def test_a_staff_alert_goes_as_its_template_when_one_is_configured(
    runtime: Runtime,
) -> None:
    staff_id = await staff_on_whatsapp(runtime)
    await alert_to(runtime, staff_id)
    whatsapp = FakeTransport(channel="whatsapp")
    config = DeliveryConfig(templates={"alert": {"sid": "HXalert", "variables": ["name", "text"]}})
    await Deliverer({"whatsapp": whatsapp}, runtime.sessions, runtime.clock, config,
                    worker="t").drain()
    (message,) = whatsapp.messages
    assert message.template_sid == "HXalert"
    assert message.template_vars == {"1": "Bu Sari", "2": "URGENT: Siti perdarahan"}


async def test_a_refused_staff_alert_is_a_recorded_failure_not_a_held_message(
    runtime: Runtime,
) -> None:
    staff_id = await staff_on_whatsapp(runtime)
    await alert_to(runtime, staff_id)
    refused = FakeTransport(channel="whatsapp", fail=lambda m: SendError(
        "outside the 24-hour window", code="63016", window_closed=True))
    await Deliverer({"whatsapp": refused}, runtime.sessions, runtime.clock, DeliveryConfig(),
                    worker="t").drain()
    async with runtime.sessions() as session:
        row = (await session.scalars(select(Outbox))).one()
    assert row.status == "failed" and row.error_code == "63016" and "template" in (row.error or "")
    # the same refusal as a status callback after Twilio took it
    await alert_to(runtime, staff_id, address="+6281300000009")
    async with runtime.sessions() as session, session.begin():
        second = (await session.scalars(select(Outbox).where(Outbox.status == "pending"))).one()
        second.status, second.provider_msg_id = "sent", "SM-alert"
    async with runtime.sessions() as session, session.begin():
        assert await window_closed(session, "SM-alert", runtime.clock.now(),
                                   DeliveryConfig()) == "failed"
    assert (await statuses(runtime)) == Counter({"failed": 2})


async def test_a_template_takes_the_variables_it_names(runtime: Runtime) -> None:
    mother_id = await mother_with(runtime, channel="whatsapp", address="+6281200000003")
    await queue(runtime, 1, channel="whatsapp", address="+6281200000003", mother_id=mother_id)
    whatsapp = FakeTransport(channel="whatsapp")
    config = DeliveryConfig(templates={"tip": {"sid": "HXtip", "variables": ["name", "text"]}})
    await Deliverer({"whatsapp": whatsapp}, runtime.sessions, runtime.clock, config,
                    worker="t").drain()
    (message,) = whatsapp.messages
    assert message.template_sid == "HXtip"
    assert message.template_vars == {"1": "Siti", "2": "pesan 0"}


def test_twilio_templates_setting_takes_a_sid_or_a_sid_with_its_variables() -> None:
    from bot.settings import SettingsError, load_settings

    settings = load_settings(_env_file=None, twilio_templates={
        "tip": "HX1", "alert": {"sid": "HX2", "variables": ["name", "text"]}})
    config = DeliveryConfig.from_settings(settings)
    assert config.template("tip") == Template("HX1", ("text",))
    assert config.template("alert") == Template("HX2", ("name", "text"))
    assert config.template("reply") is None
    for bad in ({"tip": "nope"}, {"tip": {"sid": "HX3", "variables": ["phone"]}}):
        try:
            load_settings(_env_file=None, twilio_templates=bad)
        except SettingsError as exc:
            assert "TWILIO_TEMPLATES" in str(exc)
        else:
            raise AssertionError(f"accepted {bad}")


async def test_a_63016_callback_resends_a_templated_kind_as_its_template(
    runtime: Runtime,
) -> None:
    mother_id = await mother_with(runtime, channel="whatsapp", address="+6281200000004")
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(Identity).values(last_inbound_at=runtime.clock.now()))
    await queue(runtime, 1, channel="whatsapp", address="+6281200000004", mother_id=mother_id)
    whatsapp = FakeTransport(channel="whatsapp")
    config = DeliveryConfig(templates={"tip": "HXtip"})
    deliverer = Deliverer({"whatsapp": whatsapp}, runtime.sessions, runtime.clock, config,
                          worker="t")
    await deliverer.drain()
    (first,) = whatsapp.messages  # the window looked open: free-form
    assert first.template_sid is None
    async with runtime.sessions() as session, session.begin():
        assert await window_closed(session, f"p-{first.outbox_id}", runtime.clock.now(),
                                   config) == "resent"
    await deliverer.drain()
    assert [m.template_sid for m in whatsapp.messages] == [None, "HXtip"]
    # refused again even as a template: held, not resent for ever
    async with runtime.sessions() as session, session.begin():
        assert await window_closed(session, f"p-{first.outbox_id}", runtime.clock.now(),
                                   config) == "held"
    assert (await statuses(runtime)) == Counter({"held": 1})


async def test_a_permanent_code_in_a_status_callback_marks_her_unreachable(
    runtime: Runtime,
) -> None:
    mother_id = await mother_with(runtime)
    await queue(runtime, 2, kind="tip", mother_id=mother_id)
    await Deliverer({"simulator": FakeTransport()}, runtime.sessions, runtime.clock,
                    DeliveryConfig(), worker="t").drain()
    async with runtime.sessions() as session, session.begin():
        first, second = (await session.scalars(select(Outbox.id).order_by(Outbox.id))).all()
        assert await record_status(session, f"p-{first}", "undelivered", "30008",
                                   runtime.clock.now())
    async with runtime.sessions() as session:
        mother = await session.get(Mother, mother_id)
        assert mother is not None and not mother.unreachable  # 30008 unknown: maybe later
    for code in ("63024", "63003"):
        async with runtime.sessions() as session, session.begin():
            await session.execute(update(Mother).values(unreachable=False))
            await session.execute(update(Outbox).where(Outbox.id == second).values(status="sent"))
            assert await record_status(session, f"p-{second}", "failed", code,
                                       runtime.clock.now())
        async with runtime.sessions() as session:
            mother = await session.get(Mother, mother_id)
            assert mother is not None and mother.unreachable, code


async def test_a_delivery_between_bad_days_starts_the_count_again(runtime: Runtime) -> None:
    mother_id = await mother_with(runtime, cadre=True)
    bad = {"on": True}
    transport = FakeTransport(fail=lambda m: SendError("HTTP 503", code="503")
                              if bad["on"] and m.address == "sim:ibu" else None)
    config = DeliveryConfig(give_up_after=timedelta(0))  # a failure is final at once
    deliverer = Deliverer({"simulator": transport}, runtime.sessions, runtime.clock, config,
                          worker="t")

    async def day(fails: bool) -> None:
        bad["on"] = fails
        await queue(runtime, 1, mother_id=mother_id)
        runtime.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
        await deliverer.drain()
        runtime.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]

    for _ in range(4):
        await day(fails=True)
    await day(fails=False)  # she got one: scattered bad days do not add up
    for _ in range(4):
        await day(fails=True)
    async with runtime.sessions() as session:
        mother = await session.get(Mother, mother_id)
        assert mother is not None and mother.status == "active"
        assert len(mother.failure_days) == 4
    await day(fails=True)  # the fifth bad day in a row
    async with runtime.sessions() as session:
        mother = await session.get(Mother, mother_id)
        assert mother is not None and mother.status == "paused"


async def test_after_weeks_of_silence_only_her_latest_and_fresh_must_deliver_tips_are_released(
    runtime: Runtime,
) -> None:
    from flows.reminders import release_held

    address = "+6281200000005"
    mother_id = await mother_with(runtime, channel="whatsapp", address=address)
    now = runtime.clock.now()
    held = [  # (kind, dedupe key, days held)
        ("tip", f"tip:{mother_id}:preg_w20_welcome_asi", 30),  # past its window: closed
        ("tip", f"tip:{mother_id}:preg_w37_labour_danger", 20),  # must-deliver, stale (7 d)
        ("tip", f"tip:{mother_id}:preg_w21_danger_signs", 10),  # must-deliver, fresh (14 d)
        ("tip", f"tip:{mother_id}:preg_w22_eat_varied", 5),  # fresh, superseded: closed
        ("tip", f"tip:{mother_id}:preg_w23_husband", 2),  # her latest: released
        ("reminder", "birth_report:1", 12),  # a reminder held 12 days: closed
        ("checkin", "checkin:2", 3),  # a check-in held 3 days: released
        ("reply", None, 2),  # a reply to something she wrote 2 days ago: closed
        ("reply", None, 0.1),  # a fresh reply: released
    ]
    async with runtime.sessions() as session, session.begin():
        for n, (kind, key, days) in enumerate(held):
            session.add(Outbox(channel="whatsapp", address=address, mother_id=mother_id,
                               kind=kind, text=f"held {n}", choices=[], dedupe_key=key,
                               status="held", attempts=1, not_before=now,
                               created_at=now - timedelta(days=days)))
    async with runtime.sessions() as session, session.begin():
        identity = (await session.scalars(select(Identity).where(
            Identity.address == address))).one()
        assert await release_held(session, identity, now) == 4
    async with runtime.sessions() as session:
        rows = (await session.scalars(select(Outbox).order_by(Outbox.id))).all()
    assert [r.status for r in rows] == ["cancelled", "cancelled", "pending", "cancelled",
                                        "pending", "cancelled", "pending", "cancelled",
                                        "pending"]
    assert {r.error for r in rows if r.status == "cancelled"} == {
        "held, superseded by a later tip", "held past its stale window",
        "held longer than a week", "held reply older than a day"}


def test_backoff_delays_vary_and_stay_within_their_bounds() -> None:
    config = DeliveryConfig(backoff_base_seconds=2.0, backoff_max_seconds=600.0)
    for attempts in range(1, 15):
        ceiling = min(600.0, 2.0 * 2 ** (attempts - 1))
        delays = [config.backoff(attempts) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays), attempts
        assert len({round(d, 6) for d in delays}) > 150  # jittered, not one fixed delay
        assert max(delays) - min(delays) > ceiling / 4


async def test_a_row_held_after_a_63016_goes_free_form_once_she_writes(runtime: Runtime) -> None:
    from flows.reminders import release_held

    address = "+6281200000006"
    mother_id = await mother_with(runtime, channel="whatsapp", address=address)
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(Identity).values(last_inbound_at=runtime.clock.now()))
    await queue(runtime, 1, channel="whatsapp", address=address, mother_id=mother_id)
    refused = {"on": True}
    whatsapp = FakeTransport(channel="whatsapp", fail=lambda m: SendError(
        "63016", code="63016", window_closed=True) if refused["on"] else None)
    deliverer = Deliverer({"whatsapp": whatsapp}, runtime.sessions, runtime.clock,
                          DeliveryConfig(), worker="t")
    await deliverer.drain()
    assert (await statuses(runtime)) == Counter({"held": 1})
    refused["on"] = False
    runtime.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(Identity).values(last_inbound_at=runtime.clock.now()))
        identity = (await session.scalars(select(Identity).where(
            Identity.address == address))).one()
        assert await release_held(session, identity, runtime.clock.now()) == 1
    runtime.clock.advance(timedelta(seconds=10))  # type: ignore[attr-defined]
    await deliverer.drain()
    assert (await statuses(runtime)) == Counter({"sent": 1})
