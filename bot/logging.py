"""Logging set up once, with the noisy vendor loggers held at WARNING.

PTB's httpx INFO lines carry the bot token in the URL, and twilio's http_client
logs phone numbers and bodies: none of that may reach a log file.
"""

from __future__ import annotations

import logging

QUIET = (
    "httpx", "httpcore", "twilio.http_client", "twilio.async_http_client", "telegram.ext",
    "apscheduler.executors.default", "aiosqlite",
)


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger and silence the loggers that leak personal data."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
