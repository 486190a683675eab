"""Find the knowledge entries closest to a question: BM25 over their example questions and titles
(`language.retrieval`), so an entry is found before any model knows its intent."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from knowledge import faq_repo
from language.retrieval import Index, Match, clear_match, exact_form, exact_table
from store.models import FaqEntry


def documents(entries) -> list[tuple[str, str]]:
    """(entry id, text) for every example question, title and short answer of the entries that
    have examples (the answers' words reach 5 % more held-out questions: bench/retrieval.py)."""
    return [
        (entry.id, text)
        for entry in entries
        if entry.examples
        for text in (
            *entry.examples,
            entry.title_zh,
            entry.title_en,
            entry.answer_zh,
            entry.answer_en,
        )  # fmt: skip
        if text
    ]


@lru_cache(maxsize=4)
def _index(docs: tuple) -> Index:
    return Index(list(docs))


def index_of(entries: list[FaqEntry]) -> Index:
    """The index of `entries`, rebuilt only when one of their texts changed."""
    return _index(tuple(documents(entries)))


def ranked(session: Session, query: str, *, limit: int = 3) -> list[tuple[FaqEntry, Match]]:
    """The closest entries with their matches, best first."""
    entries = faq_repo.list_entries(session)
    by_id = {entry.id: entry for entry in entries}
    return [(by_id[m.key], m) for m in index_of(entries).search(query, limit=limit)]


def search(session: Session, query: str, *, limit: int = 3) -> list[FaqEntry]:
    """The entries whose questions are closest to `query`, best first."""
    return [entry for entry, _ in ranked(session, query, limit=limit)]


def clear_answer(found: list[tuple[FaqEntry, Match]]) -> FaqEntry | None:
    """The entry to answer with when the best match is clear."""
    match = clear_match([m for _, m in found])
    return found[0][0] if match else None


@lru_cache(maxsize=4)
def _exact_table(examples: tuple) -> dict[str, str | None]:
    return exact_table(list(examples))


def exact_answer(session: Session, question: str) -> FaqEntry | None:
    """The entry one of whose example questions `question` is, word for word (punctuation, spaces,
    width and a closing particle aside): what staff add is answered before any training. None
    when no example, or examples of two entries, read so."""
    key = _exact_table(tuple(faq_repo.example_questions(session))).get(exact_form(question))
    return session.get(FaqEntry, key) if key else None
