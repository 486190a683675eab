"""sealed contacts: call-back numbers encrypted at rest; numbers held during a suggestion

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 23:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

suggestion = sa.table(
    "suggestion",
    sa.column("id", sa.Integer),
    sa.column("contact_phone", sa.String),
    sa.column("contact_phone_sealed", sa.Text),
)


def _copy(source: str, target: str, convert) -> None:
    """Every suggestion's `source` number, converted, into `target`."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(suggestion.c.id, suggestion.c[source]).where(suggestion.c[source].is_not(None))
    ).all()
    for row_id, value in rows:
        connection.execute(
            suggestion.update().where(suggestion.c.id == row_id).values({target: convert(value)})
        )


def upgrade() -> None:
    from store import contact_cipher

    op.create_table(
        "held_contact",
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("sender_hash", sa.String(length=64), nullable=False),
        sa.Column("phone_sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("held_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_held_contact_sender_hash"), ["sender_hash"])
        batch_op.create_index(batch_op.f("ix_held_contact_created_at"), ["created_at"])
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_phone_sealed", sa.Text(), nullable=True))
    _copy("contact_phone", "contact_phone_sealed", contact_cipher.seal)  # sealed from now on
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")


def downgrade() -> None:
    from store import contact_cipher

    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=32), nullable=True))
    _copy("contact_phone_sealed", "contact_phone", contact_cipher.unseal)
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_column("contact_phone_sealed")
    op.drop_table("held_contact")
