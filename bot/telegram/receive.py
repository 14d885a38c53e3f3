"""One update, from the webhook or from polling, through the engine: PTB's handlers.

Both modes run a PTB `Application` with the same handlers (`add_handlers`): polling
through its Updater, the webhook through `Application.process_update` on our own
server (built with `updater(None)`). The handler runs the engine and returns after
its transaction committed, so a webhook answered 200 has its replies in the outbox.

A button press is acknowledged: when polling with `answerCallbackQuery`; in the
webhook, Telegram runs the method we put in our answer (no extra request), so the
webhook route learns what the handler did through `Outcome`.
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.runtime import Runtime
from bot.telegram.adapter import Parsed, parse
from bot.webhooks import messages_of

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What the handler did with a webhook's update (the route answers from it)."""

    parsed: Parsed | None = None
    failed: str | None = None  # the exception's type name: the engine did not commit


_OUTCOME: contextvars.ContextVar[Outcome | None] = contextvars.ContextVar(
    "telegram_webhook_outcome", default=None)


def update_kind(update: Update) -> str:
    """Which kind of update this is ('message', 'poll', ...): names only, never content."""
    kinds = [key for key in update.to_dict() if key != "update_id"]
    return ",".join(sorted(kinds))[:80] or "empty"


async def receive(runtime: Runtime, update: Update) -> Parsed:
    """Run what an update means through the engine; replies wait in the outbox."""
    parsed = parse(update, runtime.clock.now(), runtime.settings.telegram_bot_token.encode())
    if parsed.inbound is None:
        log.info("telegram update ignored (%s)", update_kind(update),
                 extra={"update_id": update.update_id})
        return parsed
    for inbound in messages_of(parsed.inbound):  # a captioned photo: the words, then the photo
        result = await runtime.handle(inbound)
        log.info("telegram message handled", extra={"duplicate": result.duplicate,
                                                     "replies": len(result.outbox_ids)})
    return parsed


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any],
                 runtime: Runtime) -> None:
    """The handlers both modes share: every update to the engine, errors logged by type."""

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        outcome = _OUTCOME.get()
        try:
            parsed = await receive(runtime, update)
        except Exception as exc:
            if outcome is not None:
                outcome.failed = type(exc).__name__
            raise
        if outcome is not None:
            outcome.parsed = parsed  # the webhook acknowledges a press in its answer
        elif parsed.callback_query_id is not None:
            await context.bot.answer_callback_query(parsed.callback_query_id)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # by type only: an exception's text may carry her words or her chat
        log.error("telegram update failed (%s)", type(context.error).__name__)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)


async def process(application: Application[Any, Any, Any, Any, Any, Any],
                  update: Update) -> Outcome:
    """Feed one webhook update to the Application and wait until its handler is done."""
    outcome = Outcome()
    token = _OUTCOME.set(outcome)
    try:
        await application.process_update(update)
    finally:
        _OUTCOME.reset(token)
    return outcome
