"""The unanswered list: the questions the assistant could not answer (masked text, never unmasked),
grouped by similarity, and what staff made of each group: an example question of an entry, a new
entry, or dismissed. Handling marks every turn of the group (audited) and it leaves the list.

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

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from store import audit_repo

from knowledge import faq_repo, faq_search, training_data
from store.models import AuditEntry, ConversationTurn, FaqEntry, utcnow
from language.noise import looks_random
from core.settings import ROOT
from language.retrieval import features
from language.text import normalise

MAX_ROWS = 2000  # the newest open turns read
SIMILAR = 0.5  # cosine to a group's first wording to join it
SUGGEST = 0.2  # retrieval confidence of the best entry to suggest it
SUGGEST_WORDINGS = 5  # a group's most asked wordings searched for a suggestion
LIKELY = 3  # entries offered first in a group's picker
MAX_EXAMPLE = 200  # characters of an example question (retrieval reads no more)
HANDLED_AS = ("example", "new_entry", "dismissed")
AUDIT_ACTIONS = {"example": "unanswered_example", "new_entry": "unanswered_new_entry",
                 "dismissed": "unanswered_dismiss"}  # fmt: skip
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


def _handle(
    session: Session, *, turn_ids: list[int], by: str, handled_as: str,
    entry_id: str | None = None, example: str | None = None,
) -> int:  # fmt: skip
    """Mark the still open turns among `turn_ids` handled (audited); how many were (0: none
    was open any more, nothing audited)."""
    if handled_as not in HANDLED_AS:
        raise ValueError(handled_as)
    ids = sorted({int(i) for i in turn_ids})[:MAX_ROWS]
    # one UPDATE: when two editors handle the same group at once, the second marks nothing
    marked = session.execute(
        update(ConversationTurn)
        .where(ConversationTurn.id.in_(ids), ConversationTurn.outcome != "answered",
               ConversationTurn.handled_at.is_(None))
        .values(handled_at=utcnow(), handled_by=by[:64], handled_as=handled_as,
                handled_entry_id=entry_id)
        .returning(ConversationTurn.id)
    ).scalars().all()  # fmt: skip
    if not marked:
        return 0
    after = {"turns": len(marked), "turn_ids": sorted(marked)[:100], "entry": entry_id}
    if example:
        after["example"] = example
    audit_repo.record(session, actor=by, action=AUDIT_ACTIONS[handled_as],
                      object_type="conversation_turn", object_id=min(marked), after=after)  # fmt: skip
    return len(marked)


def add_as_example(
    session: Session, *, turn_ids: list[int], entry_id: str, example: str, editor: str
) -> FaqEntry:
    """Add `example` to the entry's example questions as the editor saves (a new version, audited)
    and mark the group handled. Reachable by chat at once (retrieval), by the model after Publish."""
    entry = session.get(FaqEntry, entry_id)
    if entry is None:
        raise LookupError(entry_id)
    example = check_example(session, example, intent=entry.intent)
    if not _handle(session, turn_ids=turn_ids, by=editor, handled_as="example",
                   entry_id=entry_id, example=example):  # fmt: skip
        raise LookupError("already handled")
    return faq_repo.save_entry(session, entry_id, editor=editor,
                               values={"examples": [*entry.examples, example]},
                               note="example question from the unanswered list")  # fmt: skip


def dismiss(session: Session, *, turn_ids: list[int], by: str) -> int:
    """Not a question for the town: the group leaves the list (audited); how many turns."""
    if not (count := _handle(session, turn_ids=turn_ids, by=by, handled_as="dismissed")):
        raise LookupError("already handled")
    return count


def made_new_entry(session: Session, *, turn_ids: list[int], entry_id: str, by: str) -> int:
    """A new entry was made from the group (the editor's /entries/new): the group leaves."""
    return _handle(session, turn_ids=turn_ids, by=by, handled_as="new_entry", entry_id=entry_id)


def examples_added_since(session: Session, since: datetime | None) -> int:
    """How many example questions the unanswered list added since `since` (e.g. the last training)."""
    query = select(func.count()).where(AuditEntry.action == AUDIT_ACTIONS["example"])
    if since is not None:
        query = query.where(AuditEntry.at > since)
    return session.scalar(query) or 0


def parse_ids(text: str | None) -> list[int]:
    """Turn ids from a form's comma-separated field; anything else is ignored."""
    return [int(part) for part in (text or "").split(",")[:MAX_ROWS] if part.strip().isdigit()]
