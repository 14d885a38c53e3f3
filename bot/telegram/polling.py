"""Telegram's two ways in, started with the app and stopped with it.

* webhook: PUBLIC_BASE_URL is set. Every web worker registers the same webhook
  (`set_webhook` with our secret token) and Telegram posts to any of them; no
  PTB Application runs (`updater(None)` in spirit: the route parses, records, answers).
* polling: only TELEGRAM_BOT_TOKEN is set. One process runs PTB's Application
  with its Updater; no public URL is needed.

Either way the conversation state is in our database, never in PTB: no
ConversationHandler, no persistence, no job queue. Start-up never blocks the app
on Telegram: registering retries in the background until it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.adapter import ALLOWED_UPDATES
from bot.telegram.receive import receive
from bot.telegram.routes import webhook_secret, webhook_url
from bot.telegram.transport import make_bot

log = logging.getLogger(__name__)

COMMANDS = [BotCommand("menu", "Menu"), BotCommand("help", "Bantuan / help"),
            BotCommand("stop", "Berhenti / stop")]


def mode(settings: Settings) -> str | None:
    """'webhook', 'polling', or None when Telegram is not configured."""
    if not settings.telegram_bot_token:
        return None
    return "webhook" if settings.public_base_url else "polling"


async def _retrying(what: str, attempt: object, first_delay: float = 1.0) -> None:
    """Await `attempt()` until it succeeds, backing off to a minute between tries."""
    delay = first_delay
    while True:
        try:
            await attempt()  # type: ignore[operator]
            return
        except TelegramError as exc:
            log.warning("telegram %s failed (%s); retrying in %.0f s", what,
                        type(exc).__name__, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 60.0)


@contextlib.asynccontextmanager
async def webhook(settings: Settings) -> AsyncIterator[None]:
    """Register our webhook with Telegram (in the background) for as long as the app runs."""
    bot = make_bot(settings, pool=2)

    async def register() -> None:
        await bot.set_webhook(url=webhook_url(settings), secret_token=webhook_secret(settings),
                              allowed_updates=ALLOWED_UPDATES, max_connections=40)
        await bot.set_my_commands(COMMANDS)
        log.info("telegram webhook registered")

    task = asyncio.create_task(_retrying("set_webhook", register))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await bot.shutdown()


def build_application(runtime: Runtime) -> Application:  # type: ignore[type-arg]
    """PTB's Application for long polling: one handler that hands every update to the engine."""
    settings = runtime.settings
    application = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .request(HTTPXRequest(connection_pool_size=4))
        .get_updates_request(HTTPXRequest(read_timeout=40))
        .job_queue(None)
        .build()
    )

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        parsed = await receive(runtime, update)
        if parsed.callback_query_id is not None:
            await context.bot.answer_callback_query(parsed.callback_query_id)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed (%s)", type(context.error).__name__)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return application


@contextlib.asynccontextmanager
async def polling(runtime: Runtime, *, poll_timeout: int = 30) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Long-poll Telegram for as long as the app runs (one process only)."""
    application = build_application(runtime)

    async def begin() -> None:
        await application.initialize()
        await application.bot.set_my_commands(COMMANDS)
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES,
                                                timeout=poll_timeout)
        await application.start()
        log.info("telegram polling started")

    task = asyncio.create_task(_retrying("start polling", begin))
    try:
        yield application
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


@contextlib.asynccontextmanager
async def running(runtime: Runtime) -> AsyncIterator[None]:
    """Telegram in the mode the settings choose (nothing when it is not configured)."""
    chosen = mode(runtime.settings)
    if chosen == "webhook":
        async with webhook(runtime.settings):
            yield
    elif chosen == "polling":
        async with polling(runtime):
            yield
    else:
        yield
