"""Search over suggestions by any part of a word: a character n-gram index in an ordinary table.

Each suggestion keeps `search_text` (its reference, masked text and place, folded: Simplified,
half-width, lower case, same length) and, in `suggestion_token`, every distinct character and
every pair of neighbouring characters of it. A query term of two or more characters narrows the
suggestions to those holding a few of its pairs (indexed lookups), then `LIKE '%term%'` on
`search_text` keeps only true substrings; a one-character term ("灯") is looked up as a character.

Why our own table and not FTS5's trigram tokenizer or PostgreSQL's pg_trgm: one code path for
both databases (the tests run on each), two-character Chinese words ("煤气", "路灯") that a
trigram index cannot serve, no database extension to install, and Alembic sees a plain table.
"""

from __future__ import annotations

import re

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from language.text import _fold_char, to_simplified
from store.models import Suggestion, SuggestionToken

PAIRS_LOOKED_UP = 1  # a longer term: one of its pairs narrows (indexed), LIKE confirms
_SPACE = re.compile(r"\s")


def fold(text: str) -> str:
    """`text` as search compares it: Simplified, half-width, lower case; the same length."""
    if not text:
        return ""
    return "".join(_fold_char(char) for char in to_simplified(text))


def search_text(suggestion: Suggestion) -> str:
    parts = (
        suggestion.reference,
        suggestion.text,
        suggestion.location_text,
        suggestion.location_std,
    )
    return fold(" ".join(p for p in parts if p))


def tokens(text: str) -> set[str]:
    """The index entries of `text`: each character and each pair of neighbours (no spaces)."""
    folded = fold(text or "")
    grams = {c for c in folded if not _SPACE.match(c)}
    pairs = zip(folded, folded[1:], strict=False)
    grams |= {a + b for a, b in pairs if not (_SPACE.match(a) or _SPACE.match(b))}
    return grams


def terms(query: str) -> list[str]:
    """The terms of a query (split at spaces), each of which must occur."""
    return sorted({t[:100] for t in fold(query or "").split() if t})


def query_words(query: str) -> list[str]:  # the name the queue used before
    return terms(query)


def index(session: Session, suggestion: Suggestion) -> None:
    """(Re)write the search text and the n-grams of one suggestion."""
    session.flush()
    suggestion.search_text = search_text(suggestion)
    session.execute(delete(SuggestionToken).where(SuggestionToken.suggestion_id == suggestion.id))
    session.add_all(
        SuggestionToken(token=t, suggestion_id=suggestion.id)
        for t in tokens(suggestion.search_text)
    )


def _pairs(term: str) -> list[str]:
    """The pairs of `term` looked up in the index: PAIRS_LOOKED_UP of them, spread over it."""
    pairs = list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))
    if len(pairs) <= PAIRS_LOOKED_UP:
        return pairs
    if PAIRS_LOOKED_UP == 1:
        return [pairs[len(pairs) // 2]]
    step = (len(pairs) - 1) / (PAIRS_LOOKED_UP - 1)
    return list(dict.fromkeys(pairs[round(i * step)] for i in range(PAIRS_LOOKED_UP)))


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def restrict(query: Select, words: list[str]) -> Select:
    """`query` over Suggestion narrowed to suggestions whose search text holds every term."""
    for term in words:
        grams = [term] if len(term) == 1 else _pairs(term)
        for gram in grams:
            query = query.where(
                Suggestion.id.in_(
                    select(SuggestionToken.suggestion_id).where(SuggestionToken.token == gram)
                )
            )
        if len(term) > 2:
            query = query.where(Suggestion.search_text.like(_like(term), escape="\\"))
    return query


def spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the query's terms occur in `text` (start, end), merged, in order."""
    folded, found = fold(text or ""), []
    for term in terms(query):
        start = folded.find(term)
        while start >= 0:
            found.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
