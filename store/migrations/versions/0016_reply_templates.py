"""reply templates in the database, edited by staff (seeded from knowledge/reply_templates.yml
by scripts/import_entries.py)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_key", sa.String(length=32), nullable=False),
        sa.Column("title_zh", sa.String(length=64), nullable=False),
        sa.Column("title_en", sa.String(length=100), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("imported_title", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reply_template", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reply_template_category_key"), ["category_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reply_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reply_template_category_key"))
    op.drop_table("reply_template")
