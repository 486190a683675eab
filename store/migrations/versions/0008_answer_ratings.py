"""answer ratings (👍/👎) and one analytics row per resident turn (turn key)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 01:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("turn_key", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_conversation_turn_key", ["sender_hash", "turn_key"], unique=True
        )
    op.create_table(
        "answer_rating",
        sa.Column("turn_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["turn_id"], ["conversation_turn.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("turn_id"),
    )
    with op.batch_alter_table("answer_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_rating_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("answer_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_rating_entry_id"))
    op.drop_table("answer_rating")
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_turn_key")
        batch_op.drop_column("turn_key")
