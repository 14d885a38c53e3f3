"""Sending one outbox row to WhatsApp through twilio's async client.

The client and its aiohttp session are made inside the running loop on first use and
closed on shutdown. TWILIO_API_BASE_URL sets where it connects (`client.api.base_url`).
Twilio's errors become SendError: 63016 (outside the 24-hour window) holds the row for
a template or her next message, 63024 (not a WhatsApp number) fails it, 429/20429 and
5xx are tried again later by the delivery loop, which owns the backoff. One outbox row
is one Twilio message (a text too long is shortened, see render), so its MessageSid is
the row's and a retry never repeats part of what she already has.

Twilio takes no idempotency key, so a row whose send may have reached Twilio (its
worker died mid-send, or the send timed out) is looked up before it goes again
(`find_sent`): Twilio's Messages list, filtered by her number, our sender and the date
sent, matched on the body we would send (or, for a template, on its variables, since
Twilio's list does not echo the ContentSid) and on being created after the first
uncertain attempt began. What this cannot see: a message Twilio accepted but has not
yet dequeued (no date sent yet) when it is asked, and one sent in the other form (free
text once, template now) because the window opened or shut in between; both need a
worker to die in that very moment, and then she may get the message twice.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.settings import Settings
from bot.whatsapp.render import TooLong, render
from bot.whatsapp.routes import PREFIX, STATUS_PATH
from scheduler.transport import OutgoingMessage, SendError

log = logging.getLogger(__name__)

# twilio's HTTP clients log every number and body at INFO; they never go above WARNING here
VENDOR_LOGGERS = ("twilio.http_client", "twilio.async_http_client")
WINDOW_CLOSED = 63016
NOT_WHATSAPP = 63024
TOO_MANY = (429, 20429)
AUTH_FAILED = (20003, 20005)
# Twilio's statuses for a message that never reached her: a match in one of these is
# not "already sent"
NOT_DELIVERED = frozenset({"failed", "undelivered", "canceled"})
# at most this many of her messages since the attempt are read (pages of 50): more than
# we ever send one person in the minutes a takeover takes
LOOKUP_LIMIT = 200


def quiet_vendor_loggers() -> None:
    """Hold twilio's request/response loggers at WARNING."""
    for name in VENDOR_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def send_error(exc: TwilioRestException) -> SendError:
    """Twilio's refusal as a domain state; the message quotes no number and no text."""
    code = exc.code
    label = str(code or exc.status)
    if code == WINDOW_CLOSED:
        return SendError("outside the 24-hour window", window_closed=True, code=label)
    if code == NOT_WHATSAPP:
        return SendError("not a WhatsApp number", permanent=True, code=label)
    if exc.status == 429 or code in TOO_MANY:
        return SendError("twilio rate limit", code=label)
    if exc.status == 401 or code in AUTH_FAILED:
        return SendError("twilio rejected our credentials", retry_after=300, code=label)
    if exc.status >= 500:
        return SendError(f"twilio error {exc.status}", code=label)
    return SendError(f"twilio refused the message ({label})", permanent=True, code=label)


def whatsapp_address(number: str) -> str:
    """'+62812...' as Twilio's WhatsApp address."""
    number = number.strip()
    return number if number.startswith(PREFIX) else PREFIX + number


class WhatsAppTransport:
    """The WhatsApp sender: `send()` returns Twilio's MessageSid or raises SendError."""

    channel = "whatsapp"

    def __init__(self, settings: Settings, *, timeout: float = 15.0) -> None:
        self.settings = settings
        self.timeout = timeout
        self.sender = whatsapp_address(settings.twilio_whatsapp_from)
        self.status_callback = (settings.public_base_url + STATUS_PATH
                                if settings.public_base_url else None)
        self._http: AsyncTwilioHttpClient | None = None
        self._client: Client | None = None
        quiet_vendor_loggers()

    def client(self) -> Client:
        """The twilio client, made inside the running loop on first use."""
        if self._client is None:
            self._http = AsyncTwilioHttpClient(timeout=self.timeout,
                                               logger=logging.getLogger("twilio.http_client"))
            client = Client(self.settings.twilio_account_sid, self.settings.twilio_auth_token,
                            http_client=self._http)
            client.api.base_url = self.settings.twilio_api_base_url.rstrip("/")
            self._client = client
        return self._client

    async def send(self, message: OutgoingMessage) -> str | None:
        """Send the row as text with numbered choices, or as its Content API template."""
        extra: dict[str, str] = {}
        if self.status_callback:
            extra["status_callback"] = self.status_callback
        if message.template_sid:
            extra["content_sid"] = message.template_sid
            extra["content_variables"] = json.dumps(message.template_vars or {},
                                                    ensure_ascii=False)
        else:
            try:  # one row, one Twilio message: too long a text is shortened (see render)
                extra["body"] = render(message.text, list(message.choices or []))
            except TooLong:
                raise SendError("choices too long for WhatsApp", permanent=True,
                                code="too_long") from None
        try:
            created = await self.client().messages.create_async(
                to=whatsapp_address(message.address), from_=self.sender, **extra)
        except TwilioRestException as exc:
            error = send_error(exc)
            log.warning("whatsapp send failed", extra={"outbox_id": message.outbox_id,
                                                        "code": error.code})
            raise error from None
        except (TimeoutError, aiohttp.ClientError, TwilioException) as exc:
            log.warning("whatsapp send failed (%s)", type(exc).__name__,
                        extra={"outbox_id": message.outbox_id})
            raise SendError("twilio unreachable", code="network") from None
        sid: str | None = created.sid
        return sid

    async def find_sent(self, message: OutgoingMessage, since: datetime) -> list[str]:
        """Twilio's sids for this message sent to her from our number since `since`.

        Newest first. Raises SendError when Twilio cannot be asked (the caller waits
        and asks again rather than send a second copy).
        """
        body: str | None = None
        if not message.template_sid:
            try:
                body = render(message.text, list(message.choices or []))
            except TooLong:
                return []  # such a row is never sent (see send)
        variables = [v for v in (message.template_vars or {}).values() if v]
        since = since.astimezone(UTC)
        try:
            # DateSent> is documented by the day (on or after that midnight, GMT): the
            # moment itself is checked here, on date_created
            records = await self.client().messages.list_async(
                to=whatsapp_address(message.address), from_=self.sender,
                date_sent_after=since, limit=LOOKUP_LIMIT, page_size=50)
        except TwilioRestException as exc:
            log.warning("whatsapp look-up failed", extra={"outbox_id": message.outbox_id,
                                                           "code": exc.code or exc.status})
            raise SendError(f"twilio look-up failed ({exc.code or exc.status})",
                            code=str(exc.code or exc.status)) from None
        except (TimeoutError, aiohttp.ClientError, TwilioException) as exc:
            # a non-200 page is a bare TwilioException (twilio.base.page)
            log.warning("whatsapp look-up failed (%s)", type(exc).__name__,
                        extra={"outbox_id": message.outbox_id})
            raise SendError("twilio unreachable for a look-up", code="network") from None
        found: list[str] = []
        for record in records:
            if record.sid is None or (record.status or "") in NOT_DELIVERED:
                continue
            if not str(record.direction or "outbound").startswith("outbound"):
                continue
            if record.date_created is not None and record.date_created < since:
                continue
            text = record.body or ""
            if (body is not None and text == body) or \
                    (body is None and variables and all(v in text for v in variables)):
                found.append(record.sid)
        return found

    async def close(self) -> None:
        """Close the aiohttp session."""
        if self._http is not None:
            await self._http.close()
        self._http = None
        self._client = None
