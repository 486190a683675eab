"""Chinese search over suggestions: jieba tokens of the masked text in an indexed table.

Neither SQLite's nor PostgreSQL's full-text search splits Chinese words, so each suggestion's
text is cut once (jieba's search mode: whole words and the words inside them) into
`suggestion_token`; a query is cut into words and every word must be among a suggestion's tokens.
"""

from __future__ import annotations

import re

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from knowledge.models import Suggestion, SuggestionToken
from language.text import jieba_tokenizer, normalise

_WORD = re.compile(r"\w")
MAX_TOKEN = 32


def tokens(text: str) -> set[str]:
    """The distinct search tokens of `text` (normalised: Simplified, lower case)."""
    words = jieba_tokenizer().cut_for_search(normalise(text or ""))
    return {w[:MAX_TOKEN] for w in (w.strip() for w in words) if w and _WORD.search(w)}


def query_words(query: str) -> list[str]:
    """The words of a search query, each of which must match."""
    words = jieba_tokenizer().cut(normalise(query or ""))
    return sorted({w[:MAX_TOKEN] for w in (w.strip() for w in words) if w and _WORD.search(w)})


def index(session: Session, suggestion: Suggestion) -> None:
    """(Re)write the search tokens of one suggestion (its text and its place)."""
    session.flush()
    session.execute(delete(SuggestionToken).where(SuggestionToken.suggestion_id == suggestion.id))
    text = f"{suggestion.text} {suggestion.location_text or ''} {suggestion.location_std or ''}"
    session.add_all(SuggestionToken(token=t, suggestion_id=suggestion.id) for t in tokens(text))


def restrict(query: Select, words: list[str]) -> Select:
    """`query` over Suggestion narrowed to suggestions that hold every word."""
    for word in words:
        query = query.where(
            Suggestion.id.in_(
                select(SuggestionToken.suggestion_id).where(SuggestionToken.token == word)
            )
        )
    return query
