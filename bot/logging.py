"""Logging set up once: vendor loggers held at WARNING, tracebacks without exception texts.

PTB's httpx INFO lines carry the bot token in the URL, its `telegram.Bot` DEBUG lines
every call's chat id and text, and twilio's http_client logs phone numbers and bodies:
none of that may reach a log file. Nor may an exception's own text: SQLAlchemy's quotes
the statement's bound values, PostgreSQL's DETAIL the duplicate key or the whole failing
row, a driver's DataError the value it refused. So a traceback says where it happened
and what kind of error it was (with the schema names a database error carries), never
its message.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

# parents first; the children are named too, in case something set them lower before us
QUIET = (
    "httpx", "httpcore", "twilio", "twilio.http_client", "twilio.async_http_client",
    "telegram", "telegram.Bot", "telegram.ext", "apscheduler.executors.default", "aiosqlite",
)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# what a database error says about the schema (never about a row): asyncpg's and sqlite3's
_SCHEMA_FACTS = ("sqlstate", "sqlite_errorname", "table_name", "column_name", "constraint_name")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | \
    tuple[None, None, None]


def describe(exc: BaseException) -> str:
    """An exception's type and schema facts, without its message."""
    kind = type(exc)
    facts = [f"{name}={value}" for name in _SCHEMA_FACTS
             if isinstance(value := getattr(exc, name, None), str) and value]
    return f"{kind.__module__}.{kind.__qualname__} [message withheld" + \
        ("; " + " ".join(facts) if facts else "") + "]"


class WithheldMessages(logging.Formatter):
    """A formatter whose tracebacks name each exception's type, never its text."""

    def format(self, record: logging.LogRecord) -> str:
        """Format the record, making its traceback here (another handler's copy may quote)."""
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802  (logging's name)
        """Every exception of the chain, oldest first: its frames and its type."""
        chain: list[BaseException] = []
        exc = ei[1]
        while exc is not None and all(exc is not seen for seen in chain):
            chain.append(exc)
            exc = exc.__cause__ if exc.__cause__ is not None else (
                None if exc.__suppress_context__ else exc.__context__)
        parts: list[str] = []
        for index, item in enumerate(reversed(chain)):
            if index:
                parts.append("\nwhich led to:\n\n")
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(item.__traceback__))
            parts.append(describe(item) + "\n")
        return "".join(parts).rstrip("\n")


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger and silence the loggers that leak personal data."""
    handler = logging.StreamHandler()
    handler.setFormatter(WithheldMessages(FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler])
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
