"""One update, from the webhook or from polling, through the engine."""

from __future__ import annotations

import logging

from telegram import Update

from bot.runtime import Runtime
from bot.telegram.adapter import Parsed, parse

log = logging.getLogger(__name__)


async def receive(runtime: Runtime, update: Update) -> Parsed:
    """Run what an update means through the engine; replies wait in the outbox."""
    parsed = parse(update, runtime.clock.now())
    if parsed.inbound is None:
        log.debug("telegram update ignored", extra={"update_id": update.update_id})
        return parsed
    result = await runtime.handle(parsed.inbound)
    log.info("telegram message handled", extra={"duplicate": result.duplicate,
                                                 "replies": len(result.outbox_ids)})
    return parsed
