"""knowledge base editor: staff detail, the content imported last, entry versions

Entries nobody edited in the database get their content as "imported last" (the base of the
three-way comparison of imports); entries staff already edited keep none, so an import never
overwrites them. Every entry gets its current content as version 1 of its history.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:09:49.217591
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The synchronised fields as of this revision (knowledge.entries_io.SYNC_FIELDS).
FIELDS = (
    "title_zh", "title_en", "answer_zh", "detail_zh", "answer_en", "detail_en",
    "next_questions_zh", "next_questions_en", "source_zh", "source_en", "source_date",
    "awaiting_detail", "staff_detail_zh", "staff_detail_en", "examples", "last_reviewed",
)  # fmt: skip

TYPES = {
    "examples": sa.JSON, "next_questions_zh": sa.JSON, "next_questions_en": sa.JSON,
    "source_date": sa.Date, "last_reviewed": sa.Date, "awaiting_detail": sa.Boolean,
}  # fmt: skip


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def upgrade() -> None:
    op.create_table(
        "faq_entry_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("saved_by", sa.String(length=64), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["faq_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("faq_entry_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_faq_entry_version_entry_id"), ["entry_id"], unique=False
        )
    with op.batch_alter_table("faq_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("staff_detail_zh", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("staff_detail_en", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("imported", sa.JSON(), nullable=True))

    entry = sa.table(
        "faq_entry", sa.column("id", sa.String), sa.column("version", sa.Integer),
        sa.column("updated_by", sa.String), sa.column("imported", sa.JSON),
        *(sa.column(name, TYPES.get(name, sa.Text)) for name in FIELDS),
    )  # fmt: skip
    version = sa.table(
        "faq_entry_version", sa.column("entry_id", sa.String), sa.column("version", sa.Integer),
        sa.column("values", sa.JSON), sa.column("saved_by", sa.String),
        sa.column("saved_at", sa.DateTime), sa.column("note", sa.String),
    )  # fmt: skip
    connection = op.get_bind()
    rows = connection.execute(sa.select(entry)).mappings().all()
    for row in rows:
        values = {name: _plain(row[name]) for name in FIELDS}
        for name in ("examples", "next_questions_zh", "next_questions_en"):
            values[name] = values[name] or []
        values["source_date"] = _plain(_as_date(values["source_date"]))
        values["last_reviewed"] = _plain(_as_date(values["last_reviewed"]))
        values["awaiting_detail"] = bool(values["awaiting_detail"])
        if row["updated_by"] == "import":
            connection.execute(
                sa.update(entry).where(entry.c.id == row["id"]).values(imported=values)
            )
        connection.execute(
            sa.insert(version).values(
                entry_id=row["id"],
                version=row["version"],
                values=values,
                saved_by=row["updated_by"],
                saved_at=datetime.now(UTC),
                note="migration",
            )  # fmt: skip
        )


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    with op.batch_alter_table("faq_entry_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_entry_version_entry_id"))
    op.drop_table("faq_entry_version")
    with op.batch_alter_table("faq_entry", schema=None) as batch_op:
        batch_op.drop_column("imported")
        batch_op.drop_column("staff_detail_en")
        batch_op.drop_column("staff_detail_zh")
