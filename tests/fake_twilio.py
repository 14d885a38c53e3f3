"""A fake Twilio REST API on 127.0.0.1 for twilio's real client, and signed webhooks.

POST /2010-04-01/Accounts/{sid}/Messages.json creates a message (Basic auth checked);
numbers told to fail answer with Twilio's error JSON (63016, 63024, 20429, ...). GET on
the same path lists them as Twilio does: To, From, DateSent / DateSent< / DateSent>
filters (by the day, as documented: "on or after midnight"), newest first, paged with
PageSize/Page/PageToken and Twilio's paging JSON (`messages`, `next_page_uri`, ..).
A template message's body is what Twilio would show: its variables filled in.
It never deduplicates: a repeated create is a second message, as on her phone.
`sign()` signs a webhook the way Twilio does, with the library's RequestValidator.
`FakeTwilioServer` runs it in a thread, for worker processes.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from tests.fake_telegram import serving
from tests.serving import ServedOnAThread

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
FROM = "+6281100000000"
ERRORS = {
    63016: (400, "Failed to send freeform message because you are outside the allowed window."),
    63024: (400, "Invalid message recipient"),
    20429: (429, "Too Many Requests"),
    21211: (400, "The 'To' number is not a valid phone number."),
    30001: (500, "Queue overflow"),
}


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for a form POST to `url`."""
    return str(RequestValidator(token).compute_signature(url, params))


@dataclass
class FakeTwilio:
    """What the client sent, and which numbers refuse (number -> Twilio error code)."""

    base_url: str = ""
    sent: list[dict[str, str]] = field(default_factory=list)
    failing: dict[str, list[int]] = field(default_factory=dict)
    # when a message is created (and sent: the fake dequeues at once); tests on a fake
    # clock pass its `now`
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # the next list requests answer with these HTTP statuses, one each (500: an outage)
    list_failures: list[int] = field(default_factory=list)
    lists: int = 0  # list requests answered, failures included
    _by_to: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    _sids: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]

    def fail(self, number: str, *codes: int) -> None:
        """Refuse the next messages to a number with these codes, one each."""
        self.failing.setdefault(number, []).extend(codes)

    def bodies_to(self, number: str) -> list[str]:
        """Every body sent to a number (templates as 'template:<ContentSid>')."""
        return [m.get("Body") or f"template:{m.get('ContentSid')}" for m in self.sent
                if m["To"] == f"whatsapp:{number}"]

    def texts_to(self, number: str) -> list[str]:
        """What a number read: each body, or a template's text (its variable "1")."""
        texts = []
        for m in self.sent:
            if m["To"] == f"whatsapp:{number}":
                variables = json.loads(m.get("ContentVariables") or "{}")
                texts.append(m.get("Body") or str(variables.get("1", "")))
        return texts

    async def create_message(self, request: Request) -> Response:
        """POST /2010-04-01/Accounts/{sid}/Messages.json."""
        expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if request.path_params["sid"] != ACCOUNT_SID or \
                request.headers.get("authorization") != f"Basic {expected}":
            return _error(20003, 401, "Authenticate")
        form = {k: str(v) for k, v in (await request.form()).items()}
        to = form.get("To", "")
        if not to.startswith("whatsapp:") or not form.get("From", "").startswith("whatsapp:"):
            return _error(21211, 400, ERRORS[21211][1])
        if not form.get("Body") and not form.get("ContentSid"):
            return _error(21619, 400, "A text message body or media urls must be specified.")
        if len(form.get("Body", "")) > 1600:
            return _error(21617, 400, "The concatenated message body exceeds the 1600 limit")
        pending = self.failing.get(to.removeprefix("whatsapp:"))
        if pending:
            code = pending.pop(0)
            status, message = ERRORS.get(code, (400, "error"))
            return _error(code, status, message)
        sid = f"SM{next(self._sids):032x}"
        message = {**form, "Sid": sid, "Created": self.now().isoformat()}
        self.sent.append(message)
        self._by_to.setdefault(to, []).append(message)
        return JSONResponse(_resource(message, "queued"), status_code=201)

    async def list_messages(self, request: Request) -> Response:
        """GET /2010-04-01/Accounts/{sid}/Messages.json: newest first, one page."""
        expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if request.path_params["sid"] != ACCOUNT_SID or \
                request.headers.get("authorization") != f"Basic {expected}":
            return _error(20003, 401, "Authenticate")
        self.lists += 1
        if self.list_failures:
            status = self.list_failures.pop(0)
            return _error(20500 if status >= 500 else status, status, "Internal Server Error")
        query = request.query_params
        to, sender = query.get("To"), query.get("From")
        found = self._by_to.get(to, []) if to else self.sent
        on, before, after = (_day(query.get(k)) for k in ("DateSent", "DateSent<", "DateSent>"))
        chosen = []
        for message in reversed(found):  # newest first
            sent_on = datetime.fromisoformat(message["Created"]).date()
            if (sender and message.get("From") != sender) or (on and sent_on != on) or \
                    (before and sent_on > before) or (after and sent_on < after):
                continue
            chosen.append(message)
        size = min(int(query.get("PageSize") or 50), 1000)
        page = int(query.get("Page") or 0)
        token = query.get("PageToken")
        start = int(token.removeprefix("PA")) if token else page * size
        records = chosen[start:start + size]
        path = request.url.path
        base = {k: v for k, v in query.items() if k not in ("Page", "PageToken")}

        def uri(number: int, offset: int) -> str:
            return f"{path}?{urlencode({**base, 'Page': number, 'PageToken': f'PA{offset}'})}"

        more = start + size < len(chosen)
        return JSONResponse({
            "messages": [_resource(m, "sent") for m in records],
            "end": start + len(records) - 1 if records else 0,
            "first_page_uri": f"{path}?{urlencode({**base, 'Page': 0})}",
            "next_page_uri": uri(page + 1, start + size) if more else None,
            "previous_page_uri": uri(page - 1, max(start - size, 0)) if page else None,
            "page": page, "page_size": size, "start": start, "uri": str(request.url),
        })

    def app(self) -> Starlette:
        """The fake as an ASGI app."""
        return Starlette(routes=[Route("/2010-04-01/Accounts/{sid}/Messages.json",
                                       self.create_message, methods=["POST"]),
                                 Route("/2010-04-01/Accounts/{sid}/Messages.json",
                                       self.list_messages, methods=["GET"])])


