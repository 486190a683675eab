"""search by any part of a word: suggestion.search_text and character n-grams in suggestion_token

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TOKENS = sa.table("suggestion_token", sa.column("token"), sa.column("suggestion_id"))
SUGGESTIONS = sa.table(
    "suggestion", sa.column("id"), sa.column("search_text"), sa.column("reference"),
    sa.column("text"), sa.column("location_text"), sa.column("location_std"),
)  # fmt: skip


def _rebuild(tokens_of) -> None:
    connection = op.get_bind()
    connection.execute(sa.delete(TOKENS))
    columns = ("id", "reference", "text", "location_text", "location_std")
    rows = connection.execute(sa.select(*(SUGGESTIONS.c[c] for c in columns))).all()
    values = []
    for row in rows:
        tokens, text = tokens_of(row)
        if text is not None:
            connection.execute(
                sa.update(SUGGESTIONS).where(SUGGESTIONS.c.id == row.id).values(search_text=text)
            )
        values += [{"token": t, "suggestion_id": row.id} for t in tokens]
        if len(values) > 5000:
            op.bulk_insert(TOKENS, values)
            values = []
    if values:
        op.bulk_insert(TOKENS, values)


def upgrade() -> None:
    from store.search_index import fold, tokens

    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))

    def grams(row):
        parts = (row.reference, row.text, row.location_text, row.location_std)
        text = fold(" ".join(p for p in parts if p))
        return tokens(text), text

    _rebuild(grams)


def downgrade() -> None:
    from language.text import jieba_tokenizer, normalise

    word = re.compile(r"\w")

    def words(row):  # the jieba tokens 0005 to 0012 searched
        cut = jieba_tokenizer().cut_for_search(normalise(f"{row.text} {row.location_text or ''}"))
        return {w.strip()[:32] for w in cut if w.strip() and word.search(w)}, None

    # first: SQLite's batch mode copies the table, and dropping the old one cascades to the tokens
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_column("search_text")
    _rebuild(words)
