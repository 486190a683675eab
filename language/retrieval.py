"""BM25 over the knowledge entries' example questions: jieba words and character pairs, so a
typo, a Traditional character or a word jieba splits differently still shares most features.

Pure text (no database): the fallback action builds an index from the entries it reads, and
`bench/retrieval.py` from the entry files. An entry's score is its best example's score;
`confidence` is that score over the score the question would get against itself, so 1.0 is a
question asked word for word as an example.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from language.search import tokens
from language.text import normalise

K1, B = 1.2, 0.75
CLEAR_CONFIDENCE = 0.5  # `python -m bench.retrieval` measures these two
CLEAR_MARGIN = 1.25  # the best entry's score over the second's
MAX_QUERY = 200  # characters of a question that are searched
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def features(text: str) -> list[str]:
    """Search words of `text` and the character pairs of its Chinese runs."""
    text = (text or "")[:MAX_QUERY]
    pairs = [
        "§" + run[i : i + 2]
        for run in _CJK_RUN.findall(normalise(text))
        for i in range(len(run) - 1)
    ]
    return tokens(text) + pairs


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    confidence: float


class Index:
    """BM25 over short documents, each belonging to a key (an entry id)."""

    def __init__(self, documents: list[tuple[str, str]]) -> None:
        self.keys = [key for key, _ in documents]
        self.docs = [Counter(features(text)) for _, text in documents]
        self.lengths = [sum(doc.values()) for doc in self.docs]
        self.average = (sum(self.lengths) / len(self.docs)) if self.docs else 1.0
        frequency = Counter(term for doc in self.docs for term in doc)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            for term in doc:
                self.postings[term].append(i)

    def _weight(self, tf: float, length: float) -> float:
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.average))

    def search(self, query: str, limit: int = 3) -> list[Match]:
        """The best keys for `query`, best first (each key once, by its best document)."""
        wanted = Counter(features(query))
        if not wanted or not self.docs:
            return []
        scores: dict[int, float] = defaultdict(float)
        for term in wanted:
            for i in self.postings.get(term, ()):
                scores[i] += self.idf[term] * self._weight(self.docs[i][term], self.lengths[i])
        best: dict[str, float] = {}
        for i, score in scores.items():
            key = self.keys[i]
            best[key] = max(best.get(key, 0.0), score)
        length = sum(wanted.values())
        itself = sum(self.idf.get(t, self.unseen_idf) * self._weight(tf, length)
                     for t, tf in wanted.items())  # fmt: skip
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Match(key, score, min(1.0, score / itself)) for key, score in ranked]


_NOT_WORD = re.compile(r"[\W_]+")
_GREETING = re.compile(r"^(?:请问|你好|您好|问一下|问下)+")
_PARTICLES = re.compile(r"[啊呀呢吧哦嘛吗]+$")


def exact_form(text: str) -> str:
    """A question as compared with the example questions word for word: normalised (Simplified,
    half-width, lower case), without spaces, punctuation or emoji, a leading 请问 or closing 吗."""
    form = _NOT_WORD.sub("", normalise((text or "")[:MAX_QUERY]))
    return _PARTICLES.sub("", _GREETING.sub("", form)) or form


def exact_table(examples: list[tuple[str, str]]) -> dict[str, str | None]:
    """Each example question's exact form → its key; None when examples of two keys share it."""
    table: dict[str, str | None] = {}
    for key, text in examples:
        form = exact_form(text)
        if form:
            table[form] = key if table.get(form, key) == key else None
    return table


def clear_match(matches: list[Match]) -> Match | None:
    """The best match when it is clear enough to answer with, not only to offer as a button."""
    if not matches or matches[0].confidence < CLEAR_CONFIDENCE:
        return None
    if len(matches) > 1 and matches[0].score < CLEAR_MARGIN * matches[1].score:
        return None
    return matches[0]
