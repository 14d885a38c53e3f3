"""Webhook throughput and latency: signed WhatsApp and Telegram webhooks into the real app.

    python bench/webhooks.py                       # PostgreSQL (ASIBOT_BENCH_PG), 3,000 messages
    python bench/webhooks.py --sqlite --messages 1500 --concurrency 8

Starts three servers on 127.0.0.1, each one uvicorn worker in its own process:
* the asibot app (scheduler and Telegram polling off) on a fresh database with the
  demo puskesmas, taking correctly signed Twilio webhooks and Telegram updates;
* a bare Starlette endpoint that reads the same body and answers empty TwiML;
* asibot's adapters alone: the same app with the engine left out (routes, signature
  check, PTB Application), so the gap to the first line is the engine's transaction
  (bench/engine_floor.py breaks that down further).
Every message is a step of a mother's registration (DAFTAR MAWAR1, her yes, her name),
half on WhatsApp and half on Telegram, many mothers at once, each in order. A webhook
answers after the engine committed, so its latency is the latency to the reply's
outbox row; at the end the rows are counted to prove it. Prints messages per second,
p50/p99 for both servers and the ratio, and each server process's CPU time per message
(on a machine shared with the load and the database, the CPU a message costs the worker
is its ceiling). Loopback only; bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

PUBLIC = "https://asibot.example.org"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "b" * 32
TG_TOKEN = "123456:BENCH-token"
TG_SECRET = "bench-secret-token"
STEPS = ("DAFTAR MAWAR1", "1", "Siti")  # invite, consent, name: each answered by one row or two
PG = os.environ.get("ASIBOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the servers ---------------------------------------------------------------------------
def asibot_app() -> object:
    """The app under test (uvicorn --factory): webhooks on, background work off."""
    from bot.app import create_app

    return create_app(background=False)


def adapters_app() -> object:
    """asibot's own adapters with the engine left out: the same routes, PTB Application and
    Twilio signature check, answering as if the engine took no time (what they cost)."""
    from bot.app import create_app
    from bot.runtime import Runtime, build_runtime
    from bot.settings import get_settings
    from flows.types import HandleResult, Inbound

    class NoEngine(Runtime):
        async def handle(self, inbound: Inbound) -> HandleResult:
            return HandleResult(outbox_ids=[])

    real = build_runtime(get_settings())
    return create_app(runtime=NoEngine(real.settings, real.engine, real.sessions),
                      background=False)


def bare_app() -> object:
    """The same framework doing nothing: read the body, answer empty TwiML."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def endpoint(request: Request) -> Response:
        await request.body()
        return Response(
            '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', media_type="text/xml"
        )

    return Starlette(
        routes=[
            Route("/webhooks/twilio/whatsapp", endpoint, methods=["POST"]),
            Route("/webhooks/telegram", endpoint, methods=["POST"]),
            Route("/healthz", endpoint),
        ]
    )


def start(factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"bench.webhooks:{factory}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{factory} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{factory} did not start")


# --- the database --------------------------------------------------------------------------
async def _pg(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG, timeout=5)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def prepare_database(sqlite: bool, workdir: str) -> tuple[str, str | None]:
    """A migrated database with the demo puskesmas; returns its URL and a PG name to drop."""
    from db.migrate import upgrade

    if sqlite:
        url, name = f"sqlite+aiosqlite:///{workdir}/bench.db", None
    else:
        name = f"asibot_bench_{os.getpid()}"
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}"'))
        asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
        url = PG.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + "/" + name
    upgrade(url)

    async def demo() -> None:
        from bot.operators import load_demo_data
        from bot.runtime import build_runtime
        from bot.settings import load_settings

        runtime = build_runtime(load_settings(database_url=url, _env_file=None))
        try:
            async with runtime.sessions() as session, session.begin():
                await load_demo_data(session, runtime.clock.now(), "Puskesmas Bench")
        finally:
            await runtime.close()

    asyncio.run(demo())
    return url, name


async def count_replies(url: str) -> int:
    from sqlalchemy import func, select

    from bot.runtime import build_runtime
    from bot.settings import load_settings
    from db.models import Outbox

    runtime = build_runtime(load_settings(database_url=url, _env_file=None))
    try:
        async with runtime.sessions() as session:
            return int(
                await session.scalar(
                    select(func.count())
                    .select_from(Outbox)
                    .where(Outbox.channel.in_(("whatsapp", "telegram")))
                )
                or 0
            )
    finally:
        await runtime.close()


