"""a person takes over a conversation: the handoff table

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(length=64), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_handoff_sender_id", "handoff", ["sender_id"])
    op.create_index("ix_handoff_state", "handoff", ["state"])
    op.create_index("ix_handoff_requested_at", "handoff", ["requested_at"])


def downgrade() -> None:
    op.drop_index("ix_handoff_requested_at", table_name="handoff")
    op.drop_index("ix_handoff_state", table_name="handoff")
    op.drop_index("ix_handoff_sender_id", table_name="handoff")
    op.drop_table("handoff")
