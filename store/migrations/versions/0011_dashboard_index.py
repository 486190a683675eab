"""dashboard: one index that covers counting turns by day, topic, channel and outcome

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 01:40:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_turn_dashboard", ["at", "topic", "channel", "outcome"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_turn_dashboard")
