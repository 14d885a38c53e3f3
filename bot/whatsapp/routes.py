"""Twilio's WhatsApp webhooks: a message from a mother or cadre, and a sent message's status.

Both are signed: X-Twilio-Signature is checked with twilio's RequestValidator against
the URL Twilio called, built from PUBLIC_BASE_URL; a wrong signature is refused (403)
before anything is stored. An inbound message runs through the engine and is answered
at once with empty TwiML; the replies go out through the outbox. A retried MessageSid
is answered again without running twice (the engine dedupes on channel and msg_id).
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from twilio.request_validator import RequestValidator, get_signature_algorithm

from bot.runtime import Runtime
from bot.settings import Settings
from bot.webhooks import BodyTooLarge, bad_request, forbidden, messages_of, read_body, too_large
from flows.types import Inbound

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
INBOUND_PATH = "/webhooks/twilio/whatsapp"
STATUS_PATH = "/webhooks/twilio/status"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
PREFIX = "whatsapp:"
STATUSES = {"queued", "accepted", "scheduled", "sending", "sent", "delivered", "read",
            "failed", "undelivered", "canceled", "receiving", "received"}
WINDOW_CLOSED = "63016"
# Twilio's OptOutType, as the words our engine honours on every channel
OPT_OUT = {"STOP": "STOP", "START": "START"}


class Refused(Exception):
    """A webhook we answer with a clear 4xx; `response` is that answer."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def twiml() -> Response:
    """The empty answer: we reply through the outbox, not in TwiML."""
    return Response(EMPTY_TWIML, media_type="text/xml")


def public_url(request: Request, settings: Settings) -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL and our path (and query), else what we saw."""
    if not settings.public_base_url:
        return str(request.url)
    query = request.url.query
    return settings.public_base_url + request.url.path + (f"?{query}" if query else "")


async def signed_form(request: Request, settings: Settings) -> dict[str, str]:
    """The form Twilio posted, once its size, encoding and signature check out."""
    try:
        body = await read_body(request, settings.max_body_bytes)
    except BodyTooLarge:
        log.warning("twilio webhook refused: body over %d bytes", settings.max_body_bytes)
        raise Refused(too_large()) from None
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        log.warning("twilio webhook refused: body is not UTF-8")
        raise Refused(bad_request("body must be a UTF-8 form")) from None
    form = dict(pairs)
    validator = RequestValidator(settings.twilio_auth_token)
    algorithm = get_signature_algorithm(
        request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not validator.validate(public_url(request, settings), form, signature,
                                               algorithm):
        log.warning("twilio webhook refused: bad or missing signature")
        raise Refused(forbidden())
    return form


def media_kind(form: dict[str, str]) -> str | None:
    """What she sent that is not text, from Twilio's MediaContentType0 or location fields."""
    if form.get("Latitude") and form.get("Longitude"):
        return "location"
    try:
        count = int(form.get("NumMedia") or "0")
    except ValueError:
        count = 0
    if count <= 0:
        return None
    kind = form.get("MediaContentType0", "").lower()
    if kind == "image/webp":
        return "sticker"
    for prefix, name in (("image/", "photo"), ("audio/", "voice"), ("video/", "video")):
        if kind.startswith(prefix):
            return name
    return "document"


def inbound(form: dict[str, str], runtime: Runtime) -> Inbound | None:
    """A WhatsApp message as an Inbound; None for anything that is not one (SMS, no sender)."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    sender = form.get("From", "")
    if not sid or not sender.startswith(PREFIX):
        return None
    address = sender.removeprefix(PREFIX).strip()
    if not address or len(address) > 64 or len(sid) > 80:
        return None
    text = form.get("ButtonPayload") or form.get("Body", "")
    opt = OPT_OUT.get(form.get("OptOutType", "").upper())
    if opt is not None:
        text = opt  # Twilio already treats her word as an opt-out/in: so do we, whatever it was
    return Inbound(channel=CHANNEL, address=address, text=text, msg_id=sid,
                   at=runtime.clock.now(), media=media_kind(form))


async def whatsapp_inbound(request: Request) -> Response:
    """POST /webhooks/twilio/whatsapp: a message from WhatsApp."""
    runtime: Runtime = request.app.state.runtime
    try:
        form = await signed_form(request, runtime.settings)
    except Refused as refused:
        return refused.response
    message = inbound(form, runtime)
    if message is None:
        log.warning("twilio webhook refused: no MessageSid or no whatsapp: sender")
        return bad_request("need MessageSid and a whatsapp: From")
    for part in messages_of(message):  # a captioned photo: the words, then the photo
        try:
            result = await runtime.handle(part)
        except Exception as exc:  # noqa: BLE001  (logged by type only: its text may carry data)
            log.error("whatsapp message failed in the engine (%s)", type(exc).__name__)
            return PlainTextResponse("internal error", status_code=500)
        log.info("whatsapp message handled", extra={"duplicate": result.duplicate,
                                                    "replies": len(result.outbox_ids)})
    return twiml()


async def whatsapp_status(request: Request) -> Response:
    """POST /webhooks/twilio/status: what became of a message we sent."""
    runtime: Runtime = request.app.state.runtime
    try:
        form = await signed_form(request, runtime.settings)
    except Refused as refused:
        return refused.response
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    if not sid or len(sid) > 80 or status not in STATUSES:
        log.warning("twilio status refused: no MessageSid or an unknown MessageStatus")
        return bad_request("need MessageSid and a known MessageStatus")
    error_code = (form.get("ErrorCode") or "").strip()[:20] or None
    # the scheduler owns the rules: a 63016 goes again as its template when its kind has
    # one, a staff message is failed (never held), hers is held; permanent codes flag her
    from scheduler.delivery import (  # noqa: PLC0415
        DeliveryConfig,
        record_status,
        window_closed,
    )

    try:
        async with runtime.sessions() as session, session.begin():
            if error_code == WINDOW_CLOSED and status in ("failed", "undelivered"):
                config = DeliveryConfig(templates=dict(runtime.settings.twilio_templates))
                await window_closed(session, sid, runtime.clock.now(), config)
            else:
                await record_status(session, sid, status, error_code, runtime.clock.now())
    except Exception as exc:  # noqa: BLE001  (logged by type only)
        log.error("twilio status failed (%s)", type(exc).__name__)
        return PlainTextResponse("internal error", status_code=500)
    log.info("twilio status recorded", extra={"status": status, "error_code": error_code})
    return Response(status_code=204)


def routes(settings: Settings) -> list[BaseRoute]:
    """Both webhooks, when a Twilio auth token is configured (no token, no way to check)."""
    if not settings.twilio_auth_token:
        return []
    return [Route(INBOUND_PATH, whatsapp_inbound, methods=["POST"]),
            Route(STATUS_PATH, whatsapp_status, methods=["POST"])]
