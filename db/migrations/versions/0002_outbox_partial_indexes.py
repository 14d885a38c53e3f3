"""outbox: in_reply_to and provider_msg_id indexes skip NULLs

Every scheduled row (a tip, a reminder) is written with both NULL, so planning a day
of tips paid for two index entries per row that no query reads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 20:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

PARTIAL = ("in_reply_to", "provider_msg_id")


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        for column in PARTIAL:
            batch_op.drop_index(f'ix_outbox_{column}')
            where = sa.text(f'{column} IS NOT NULL')
            batch_op.create_index(f'ix_outbox_{column}', [column], unique=False,
                                  postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        for column in PARTIAL:
            batch_op.drop_index(f'ix_outbox_{column}')
            batch_op.create_index(f'ix_outbox_{column}', [column], unique=False)
