"""Find the knowledge entries closest to a question: jieba tokens over the entries' questions."""

from __future__ import annotations

import math
from collections import Counter

from sqlalchemy.orm import Session

from knowledge import faq_repo
from knowledge.models import FaqEntry
from language.search import tokens


def _document(entry: FaqEntry) -> list[str]:
    text = " ".join([entry.title_zh, entry.title_en, *entry.examples])
    return tokens(text)


def search(session: Session, query: str, *, limit: int = 3) -> list[FaqEntry]:
    """The entries whose questions share the most (IDF-weighted) tokens with `query`."""
    entries = [e for e in faq_repo.list_entries(session) if e.examples]
    documents = {entry.id: Counter(_document(entry)) for entry in entries}
    frequency = Counter(token for doc in documents.values() for token in doc)
    wanted = set(tokens(query))
    scored = []
    for entry in entries:
        doc = documents[entry.id]
        score = sum(
            math.log(1 + len(entries) / frequency[t]) * (1 + math.log(doc[t]))
            for t in wanted
            if t in doc
        )
        if score > 0:
            scored.append((score, entry.id, entry))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [entry for _, _, entry in scored[:limit]]
