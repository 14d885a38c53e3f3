"""outbox and tip_deliveries: no foreign keys

The planner writes a million outbox rows and a million (mother, tip) keys on a busy
day. Every foreign key on those tables is an after-row trigger per inserted row, even
when the column is NULL, and PostgreSQL keeps the queue of those events in memory until
the statement ends: together they were about a quarter of the planner's time. What
their ON DELETE CASCADE / SET NULL did is now done explicitly where a mother is deleted
(flows.privacy.erase_mother); staff and cases are never deleted on their own.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# (table, constraint, column, referred table, ondelete)
DROPPED = (
    ('outbox', 'fk_outbox_mother_id_mothers', 'mother_id', 'mothers', 'CASCADE'),
    ('outbox', 'fk_outbox_staff_id_staff', 'staff_id', 'staff', 'SET NULL'),
    ('outbox', 'fk_outbox_case_id_cases', 'case_id', 'cases', 'CASCADE'),
    ('outbox', 'fk_outbox_in_reply_to_inbound_messages', 'in_reply_to', 'inbound_messages',
     'SET NULL'),
    ('tip_deliveries', 'fk_tip_deliveries_mother_id_mothers', 'mother_id', 'mothers',
     'CASCADE'),
)


def upgrade() -> None:
    # batch mode: SQLite cannot drop a constraint, so the table is copied without it
    for table in ('outbox', 'tip_deliveries'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in (row[1] for row in DROPPED if row[0] == table):
                batch_op.drop_constraint(name, type_='foreignkey')


def downgrade() -> None:
    for table in ('outbox', 'tip_deliveries'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, name, column, referred, ondelete in (r for r in DROPPED if r[0] == table):
                batch_op.create_foreign_key(name, referred, [column], ['id'], ondelete=ondelete)
