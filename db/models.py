"""The database: every table asibot keeps, as SQLAlchemy 2 models.

Mothers' data is health data: personal rows hang off `mothers` with ON DELETE
CASCADE so that HAPUS DATA removes them with her row. The two queue tables the planner
fills by the million, `outbox` and `tip_deliveries`, have no foreign keys (each one is
a trigger per inserted row); `flows.privacy.erase_mother` deletes their rows explicitly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    column as sql_column,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (Alembic needs them on SQLite)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Puskesmas(Base):
    """The community health centre that runs the group."""

    __tablename__ = "puskesmas"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")


class Posyandu(Base):
    """A village health post; each has cadres."""

    __tablename__ = "posyandu"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    puskesmas_id: Mapped[int | None] = mapped_column(ForeignKey("puskesmas.id"))


class Staff(Base):
    """A cadre (kader posyandu) or a health worker (midwife, nutritionist)."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))  # cadre | midwife | nutritionist
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"))
    invite_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    is_backup: Mapped[bool] = mapped_column(Boolean, default=False)
    lang: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    posyandu: Mapped[Posyandu | None] = relationship(lazy="joined")

    @property
    def is_health_worker(self) -> bool:
        """Midwives and nutritionists are the top of every escalation chain."""
        return self.role != "cadre"


class Mother(Base):
    """A mother who consented; everything personal hangs off this row."""

    __tablename__ = "mothers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    lang: Mapped[str] = mapped_column(String(5), default="id")
    tz: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    tip_hour: Mapped[int] = mapped_column(Integer, default=8)
    stage: Mapped[str] = mapped_column(String(12))  # pregnant | postnatal
    due_date: Mapped[date | None] = mapped_column(Date)
    birth_date: Mapped[date | None] = mapped_column(Date)
    child_name: Mapped[str | None] = mapped_column(String(120))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    posyandu_id: Mapped[int | None] = mapped_column(ForeignKey("posyandu.id"))
    # active | opted_out | loss | paused (unreachable on five days)
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    # the journey day (relative to due or birth date) from which tips are due;
    # earlier tips were covered by the welcome series
    tips_from_day: Mapped[int] = mapped_column(Integer, default=-1000)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    failure_days: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime]
    last_inbound_at: Mapped[datetime | None]

    cadre: Mapped[Staff | None] = relationship(lazy="joined")


