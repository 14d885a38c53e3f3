"""A fake Twilio REST API on 127.0.0.1 for twilio's real client, and signed webhooks.

POST /2010-04-01/Accounts/{sid}/Messages.json creates a message (Basic auth checked);
numbers told to fail answer with Twilio's error JSON (63016, 63024, 20429, ...).
`sign()` signs a webhook the way Twilio does, with the library's RequestValidator.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from tests.fake_telegram import serving

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
        self.sent.append({**form, "Sid": sid})
        return JSONResponse({"sid": sid, "account_sid": ACCOUNT_SID, "to": to,
                             "from": form["From"], "body": form.get("Body", ""),
                             "status": "queued", "num_segments": "1", "direction":
                             "outbound-api", "api_version": "2010-04-01",
                             "error_code": None, "error_message": None}, status_code=201)

    def app(self) -> Starlette:
        """The fake as an ASGI app."""
        return Starlette(routes=[Route("/2010-04-01/Accounts/{sid}/Messages.json",
                                       self.create_message, methods=["POST"])])


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
