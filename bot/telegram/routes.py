"""Telegram's webhook on our own server: check the secret, read the Update, hand it to
the PTB Application (built with `updater(None)`, see bot/telegram/polling.py), answer.

The answer waits for the handler, so the reply's outbox row exists when Telegram hears
200. A button press is acknowledged in the webhook's own answer (Telegram runs the
method we return), so the spinner stops without another request. Anything Telegram
sends that we do not act on is answered 200 (and logged), so it is not retried; a
failure in the engine is answered 500, so Telegram tries again later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update

from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.receive import process
from bot.webhooks import BodyTooLarge, bad_request, forbidden, read_body, too_large

log = logging.getLogger(__name__)

PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_secret(settings: Settings) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the token (the same in every worker)."""
    if settings.telegram_webhook_secret:
        return settings.telegram_webhook_secret
    digest = hashlib.sha256(b"asibot-webhook:" + settings.telegram_bot_token.encode())
    return digest.hexdigest()[:48]


def webhook_url(settings: Settings) -> str:
    """Where Telegram posts updates: PUBLIC_BASE_URL + the webhook path."""
    return settings.public_base_url + PATH


async def telegram_webhook(request: Request) -> Response:
    """POST /webhooks/telegram."""
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    application = getattr(request.app.state, "telegram", None)
    given = request.headers.get(SECRET_HEADER, "").encode()
    if not hmac.compare_digest(given, webhook_secret(settings).encode()):
        log.warning("telegram webhook refused: wrong or missing secret token")
        return forbidden()
    try:
        body = await read_body(request, settings.max_body_bytes)
    except BodyTooLarge:
        log.warning("telegram webhook refused: body over %d bytes", settings.max_body_bytes)
        return too_large()
    try:
        data = json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        log.warning("telegram webhook refused: body is not JSON")
        return bad_request("body must be a JSON Telegram Update")
    if not isinstance(data, dict) or "update_id" not in data:
        log.warning("telegram webhook refused: not an Update")
        return bad_request("body must be a JSON Telegram Update")
    if application is None:  # the lifespan has not started it (or it is shutting down)
        log.warning("telegram webhook refused: the Telegram application is not running")
        return PlainTextResponse("not ready", status_code=503)
    try:
        update = Update.de_json(data, application.bot)
    except Exception as exc:  # noqa: BLE001  (any shape PTB cannot read: answered, not retried)
        log.warning("telegram update unreadable (%s); ignored", type(exc).__name__)
        return Response(status_code=200)
    outcome = await process(application, update)
    if outcome.failed is not None:  # logged by type in the error handler; Telegram retries
        return PlainTextResponse("internal error", status_code=500)
    parsed = outcome.parsed
    if parsed is not None and parsed.callback_query_id is not None:
        return JSONResponse({"method": "answerCallbackQuery",
                             "callback_query_id": parsed.callback_query_id})
    return Response(status_code=200)


def routes(settings: Settings) -> list[BaseRoute]:
    """The webhook route, when a bot token is configured."""
    if not settings.telegram_bot_token:
        return []
    return [Route(PATH, telegram_webhook, methods=["POST"])]
