"""publish jobs: train, test and load a new model from the console

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 01:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publish_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("running_accuracy", sa.Float(), nullable=True),
        sa.Column("candidate_accuracy", sa.Float(), nullable=True),
        sa.Column("conversation_result", sa.String(length=200), nullable=False),
        sa.Column("model_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("running", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("running"),
    )
    with op.batch_alter_table("publish_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publish_job_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("publish_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publish_job_state"))
    op.drop_table("publish_job")
