"""a clerk's day: forwarded department, urgent acknowledgement, staff notifications, forced
password change, English answers flagged out of date

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forwarded_to", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), nullable=False,
                      server_default=sa.false())
        )  # fmt: skip
    with op.batch_alter_table("faq_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answer_en_outdated", sa.Boolean(), nullable=False,
                      server_default=sa.false())
        )  # fmt: skip
    op.create_table(
        "staff_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["staff_account.id"]),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestion.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff_notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_notification_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_notification_account_id"))
    op.drop_table("staff_notification")
    with op.batch_alter_table("faq_entry", schema=None) as batch_op:
        batch_op.drop_column("answer_en_outdated")
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("acknowledged_by")
        batch_op.drop_column("forwarded_to")
