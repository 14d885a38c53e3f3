"""outbox: sending_since, when an attempt whose outcome is unknown began

A row taken over from a worker that died mid-send (or whose send timed out) may or
may not be on her phone already. The claim keeps the moment the first such attempt
began, so the next sender can ask the provider whether it has the message before
sending it again (scheduler/delivery.py, "reconcile").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sending_since', db.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('sending_since')