class Identity(Base):
    """One address on one channel; belongs to a mother, a staff member, or nobody yet."""

    __tablename__ = "identities"
    # her address is the identity she last wrote from: the planner reads the first entry
    # of this index per mother, no sort (migration 0004); it serves mother_id lookups too.
    # On SQLite the migration writes plain DESC (NULLS LAST is refused in an index there,
    # and NULLs already sort lowest, so it is the same order)
    __table_args__ = (
        UniqueConstraint("channel", "address"),
        Index("ix_identities_mother_recent", "mother_id",
              sql_column("last_inbound_at").desc().nulls_last(), "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # simulator | telegram | whatsapp
    address: Mapped[str] = mapped_column(String(64))
    mother_id: Mapped[int | None] = mapped_column(
        ForeignKey("mothers.id", ondelete="CASCADE")
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Consent(Base):
    """What a person agreed to (or refused), which text version, and when."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(primary_key=True)
    mother_id: Mapped[int | None] = mapped_column(ForeignKey("mothers.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(12))  # yes | no | withdrawn | deleted
    text_version: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]


class Conversation(Base):
    """Where an identity is in a flow: named flow and step, plus the answers so far."""

    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE"), unique=True
    )
    flow: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]


class InboundMessage(Base):
    """Every message received; (channel, msg_id) makes a retried delivery a no-op."""

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("channel", "msg_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    msg_id: Mapped[str] = mapped_column(String(80))
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("identities.id", ondelete="SET NULL")
    )
    mother_id: Mapped[int | None] = mapped_column(
        ForeignKey("mothers.id", ondelete="CASCADE"), index=True
    )
    # None before consent: nothing she writes is kept until she says yes
    text: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class Outbox(Base):
    """Every message we send, from a reply to a tip; nothing leaves that is not here.

    status: pending -> sending -> sent -> delivered -> read, or failed / held.
    """

    __tablename__ = "outbox"
    # in_reply_to and provider_msg_id are NULL on every scheduled row when it is written
    # (a million tips a day): their indexes skip NULLs, so planning does not pay for them
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_in_reply_to", "in_reply_to",
              postgresql_where=sql_text("in_reply_to IS NOT NULL"),
              sqlite_where=sql_text("in_reply_to IS NOT NULL")),
        Index("ix_outbox_provider_msg_id", "provider_msg_id",
              postgresql_where=sql_text("provider_msg_id IS NOT NULL"),
              sqlite_where=sql_text("provider_msg_id IS NOT NULL")),
        # rows to nobody (before a record, a goodbye): few, found by address when she is
        # erased and when the heartbeat forgets them (flows.privacy; migration 0006)
        Index("ix_outbox_nobody", "channel", "address",
              postgresql_where=sql_text("mother_id IS NULL AND staff_id IS NULL"),
              sqlite_where=sql_text("mother_id IS NULL AND staff_id IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))
    # mothers.id, staff.id, cases.id, inbound_messages.id, deliberately without foreign
    # keys (migration 0003): see flows.privacy.erase_mother for what deletes them
    mother_id: Mapped[int | None] = mapped_column(Integer, index=True)
    staff_id: Mapped[int | None] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(Integer)
    # the inbound message this answers, so a retried delivery can be answered again
    in_reply_to: Mapped[int | None] = mapped_column(Integer)
    # reply | tip | reminder | checkin | alert | relay | welcome
    kind: Mapped[str] = mapped_column(String(16), default="reply")
    # empty on a planned tip until it is sent: the sender makes its words from the
    # dedupe key, her language and name (flows.tiptext) and writes them here
    text: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[Any]] = mapped_column(default=list)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    # set by the claim when an attempt starts, cleared once its outcome is known: a row
    # claimed while it is still set may already be on her phone (its worker died
    # mid-send, or the send timed out), so the sender asks the provider first
    sending_since: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    provider_msg_id: Mapped[str | None] = mapped_column(String(80))
    error_code: Mapped[str | None] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]


class Tip(Base):
    """The tip catalogue as the planner sees it, synced from messages/ at start."""

    __tablename__ = "tips"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    stage: Mapped[str] = mapped_column(String(12))  # pregnancy | child
    offset_days: Mapped[int] = mapped_column(Integer)
    must_deliver: Mapped[bool] = mapped_column(Boolean, default=False)
    stale_after_days: Mapped[int] = mapped_column(Integer, default=7)


class TipDelivery(Base):
    """A tip planned for a mother; the primary key is why no tip is ever sent twice."""

    __tablename__ = "tip_deliveries"
    # mothers.id without a foreign key (migration 0003; flows.privacy.erase_mother)
    mother_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tip_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    planned_at: Mapped[datetime]


class Case(Base):
    """A mother's problem, routed to a person until it is resolved."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("mothers.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    child_age_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    level: Mapped[int] = mapped_column(Integer, default=0)  # 0 cadre, 1 backup, 2 health worker
    opened_at: Mapped[datetime]
    deadline_at: Mapped[datetime | None]
    taken_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(200))


class CaseEvent(Base):
    """Each step of a case: opened, alerted, escalated, taken, relayed, resolved."""

    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]


class Reminder(Base):
    """A timer for one mother (check-in, birth report, case follow-up, nudge)."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_due", "done_at", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("mothers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # checkin | birth_report | case_followup | nudge
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class Answer(Base):
    """A check-in or quiz answer, stored per item (the EBF indicator is read from these)."""

    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    mother_id: Mapped[int] = mapped_column(ForeignKey("mothers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # checkin | quiz | tip_followup
    round: Mapped[str] = mapped_column(String(40))  # e.g. checkin-2026-11
    question: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(40))
    child_age_days: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime]


class Lease(Base):
    """A named lease held by one worker (the per-channel sending leader)."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