# --- the load ------------------------------------------------------------------------------
@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu: float = 0.0  # CPU seconds the server process spent during the run

    @property
    def cpu_ms(self) -> float:
        """The server's CPU per message: what one worker's ceiling is, on a shared machine."""
        return 1000 * self.server_cpu / len(self.latencies) if self.latencies else 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def whatsapp_request(mother: int, step: int, text: str) -> tuple[str, bytes, dict[str, str]]:
    path = "/webhooks/twilio/whatsapp"
    number = f"+62812{mother:08d}"
    params = {
        "MessageSid": f"SM{mother:016d}{step:016d}",
        "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{number}",
        "To": "whatsapp:+6281100000000",
        "Body": text,
        "NumMedia": "0",
        "ProfileName": "Ibu",
        "WaId": number.lstrip("+"),
    }
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + path, params)
    return (
        path,
        urlencode(params).encode(),
        {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )


def telegram_request(mother: int, step: int, text: str) -> tuple[str, bytes, dict[str, str]]:
    chat = 900_000_000 + mother
    update_id = mother * 10 + step
    user = {"id": chat, "is_bot": False, "first_name": "Ibu"}
    if step == 1:  # a press on the consent question's "Ya" button
        update: dict[str, object] = {
            "update_id": update_id,
            "callback_query": {
                "id": f"cb{update_id}",
                "from": user,
                "chat_instance": "b",
                "data": text,
                "message": {
                    "message_id": 1,
                    "date": 1_790_000_000,
                    "text": "?",
                    "chat": {"id": chat, "type": "private"},
                },
            },
        }
    else:  # typed: the deep link's /start, then her name
        message: dict[str, object] = {
            "message_id": update_id,
            "date": 1_790_000_000,
            "text": "/start MAWAR1" if step == 0 else text,
            "chat": {"id": chat, "type": "private"},
            "from": user,
        }
        if step == 0:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": 6}]
        update = {"update_id": update_id, "message": message}
    return (
        "/webhooks/telegram",
        json.dumps(update).encode(),
        {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "Content-Type": "application/json"},
    )


async def run_load(base: str, mothers: range, concurrency: int, deadline: float) -> Result:
    """Each mother sends her steps in order; `concurrency` mothers are in flight at once."""
    result = Result()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for mother in mothers:
        queue.put_nowait(mother)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            while time.monotonic() < deadline:
                try:
                    mother = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                build = whatsapp_request if mother % 2 == 0 else telegram_request
                for step, text in enumerate(STEPS):
                    path, body, headers = build(mother, step, text)
                    began = time.perf_counter()
                    async with http.post(base + path, data=body, headers=headers) as response:
                        await response.read()
                        status = response.status
                    result.latencies.append(time.perf_counter() - began)
                    result.statuses[status] = result.statuses.get(status, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - began
    return result


def cpu_seconds(process: subprocess.Popen[bytes]) -> float:
    """User and system CPU the process (a uvicorn server) has used so far."""
    times = psutil.Process(process.pid).cpu_times()
    return float(times.user + times.system)


def measured(process: subprocess.Popen[bytes], base: str, mothers: range, concurrency: int,
             max_seconds: float) -> Result:
    """One run against a server, with the server's own CPU time over the run."""
    before = cpu_seconds(process)
    result = asyncio.run(run_load(base, mothers, concurrency, time.monotonic() + max_seconds))
    result.server_cpu = cpu_seconds(process) - before
    return result


def report(name: str, result: Result) -> str:
    return (
        f"{name:<9}{len(result.latencies):>6} msgs  {result.rate:>8.0f} msg/s  "
        f"p50 {result.pct(0.50):6.1f} ms  p99 {result.pct(0.99):6.1f} ms  "
        f"server CPU {result.cpu_ms:5.2f} ms/msg  "
        f"statuses {dict(sorted(result.statuses.items()))}"
    )


def server_stack() -> str:
    """What uvicorn runs on when left to choose (the same for both servers)."""
    from importlib.util import find_spec

    loop = "uvloop" if find_spec("uvloop") else "asyncio"
    http = "httptools" if find_spec("httptools") else "h11"
    return f"uvicorn on {loop} + {http}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000, help="messages per server")
    parser.add_argument("--concurrency", type=int, default=8, help="mothers in flight")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--max-seconds", type=float, default=120, help="stop each run after")
    args = parser.parse_args()
    mothers = max(2, args.messages // len(STEPS))

    with tempfile.TemporaryDirectory() as workdir:
        url, pg_name = prepare_database(args.sqlite, workdir)
        env = {
            "DATABASE_URL": url,
            "PUBLIC_BASE_URL": PUBLIC,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TELEGRAM_BOT_TOKEN": TG_TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
            "SCHEDULER_ENABLED": "false",
            "SIMULATOR_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        app_port, bare_port, adapters_port = free_port(), free_port(), free_port()
        servers = [start("asibot_app", app_port, env), start("bare_app", bare_port, env),
                   start("adapters_app", adapters_port, env)]
        try:
            # warm both (connections, caches, the engine's first queries)
            asyncio.run(
                run_load(
                    f"http://127.0.0.1:{app_port}",
                    range(10**6, 10**6 + 20),
                    4,
                    time.monotonic() + 30,
                )
            )
            for port in (bare_port, adapters_port):
                asyncio.run(
                    run_load(f"http://127.0.0.1:{port}", range(20), 4, time.monotonic() + 30)
                )
            warm_rows = asyncio.run(count_replies(url))
            bare = measured(servers[1], f"http://127.0.0.1:{bare_port}", range(mothers),
                            args.concurrency, args.max_seconds)
            adapters = measured(servers[2], f"http://127.0.0.1:{adapters_port}",
                                range(mothers), args.concurrency, args.max_seconds)
            app = measured(servers[0], f"http://127.0.0.1:{app_port}", range(mothers),
                           args.concurrency, args.max_seconds)
            rows = asyncio.run(count_replies(url))
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=15)
            if pg_name:
                asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
    database = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"webhooks on {database}, 1 worker each ({server_stack()}), "
        f"concurrency {args.concurrency}, {os.cpu_count()} cores"
    )
    print(report("bare", bare))
    print(report("adapters", adapters))
    print(report("asibot", app))
    print(
        f"ratio    asibot/bare throughput {app.rate / bare.rate:.2f}; "
        f"{rows - warm_rows} reply rows in the outbox for {len(app.latencies)} messages"
    )


if __name__ == "__main__":
    main()
