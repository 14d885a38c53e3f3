"""A local fake message provider (HTTP) and a worker process that sends to it.

`FakeProvider` runs in a thread of the test process and counts every send it accepts
per outbox id, with no deduplication (Telegram and Twilio take no idempotency key,
so neither does it): a repeat is counted as the second message it would be on a
phone. It records when each send arrived and from which worker, and can answer one
send with a 429 and a Retry-After (`throttle`). `python -m tests.fake_provider` runs
an `asibot worker`-like process (heartbeat off, delivery on) whose transports post
to the fake provider, except "whatsapp": the real twilio transport
(bot.whatsapp.transport), pointed by TWILIO_API_BASE_URL at a fake Twilio
(tests.fake_twilio.FakeTwilioServer) and paced at WHATSAPP_RATE_PER_SECOND, as a
deployment is.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections import Counter
from typing import Any

import aiohttp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from scheduler.transport import OutgoingMessage, SendError
from tests.serving import ServedOnAThread


class FakeProvider(ServedOnAThread):
    """Accepts messages over HTTP; counts them per outbox id."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted: Counter[int] = Counter()
        self.arrivals: list[tuple[float, int, str]] = []  # (monotonic, outbox id, worker)
        self.throttled: list[tuple[float, float]] = []  # (monotonic, retry-after seconds)
        self._throttle: tuple[int, float] | None = None
        self.lock = threading.Lock()
        self.serve(Starlette(routes=[Route("/messages", self.receive, methods=["POST"])]))

    def throttle(self, after: int, retry_after: float) -> None:
        """Answer the first send after `after` accepted ones with 429 and this Retry-After."""
        self._throttle = (after, retry_after)

    @property
    def total(self) -> int:
        """Every send accepted, repeats included."""
        return sum(self.accepted.values())

    async def receive(self, request: Request) -> JSONResponse:
        body = await request.json()
        key = int(body["outbox_id"])
        worker = request.headers.get("x-worker", "")
        with self.lock:
            now = time.monotonic()
            if self._throttle is not None and len(self.arrivals) >= self._throttle[0]:
                retry_after = self._throttle[1]
                self._throttle = None
                self.throttled.append((now, retry_after))
                return JSONResponse({"error": "slow down"}, status_code=429,
                                    headers={"Retry-After": f"{retry_after:g}"})
            self.accepted[key] += 1
            self.arrivals.append((now, key, worker))
        return JSONResponse({"id": f"fake-{key}-{self.accepted[key]}"})



class HttpTransport:
    """A transport that posts to the fake provider, as the real ones do: no idempotency key."""

    def __init__(self, channel: str, url: str, worker: str = "") -> None:
        self.channel = channel
        self.url = url
        self.worker = worker
        self.client: aiohttp.ClientSession | None = None

    async def send(self, message: OutgoingMessage) -> str | None:
        if self.client is None:
            self.client = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        try:
            async with self.client.post(
                f"{self.url}/messages", headers={"X-Worker": self.worker},
                json={"outbox_id": message.outbox_id, "to": message.address,
                      "text": message.text}) as response:
                if response.status == 429:
                    after = response.headers.get("Retry-After")
                    raise SendError("HTTP 429", code="429",
                                    retry_after=float(after) if after else None)
                if response.status >= 500:
                    raise SendError(f"HTTP {response.status}", code=str(response.status))
                return str((await response.json())["id"])
        except aiohttp.ClientError as exc:
            raise SendError(f"transport error: {exc}", code="network") from exc

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


async def _worker() -> None:
    from bot.runtime import build_runtime  # noqa: PLC0415
    from bot.settings import load_settings  # noqa: PLC0415
    from bot.whatsapp.transport import WhatsAppTransport  # noqa: PLC0415
    from scheduler import jobs  # noqa: PLC0415
    from scheduler.delivery import DeliveryConfig  # noqa: PLC0415

    url = os.environ.get("FAKE_PROVIDER_URL", "")
    settings = load_settings(_env_file=None)
    runtime = build_runtime(settings)
    channels = os.environ.get("FAKE_CHANNELS", "simulator").split(",")
    rate = float(os.environ.get("RATE", "0"))
    rates = {name: rate for name in channels} if rate else {}
    if "whatsapp" in channels:
        rates["whatsapp"] = settings.whatsapp_rate_per_second
    config = DeliveryConfig(lease_seconds=float(os.environ.get("LEASE_SECONDS", "4")),
                            leader_ttl_seconds=float(os.environ.get("LEADER_TTL", "2")),
                            rates=rates, concurrency=int(os.environ.get("CONCURRENCY", "64")),
                            idle_seconds=0.1, batch=200)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    transports: dict[str, Any] = {
        name: WhatsAppTransport(settings) if name == "whatsapp"
        else HttpTransport(name, url, os.environ["WORKER_ID"]) for name in channels}
    async with jobs.running(runtime, plan=False, transports=transports,
                            worker=os.environ["WORKER_ID"], config=config):
        print("ready", flush=True)
        await stop.wait()
    await runtime.close()


if __name__ == "__main__":
    asyncio.run(_worker())