def _day(value: str | None) -> date | None:
    """A DateSent filter's day: "YYYY-MM-DD" or a full timestamp (its day counts)."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).date() if "T" in value \
        else date.fromisoformat(value)


def _resource(message: dict[str, str], status: str) -> dict[str, Any]:
    """A message as Twilio's JSON shows it."""
    created = format_datetime(datetime.fromisoformat(message["Created"]), usegmt=True)
    body = message.get("Body")
    if body is None:  # a template: Twilio shows the text with its variables filled in
        variables = json.loads(message.get("ContentVariables") or "{}")
        body = " ".join(str(variables[k]) for k in sorted(variables))
    return {"sid": message["Sid"], "account_sid": ACCOUNT_SID, "to": message["To"],
            "from": message["From"], "body": body, "status": status, "num_segments": "1",
            "direction": "outbound-api", "api_version": "2010-04-01",
            "date_created": created, "date_updated": created, "date_sent": created,
            "error_code": None, "error_message": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message['Sid']}.json"}


def _error(code: int, status: int, message: str) -> Response:
    return JSONResponse({"code": code, "message": message, "status": status,
                         "more_info": f"https://www.twilio.com/docs/errors/{code}"},
                        status_code=status)


@contextlib.asynccontextmanager
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    """A running fake; point TWILIO_API_BASE_URL at `fake.base_url`."""
    fake = FakeTwilio()
    async with serving(fake.app()) as url:
        fake.base_url = url
        yield fake


class FakeTwilioServer(ServedOnAThread):
    """The fake on a thread of its own (for worker processes): `url` is its base URL."""

    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeTwilio()
        self.fake.base_url = self.url
        self.serve(self.fake.app())

