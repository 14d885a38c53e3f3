"""Telegram's two ways in, started with the app and stopped with it.

* webhook: PUBLIC_BASE_URL is set. Every web worker runs a PTB Application built
  with `updater(None)` (initialised and started with the app's lifespan); the route
  checks the secret and feeds each update to `Application.process_update`. Every
  worker registers the same webhook (`set_webhook` with our secret token) and
  Telegram posts to any of them.
* polling: only TELEGRAM_BOT_TOKEN is set. One process runs PTB's Application
  with its Updater; no public URL is needed.

Both Applications carry the same handlers (`bot.telegram.receive.add_handlers`), so an
update takes one path into the engine whichever way it came.

Either way the conversation state is in our database, never in PTB: no
ConversationHandler, no persistence, no job queue. Start-up never blocks the app
on Telegram: registering retries in the background until it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import Application, ExtBot
from telegram.request import HTTPXRequest

from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.adapter import ALLOWED_UPDATES
from bot.telegram.receive import add_handlers
from bot.telegram.routes import webhook_secret, webhook_url

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


class WebhookBot(ExtBot[None]):
    """The webhook Application's bot: reading an update needs no getMe.

    `initialize()` opens the connections and asks getMe once; when Telegram cannot be
    reached (or refuses the token) the app starts anyway and takes webhook updates,
    because start-up never waits on Telegram. The registration task keeps retrying and
    says so in the log (by error type: PTB's InvalidToken text quotes the token).
    """

    async def initialize(self) -> None:
        """Connections first, then getMe, tolerated when it fails."""
        try:
            await asyncio.wait_for(super().initialize(), timeout=5)
        except (TelegramError, TimeoutError) as exc:
            log.warning("telegram getMe failed (%s); webhook updates are taken anyway",
                        type(exc).__name__)


def _knows_itself(application: Application) -> bool:  # type: ignore[type-arg]
    """True once getMe has answered (PTB's `bot.id` raises RuntimeError before)."""
    try:
        return bool(application.bot.id)
    except RuntimeError:
        return False


def build_webhook_application(runtime: Runtime) -> Application:  # type: ignore[type-arg]
    """PTB's Application for webhook mode: no Updater, the route feeds it updates."""
    settings = runtime.settings
    bot = WebhookBot(settings.telegram_bot_token, base_url=settings.telegram_api_base_url,
                     request=HTTPXRequest(connection_pool_size=4))
    application = Application.builder().bot(bot).updater(None).job_queue(None).build()
    add_handlers(application, runtime)
    return application


@contextlib.asynccontextmanager
async def webhook(runtime: Runtime, *, register: bool = True) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The webhook Application, started for as long as the app runs; with `register`, our
    webhook is registered with Telegram (in the background, retrying)."""
    settings = runtime.settings
    application = build_webhook_application(runtime)
    await application.initialize()  # never fails on Telegram: updates are taken from here on
    if _knows_itself(application):
        await application.start()

    async def registration() -> None:
        if not application.running:  # getMe failed at start-up: PTB's start() needs it
            await application.bot.get_me()
            await application.start()
        if not register:
            return
        await application.bot.set_my_commands(COMMANDS)
        await application.bot.set_webhook(
            url=webhook_url(settings), secret_token=webhook_secret(settings),
            allowed_updates=ALLOWED_UPDATES, max_connections=40)
        log.info("telegram webhook registered")

    task = (asyncio.create_task(_retrying("set_webhook", registration))
            if register or not application.running else None)
    try:
        yield application
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if application.running:
            await application.stop()
        await application.shutdown()


def build_application(runtime: Runtime) -> Application:  # type: ignore[type-arg]
    """PTB's Application for long polling, with the handlers the webhook uses too."""
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
    add_handlers(application, runtime)
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
async def running(runtime: Runtime, *, background: bool = True,
                  ) -> AsyncIterator[Application | None]:  # type: ignore[type-arg]
    """Telegram in the mode the settings choose; yields the Application the webhook route
    feeds (None when polling or not configured). Without `background` the webhook
    Application still runs (it serves requests) but nothing is registered or polled."""
    chosen = mode(runtime.settings)
    if chosen == "webhook":
        async with webhook(runtime, register=background) as application:
            yield application
    elif chosen == "polling" and background:
        async with polling(runtime):
            yield None
    else:
        yield None
