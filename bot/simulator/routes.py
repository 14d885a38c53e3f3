"""The local simulator channel: the same engine and outbox, delivered to a page and an API.

POST /simulator/messages   {"from": "sim:ibu-1", "text": "halo", "id": "optional"}
                           (the id is the sender's own: it is scoped by "from", so one
                           sender reusing another's id never sees the other's replies)
GET  /simulator/messages?to=sim:ibu-1&after=0
GET  /simulator            the web chat page
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.runtime import Runtime
from db.models import Outbox
from flows.tiptext import outbox_texts
from flows.types import Inbound

CHANNEL = "simulator"
PAGE = Path(__file__).with_name("page.html")
# what a simulated phone shows: anything that was or is being sent, never what was withdrawn
VISIBLE = ("pending", "sending", "sent", "delivered", "read")


MAX_ID = 60


def scoped_id(sender: str, client_id: str) -> str:
    """The engine's msg_id for a simulator message: the client's id within its sender.

    The engine answers a repeated (channel, msg_id) with the first delivery's replies; on
    the other channels the provider makes ids, here the client does, so the id is scoped
    by sender: a stranger reusing someone's id is a new message of her own.
    """
    return f"{hashlib.sha256(sender.encode()).hexdigest()[:16]}:{client_id}"


def _message(row: Outbox, words: dict[int, str | None]) -> dict[str, Any]:
    # a planned tip not sent yet has no words in its row: they are made as the sender
    # will make them (flows.tiptext)
    text = words.get(row.id, row.text)
    return {"id": row.id, "to": row.address, "text": text or "", "kind": row.kind,
            "choices": row.choices or [], "at": row.not_before.isoformat()}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def post_message(request: Request) -> Response:
    """Send a message as someone on the simulator; returns the replies it produced."""
    try:
        body = json.loads(await request.body())
        sender, text = str(body["from"]).strip(), str(body.get("text", ""))
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"error": 'send JSON {"from": "sim:...", "text": "..."}'}, 400)
    client_id = str(body.get("id") or uuid.uuid4())
    if not sender or len(sender) > 64 or len(text) > 4096 or len(client_id) > MAX_ID:
        return JSONResponse({"error": "from must be 1-64 characters, text at most 4096, "
                                      f"id at most {MAX_ID}"}, 400)
    runtime = _runtime(request)
    inbound = Inbound(channel=CHANNEL, address=sender, text=text,
                      msg_id=scoped_id(sender, client_id), at=runtime.clock.now(),
                      media=body.get("media") or None)
    result = await runtime.handle(inbound)
    async with runtime.sessions() as session:
        rows = (await session.scalars(
            select(Outbox).where(Outbox.id.in_(result.outbox_ids)).order_by(Outbox.id)
        )).all()
        words = await outbox_texts(session, rows)
    return JSONResponse({"duplicate": result.duplicate,
                         "replies": [_message(r, words) for r in rows if r.status in VISIBLE]})


async def list_messages(request: Request) -> Response:
    """Everything sent to an address after an id, oldest first (tips, alerts, relays)."""
    to = request.query_params.get("to", "")
    try:
        after = int(request.query_params.get("after", "0"))
    except ValueError:
        return JSONResponse({"error": "after must be a number"}, 400)
    if not to:
        return JSONResponse({"error": "give ?to=ADDRESS"}, 400)
    runtime = _runtime(request)
    async with runtime.sessions() as session:
        rows = (await session.scalars(
            select(Outbox)
            .where(Outbox.channel == CHANNEL, Outbox.address == to, Outbox.id > after,
                   Outbox.status.in_(VISIBLE), Outbox.not_before <= runtime.clock.now())
            .order_by(Outbox.id)
            .limit(500)
        )).all()
        words = await outbox_texts(session, rows)
    return JSONResponse({"messages": [_message(r, words) for r in rows]})


async def page(request: Request) -> Response:
    """The web chat: a mother's phone and a cadre's phone side by side."""
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


routes = [
    Route("/simulator", page, methods=["GET"]),
    Route("/simulator/messages", post_message, methods=["POST"]),
    Route("/simulator/messages", list_messages, methods=["GET"]),
]
