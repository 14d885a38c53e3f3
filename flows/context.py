"""Ctx: what a step sees of the world while it handles one message.

A step reads the person and her conversation, changes them, and says things;
everything it says becomes an outbox row in the engine's one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Conversation, Identity, Mother, Outbox, Staff
from flows import steps
from flows.outbox import enqueue, numbered, preferred_identity
from flows.privacy import erase_mother, forget_address
from flows.types import Choice, FlowConfig, Inbound
from messages.texts import text as ui_text

IDLE = ("idle", "idle")
MAX_MISSES = 3


@dataclass
class Ctx:
    """One inbound message being handled."""

    session: AsyncSession
    inbound: Inbound
    config: FlowConfig
    identity: Identity
    conversation: Conversation
    mother: Mother | None = None
    staff: Staff | None = None
    inbound_id: int | None = None
    sent: list[Outbox] = field(default_factory=list)
    # set when the person's records were deleted (refusal, STOP before consent, HAPUS DATA)
    deleted: bool = False

    @property
    def now(self) -> datetime:
        """The moment the message arrived: the clock every decision uses."""
        return self.inbound.at

    @property
    def lang(self) -> str:
        """The language she reads: her saved choice, or the one picked during onboarding."""
        if self.mother is not None:
            return self.mother.lang
        if self.staff is not None:
            return self.staff.lang
        return str(self.conversation.data.get("lang", "id"))

    @property
    def zone(self) -> ZoneInfo:
        """Her time zone."""
        return ZoneInfo(self.mother.tz if self.mother else self.config.timezone)

    @property
    def local_now(self) -> datetime:
        """Now, on her clock."""
        return self.now.astimezone(self.zone)

    @property
    def data(self) -> dict[str, object]:
        """The answers kept in the conversation so far (a fresh dict is written back)."""
        return self.conversation.data

    def remember(self, **values: object) -> None:
        """Keep answers in the conversation (reassigned so SQLAlchemy sees the change)."""
        self.conversation.data = {**self.conversation.data, **values}

    def forget(self, *keys: str) -> None:
        """Drop answers from the conversation."""
        self.conversation.data = {k: v for k, v in self.conversation.data.items() if k not in keys}

    def t(self, key: str, **values: object) -> str:
        """A text in her language."""
        return ui_text(key, self.lang, **values)

    def say(
        self, key: str, *, options: list[tuple[str, str]] | None = None, **values: Any
    ) -> Outbox:
        """Reply with the text `key`; `options` are (key, label) choices she may pick from."""
        return self.say_text(self.t(key, **values), options=options)

    def say_text(self, body: str, *, options: list[tuple[str, str]] | None = None) -> Outbox:
        """Reply with a ready text (a relayed message, a tip)."""
        choices: list[Choice] = []
        if options:
            choices = numbered([label for _, label in options])
            self.remember(_options=[list(option) for option in options])
        row = enqueue(
            self.session,
            channel=self.identity.channel,
            address=self.identity.address,
            text=body,
            now=self.now,
            choices=choices,
            mother_id=self.mother.id if self.mother else None,
            staff_id=self.staff.id if self.staff else None,
            in_reply_to=self.inbound_id,
        )
        self.sent.append(row)
        return row

    @property
    def options(self) -> list[tuple[str, str]]:
        """The choices offered with the last question."""
        return [(str(k), str(label)) for k, label in self.data.get("_options", [])]  # type: ignore[attr-defined]

    async def tell_staff(
        self,
        staff: Staff,
        body: str,
        *,
        kind: str = "alert",
        case_id: int | None = None,
        options: list[str] | None = None,
    ) -> Outbox | None:
        """Send a message to a cadre or health worker on the channel she uses."""
        identity = await preferred_identity(self.session, staff=staff)
        return self._send(identity, body, kind=kind, case_id=case_id, staff_id=staff.id,
                          choices=numbered(options or []))

    async def tell_mother(
        self, mother: Mother, body: str, *, kind: str = "relay", case_id: int | None = None
    ) -> Outbox | None:
        """Send a message to a mother (a cadre's reply relayed through the bot)."""
        identity = await preferred_identity(self.session, mother=mother)
        return self._send(identity, body, kind=kind, case_id=case_id, mother_id=mother.id)

    def _send(
        self,
        identity: Identity | None,
        body: str,
        *,
        kind: str,
        case_id: int | None,
        mother_id: int | None = None,
        staff_id: int | None = None,
        choices: list[Choice] | None = None,
    ) -> Outbox | None:
        """One outbox row to someone else's address (none when she has no address)."""
        if identity is None:
            return None
        row = enqueue(self.session, channel=identity.channel, address=identity.address,
                      text=body, now=self.now, choices=choices, kind=kind, mother_id=mother_id,
                      staff_id=staff_id, case_id=case_id, in_reply_to=self.inbound_id)
        self.sent.append(row)
        return row

    async def forget_person(self) -> None:
        """Delete this address, its conversation and what we wrote to it (she refused, or
        asked us to forget); only this message's replies stay, to be sent."""
        early = self.identity.mother_id  # a record a danger sign made mid-registration
        await self.session.flush()  # the replies have ids
        keep = [row.id for row in self.sent]
        await forget_address(self.session, self.identity.channel, self.identity.address, keep)
        self.session.expunge(self.conversation)
        await self.session.delete(self.identity)
        if early is not None:
            await self.session.flush()
            await erase_mother(self.session, early, keep)
        self.deleted = True

    async def goto(self, flow: str, name: str) -> None:
        """Move to a step and ask its question."""
        self.conversation.flow, self.conversation.step = flow, name
        self.conversation.misses = 0
        self.forget("_options")
        found = steps.get(flow, name)
        if found is not None:
            await found.ask(self)

    def idle(self) -> None:
        """No question is open: her next free text is read as a problem or a question."""
        self.conversation.flow, self.conversation.step = IDLE
        self.conversation.misses = 0
        self.forget("_options")

    async def reprompt(self, key: str, **values: object) -> None:
        """A kind re-prompt; after three misses, the way to a person instead."""
        self.conversation.misses += 1
        if self.conversation.misses >= MAX_MISSES:
            self.conversation.misses = 0
            from flows.contact import say_stuck  # noqa: PLC0415  (names her own cadre)

            await say_stuck(self)
            if self.mother is not None:
                from flows.menu import show_menu  # noqa: PLC0415  (menu imports context)

                self.idle()
                await show_menu(self)
                return
        options = self.options
        self.say(key, options=options or None, **values)
