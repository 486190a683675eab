"""the unanswered list: who handled an unanswered turn, when, and how

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 01:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("handled_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("handled_as", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("handled_entry_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.drop_column("handled_entry_id")
        batch_op.drop_column("handled_as")
        batch_op.drop_column("handled_by")
        batch_op.drop_column("handled_at")
