"""The unanswered list: the questions the assistant could not answer (masked text, never unmasked),
grouped by similarity, with the entry closest to each group, and the checks an example question
taken from them passes. What staff make of a group is `store/unanswered_handling.py`.

Grouping is greedy and deterministic: the distinct wordings (normalised) most asked first, each
joining the group whose first wording is most similar (cosine of their search words and character
pairs, `language.retrieval.features`) when at least `SIMILAR`, else starting a group.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import ROOT
from knowledge import faq_repo, faq_search, training_data
from language.noise import looks_random
from language.retrieval import features
from language.text import normalise
from store.models import ConversationTurn, FaqEntry

MAX_ROWS = 2000  # the newest open turns read
SIMILAR = 0.5  # cosine to a group's first wording to join it
SUGGEST = 0.2  # retrieval confidence of the best entry to suggest it
SUGGEST_WORDINGS = 5  # a group's most asked wordings searched for a suggestion
LIKELY = 3  # entries offered first in a group's picker
MAX_EXAMPLE = 200  # characters of an example question (retrieval reads no more)
MASK = re.compile(r"[*＊]")  # what `language.nlp.mask` leaves of a phone, ID or e-mail
PERSONAL = re.compile(r"\d[\d\s\-]{5,}\d|@")  # a phone or ID number, an e-mail, typed by staff
_SPACES = re.compile(r"\s+")
NLU_DATA = ROOT / "nlu_data"


class ExampleRefused(ValueError):
    """An example question that cannot be saved: `reason` is empty, too_long, masked, personal,
    exists or duplicate (then `other` is the intent that has it already)."""

    def __init__(self, reason: str, other: str = "") -> None:
        super().__init__(f"{reason} {other}".strip())
        self.reason, self.other = reason, other


@dataclass
class Group:
    """Similar unanswered questions: the most asked wording first."""

    text: str
    count: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    members: list[tuple[str, int]] = field(default_factory=list)  # (masked text, times asked)
    turn_ids: list[int] = field(default_factory=list)
    topics: Counter = field(default_factory=Counter)  # the model's topic of each turn
    suggested: FaqEntry | None = None
    suggested_confidence: float = 0.0
    likely: list[FaqEntry] = field(
        default_factory=list
    )  # the LIKELY closest entries, closest first
    topic: str = ""  # the guessed topic of a new entry

    @property
    def random(self) -> bool:
        """Every wording looks like random typing (language/noise.py)."""
        return all(looks_random(text) for text, _ in self.members)

    @property
    def masked(self) -> bool:
        """The wording still holds a masked value: staff must rewrite it before saving."""
        return bool(MASK.search(self.text))


def _key(text: str) -> str:
    return _SPACES.sub(" ", normalise(text or "").strip())


def _cosine(a: frozenset, b: frozenset) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def open_turns(session: Session, *, limit: int = MAX_ROWS) -> list[ConversationTurn]:
    """The newest unanswered turns with text that nobody handled yet, newest first (an emergency
    given its number was answered)."""
    emergency = ConversationTurn.intent.like("hotline\\_emergency%", escape="\\")
    query = select(ConversationTurn).where(
        ConversationTurn.outcome != "answered",
        ~((ConversationTurn.outcome == "handoff") & emergency),  # answered with 110/119/120
        ConversationTurn.handled_at.is_(None),
        ConversationTurn.masked_text.is_not(None),
        ConversationTurn.masked_text != "",
    )
    return list(session.scalars(query.order_by(ConversationTurn.id.desc()).limit(limit)))


def group_turns(turns: list[ConversationTurn]) -> list[Group]:
    """Group the turns by similarity (no database): the largest groups first, then the newest."""
    wordings: dict[str, list[ConversationTurn]] = defaultdict(list)
    for turn in turns:
        if key := _key(turn.masked_text):
            wordings[key].append(turn)
    order = sorted(wordings, key=lambda k: (-len(wordings[k]), -max(t.id for t in wordings[k]), k))
    groups: list[Group] = []
    heads: list[frozenset] = []
    postings: dict[str, list[int]] = defaultdict(list)
    for key in order:
        found = frozenset(features(key))
        candidates = sorted({g for term in found for g in postings.get(term, ())})
        best, score = None, SIMILAR
        for g in candidates:
            similarity = _cosine(found, heads[g])
            if similarity >= score and (best is None or similarity > score):
                best, score = g, similarity
        members = sorted(wordings[key], key=lambda t: t.id)
        if best is None:
            best = len(groups)
            groups.append(Group(text=members[-1].masked_text.strip()))
            heads.append(found)
            for term in found:
                postings[term].append(best)
        group = groups[best]
        group.members.append((members[-1].masked_text.strip(), len(members)))
        group.count += len(members)
        group.turn_ids += [t.id for t in members]
        group.topics.update(t.topic for t in members if t.topic)
        first, last = members[0].at, members[-1].at
        group.first_seen = min(group.first_seen or first, first)
        group.last_seen = max(group.last_seen or last, last)
    # random typing last however often it came, then the largest groups, then the newest
    return sorted(groups, key=lambda g: (g.random, -g.count, -max(g.turn_ids)))


def suggest(session: Session, groups: list[Group]) -> None:
    """Give each group the entry closest to its wordings (mean retrieval confidence over its most
    asked wordings, weighted by times asked), if close enough, and a topic for a new entry."""
    entries = faq_repo.list_entries(session)
    by_id, topics = {e.id: e for e in entries}, {e.topic for e in entries}
    index = faq_search.index_of(entries)
    for group in groups:
        votes: Counter = Counter()
        wordings = group.members[:SUGGEST_WORDINGS]
        for text, times in wordings:
            for match in index.search(text, limit=3):
                votes[match.key] += match.confidence * times
        asked = sum(times for _, times in wordings) or 1
        ranked = sorted(votes, key=lambda key: (-votes[key], key))
        group.likely = [by_id[key] for key in ranked[:LIKELY]]
        best = ranked[0] if ranked else None
        if best and votes[best] / asked >= SUGGEST:
            group.suggested, group.suggested_confidence = by_id[best], votes[best] / asked
        known = [topic for topic, _ in group.topics.most_common() if topic in topics]
        # a new entry's topic: the closest entry's even when too far to suggest, else the model's
        group.topic = by_id[best].topic if best else (known[0] if known else "")


def wordings(session: Session, *, turn_ids: list[int]) -> list[str]:
    """The distinct wordings of these open turns, the most asked first (a group's questions)."""
    counts: Counter = Counter()
    texts: dict[str, str] = {}
    query = select(ConversationTurn).where(
        ConversationTurn.id.in_(turn_ids), ConversationTurn.handled_at.is_(None)
    )
    for turn in session.scalars(query.order_by(ConversationTurn.id.desc())):
        if key := _key(turn.masked_text):
            counts[key] += 1
            texts.setdefault(key, turn.masked_text.strip())
    return [texts[key] for key, _ in counts.most_common()]


def new_entry_examples(session: Session, example: str, *, turn_ids: list[int]) -> list[str]:
    """The example questions a new entry made from a group starts with: `example` (checked, else
    `ExampleRefused`), then every other wording of the group that an entry may take."""
    found = [check_example(session, example, intent=None)]
    for text in wordings(session, turn_ids=turn_ids):
        try:
            text = check_example(session, text, intent=None)
        except ExampleRefused:
            continue  # masked, personal, or another entry's: the clerk may add it by hand
        if _key(text) not in {_key(known) for known in found}:
            found.append(text)
    return found


def unanswered_groups(
    session: Session, *, rows: int = MAX_ROWS, groups: int = 100
) -> tuple[list[Group], int, int]:
    """The groups to show (the largest `groups`, with suggestions), how many open turns (of the
    newest `rows`) and how many groups there are in all."""
    found = group_turns(open_turns(session, limit=rows))
    shown = found[:groups]
    suggest(session, shown)
    return shown, sum(g.count for g in found), len(found)


@lru_cache(maxsize=2)
def _written(data_dir: str, stamp: tuple) -> dict[str, str]:
    found: dict[str, str] = {}
    for text, intent in training_data.written_examples(Path(data_dir)).items():
        found.setdefault(_key(text), intent)
    return found


def written_examples(data_dir: Path = NLU_DATA) -> dict[str, str]:
    """The example questions written in nlu_data/ (normalised), each with its intent: the
    training data refuses an example under two intents (`knowledge.training_data`)."""
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(data_dir.glob("*.yml")))
    return _written(str(data_dir), stamp)


def check_example(session: Session, text: str, *, intent: str | None) -> str:
    """The example question, trimmed, if an entry of `intent` (None: a new entry) may take it;
    else `ExampleRefused`."""
    example = _SPACES.sub(" ", (text or "").strip())
    if not example:
        raise ExampleRefused("empty")
    if len(example) > MAX_EXAMPLE:
        raise ExampleRefused("too_long")
    if MASK.search(example):
        raise ExampleRefused("masked")
    if PERSONAL.search(normalise(example)):
        raise ExampleRefused("personal")
    key = _key(example)
    for entry in faq_repo.list_entries(session):
        if any(_key(known) == key for known in entry.examples):
            raise ExampleRefused("exists" if entry.intent == intent else "duplicate", entry.intent)
    other = written_examples().get(key)
    if other and other != intent:
        raise ExampleRefused("duplicate", other)
    return example
