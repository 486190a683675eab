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


def upgrade() -> None:
    from knowledge import contact_cipher

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
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(suggestion.c.id, suggestion.c.contact_phone).where(
            suggestion.c.contact_phone.is_not(None)
        )
    ).all()
    for row in rows:  # the numbers stored in clear before this version are sealed
        connection.execute(
            suggestion.update()
            .where(suggestion.c.id == row.id)
            .values(contact_phone_sealed=contact_cipher.seal(row.contact_phone))
        )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")


def downgrade() -> None:
    from knowledge import contact_cipher

    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=32), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(suggestion.c.id, suggestion.c.contact_phone_sealed).where(
            suggestion.c.contact_phone_sealed.is_not(None)
        )
    ).all()
    for row in rows:
        connection.execute(
            suggestion.update()
            .where(suggestion.c.id == row.id)
            .values(contact_phone=contact_cipher.unseal(row.contact_phone_sealed))
        )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_column("contact_phone_sealed")
    op.drop_table("held_contact")
