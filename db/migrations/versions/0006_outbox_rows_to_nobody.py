"""outbox: rows written to nobody are indexed and few; old Telegram ids forgotten

A row with neither a mother nor a staff member was written to an address before its
owner had a record: the consent question, registration's questions (her name in them),
a goodbye after HAPUS DATA or a refusal. Erasure deletes such rows by address and the
heartbeat forgets a goodbye once it went, so they get a partial index on (channel,
address), which tips and alerts never enter. Registration now gives those rows her id
when her record is saved (flows.outbox.adopt_replies); this does the same for the rows
written before.

Telegram message ids were kept as `m:<chat id>:<message id>`, and such a row outlives
her address (a refusal, HAPUS DATA's own confirmation). They now name the chat by a
keyed digest; the old ones with no mother are deleted here (they only ever served to
answer a retried webhook, minutes after it came).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

NOBODY = 'mother_id IS NULL AND staff_id IS NULL'
_SAME_ADDRESS = ('identities.channel = outbox.channel '
                 'AND identities.address = outbox.address AND identities.mother_id IS NOT NULL')
_OLD_TELEGRAM = ("channel = 'telegram' AND msg_id LIKE 'm:%' AND mother_id IS NULL")


def upgrade() -> None:
    op.execute(f'UPDATE outbox SET mother_id = (SELECT identities.mother_id FROM identities '
               f'WHERE {_SAME_ADDRESS}) '
               f'WHERE {NOBODY} AND EXISTS (SELECT 1 FROM identities WHERE {_SAME_ADDRESS})')
    op.execute(f'UPDATE outbox SET in_reply_to = NULL WHERE in_reply_to IN '
               f'(SELECT id FROM inbound_messages WHERE {_OLD_TELEGRAM})')
    op.execute(f'DELETE FROM inbound_messages WHERE {_OLD_TELEGRAM}')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        where = sa.text(NOBODY)
        batch_op.create_index('ix_outbox_nobody', ['channel', 'address'], unique=False,
                              postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_nobody')
