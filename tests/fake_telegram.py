"""A fake Telegram Bot API on 127.0.0.1, enough for python-telegram-bot to talk to.

Speaks getMe, getUpdates (long poll), sendMessage, answerCallbackQuery, setWebhook,
deleteWebhook, setMyCommands; answers 429 with retry_after or 403 (blocked) for the
chats told to. `deliver()` hands an update to the bot as Telegram would: POSTed to the
registered webhook with its secret token, or queued for getUpdates.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.runtime import Runtime
from scheduler.delivery import Deliverer, DeliveryConfig
from scheduler.transport import Transport

TOKEN = "123456:TEST-token-abcdefghijklmnop"
BOT = {"id": 123456, "is_bot": True, "first_name": "Sahabat ASI", "username": "sahabat_asi_bot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}
# parameters PTB sends JSON-encoded (strings it sends as they are)
_JSON_PARAMS = {"chat_id", "reply_markup", "allowed_updates", "offset", "limit", "timeout",
                "commands", "max_connections", "drop_pending_updates", "show_alert"}


def bound_socket() -> socket.socket:
    """A socket bound to a free 127.0.0.1 port (so a URL can be known before serving)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.asynccontextmanager
async def serving(app: Any, sock: socket.socket | None = None,
                  lifespan: Literal["auto", "on", "off"] = "off") -> AsyncIterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1 in this loop; yields its base URL."""
    sock = sock or bound_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan=lifespan,
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def deliverer(runtime: Runtime, transports: Mapping[str, Transport]) -> Deliverer:
    """The real delivery loop (scheduler.delivery) over these senders, as `asibot serve` runs
    it: leases, the WhatsApp 24-hour window and templates from the settings, retries with
    backoff, pacing. Only the per-chat gap is shortened (Telegram's second a chat would make
    every conversation here take seconds); `await deliverer(...).drain()` sends what is due."""
    base = DeliveryConfig.from_settings(runtime.settings)
    config = dataclasses.replace(base, per_chat_seconds={"telegram": 0.01}, idle_seconds=0.05)
    return Deliverer(transports, runtime.sessions, runtime.clock, config, worker="test-worker")


def user(chat_id: int, name: str = "Siti") -> dict[str, Any]:
    """A Telegram user (her private chat has the same id)."""
    return {"id": chat_id, "is_bot": False, "first_name": name, "language_code": "id"}


def private_chat(chat_id: int) -> dict[str, Any]:
    """Her private chat with the bot."""
    return {"id": chat_id, "type": "private", "first_name": "Siti"}


@dataclass
class FakeTelegram:
    """The fake server's state: what the bot sent, and what it will be told."""

    base_url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    webhook: dict[str, Any] = field(default_factory=dict)
    commands: list[Any] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    # chat id -> how many sendMessage calls to refuse with 429 first, and the retry_after
    flood: dict[int, tuple[int, int]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))  # type: ignore[type-arg]
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)

    # --- what tests do -----------------------------------------------------------------
    def message_update(self, chat_id: int, text: str | None = None,
                       **content: Any) -> dict[str, Any]:
        """An update carrying a message from her private chat (text, or photo=..., etc.)."""
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": 1_790_000_000,
                                   "chat": content.pop("chat", private_chat(chat_id)),
                                   "from": user(chat_id)}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(text.split()[0])}]
        message.update(content)
        return {"update_id": next(self._ids), "message": message}

    def press_update(self, chat_id: int, data: str) -> dict[str, Any]:
        """An update for a press on an inline button under one of our messages."""
        shown = {"message_id": next(self._message_ids), "date": 1_790_000_000,
                 "chat": private_chat(chat_id), "from": BOT, "text": "..."}
        return {"update_id": next(self._ids),
                "callback_query": {"id": f"cbq-{next(self._ids)}", "from": user(chat_id),
                                   "chat_instance": "ci-1", "message": shown, "data": data}}

    async def deliver(self, update: dict[str, Any]) -> httpx.Response | None:
        """Hand an update to the bot: POST to its webhook, or queue it for getUpdates."""
        if not self.webhook.get("url"):
            self.updates.append(update)
            self._new_update.set()
            return None
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.post(self.webhook["url"], json=update, headers=headers)
        if response.status_code == 200 and response.content:
            self._run_reply_method(response.json())
        return response

    def texts_to(self, chat_id: int) -> list[str]:
        """Every text sent to a chat, in order."""
        return [m["text"] for m in self.sent if m["chat_id"] == chat_id]

    def _run_reply_method(self, body: dict[str, Any]) -> None:
        if body.get("method") == "answerCallbackQuery":
            self.answered.append(str(body["callback_query_id"]))

    # --- the Bot API -----------------------------------------------------------------
    async def endpoint(self, request: Request) -> Response:
        """POST /bot<token>/<method>."""
        if request.path_params["token"] != TOKEN:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        self.calls.append(method)
        params = await _params(request)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result: Response = await handler(params)
        return result

    async def _api_getMe(self, params: dict[str, Any]) -> Response:  # noqa: N802
        return _ok(BOT)

    async def _api_getUpdates(self, params: dict[str, Any]) -> Response:  # noqa: N802
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 1.0)
        pending = [u for u in self.updates if u["update_id"] >= offset]
        if not pending and wait > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), wait)
            pending = [u for u in self.updates if u["update_id"] >= offset]
        self.updates = pending  # confirmed ones are forgotten, as Telegram does
        return _ok(pending)

    async def _api_sendMessage(self, params: dict[str, Any]) -> Response:  # noqa: N802
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if self.flood.get(chat_id, (0, 0))[0] > 0:
            left, seconds = self.flood[chat_id]
            self.flood[chat_id] = (left - 1, seconds)
            return _error(429, f"Too Many Requests: retry after {seconds}",
                          {"retry_after": seconds})
        if not params.get("text"):
            return _error(400, "Bad Request: message text is empty")
        if len(params["text"]) > 4096:
            return _error(400, "Bad Request: message is too long")
        message_id = next(self._message_ids)
        self.sent.append({"chat_id": chat_id, "text": params["text"],
                          "reply_markup": params.get("reply_markup"), "message_id": message_id})
        return _ok({"message_id": message_id, "date": 1_790_000_000,
                    "chat": private_chat(chat_id), "from": BOT, "text": params["text"]})

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Response:  # noqa: N802
        self.answered.append(str(params["callback_query_id"]))
        return _ok(True)

    async def _api_setWebhook(self, params: dict[str, Any]) -> Response:  # noqa: N802
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token"),
                        "allowed_updates": params.get("allowed_updates")}
        return _ok(True)

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Response:  # noqa: N802
        self.webhook = {}
        return _ok(True)

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Response:  # noqa: N802
        self.commands = list(params.get("commands") or [])
        return _ok(True)

    def app(self) -> Starlette:
        """The fake as an ASGI app."""
        return Starlette(routes=[Route("/bot{token}/{method}", self.endpoint,
                                       methods=["GET", "POST"])])


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return dict(json.loads(body)) if body else {}
    form = await request.form()
    params: dict[str, Any] = {}
    for key, value in form.items():
        text = value if isinstance(value, str) else ""
        params[key] = json.loads(text) if key in _JSON_PARAMS else text
    return params


def _ok(result: Any) -> Response:
    return JSONResponse({"ok": True, "result": result})


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


@contextlib.asynccontextmanager
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A running fake; point TELEGRAM_API_BASE_URL at `fake.base_url + "/bot"`."""
    fake = FakeTelegram()
    async with serving(fake.app()) as url:
        fake.base_url = url
        yield fake
