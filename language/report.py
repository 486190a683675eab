"""The report's own sentences, each with its section: a fact no entry states is answered with the
sentence of the report that states it (`knowledge/source/`), citing its section.

Plain text tools (no database): the report is split into sentences at 。 and ；, each labelled with
its part and numbered subsection ("一.3"); `stating_sentence` finds the one that shares the most
with a question asking for a fact (a sentence with a number when a number is asked for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from language.answer import NUMERIC_CUES, asks_for_fact, overlap
from language.catalogue import say
from language.glossary import chinese_words
from language.text import normalise

REPORT_FILE = (
    Path(__file__).resolve().parent.parent / "knowledge" / "source" / "000_17403e73c9389d9e.txt"
)
PART = re.compile(r"^([一二三四五六七八九十]+)、")
SUBSECTION = re.compile(r"^(\d+)\.")
_SPLIT = re.compile(r"(?<=[。；;！？])")
# what a number is asked in (多少钱, 几台, 满意率): the sentence must give a number in that unit
UNITS = [
    (re.compile(r"钱|费|元|cost|money|price|pay", re.I), re.compile(r"\d\s*(万|亿)?元")),
    (re.compile(r"率|比例|百分|percent|rate|%", re.I), re.compile(r"\d\s*%")),
    (re.compile(r"几台|多少台|几部|多少部|elevators|lifts"), re.compile(r"\d\s*台")),
    (
        re.compile(r"多少人|几个人|几人|人次|how many people", re.I),
        re.compile(r"\d\s*(万)?(人|名)"),
    ),
    (re.compile(r"几家|多少家"), re.compile(r"\d\s*(家|个)")),
    (re.compile(r"几个|多少个"), re.compile(r"\d\s*个")),
]
MIN_SHARED = 2  # character pairs (or words) a sentence must share with the question,
SHARE = 0.35  # ... and this share of the question's own
ENTRY_MARGIN = 2  # ... and this many more than the entry's best sentence


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str  # "一.3", or "一" before the first subsection


@lru_cache(maxsize=1)
def sentences() -> tuple[Sentence, ...]:
    """Every sentence of the report's body with its section."""
    part, sub, found = "", "", []
    for line in REPORT_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if PART.match(line):
            part, sub = PART.match(line).group(1), ""
            continue
        if SUBSECTION.match(line) and len(line) < 60:
            sub = SUBSECTION.match(line).group(1)
            continue
        if not part or len(line) < 20:
            continue
        for piece in _SPLIT.split(line):
            if len(piece.strip()) >= 8:
                found.append(Sentence(piece.strip(), f"{part}.{sub}" if sub else part))
    return tuple(found)


def _question_terms(question: str) -> str:
    """The question, with the Chinese words its English words stand for."""
    folded = normalise(question)
    return f"{folded} {' '.join(chinese_words(folded))}" if re.search(r"[a-z]", folded) else folded


QUOTED = re.compile(r"“([^”]{2,20})”")


@lru_cache(maxsize=1)
def named() -> dict[str, Sentence]:
    """Every “quoted” name of the report and the first sentence that names it."""
    found: dict[str, Sentence] = {}
    for sentence in sentences():
        for name in QUOTED.findall(sentence.text):
            found.setdefault(normalise(name), sentence)
    return found


def naming_sentence(question: str, known: str = "") -> Sentence | None:
    """The sentence of a “quoted” name of the report the question names (the longest such name),
    unless the answer already given (`known`) names it."""
    folded = normalise(question)
    for name in sorted(named(), key=len, reverse=True):
        if len(name) >= 2 and name in folded and name not in normalise(known):
            return named()[name]
    return None


def stating_sentence(question: str, better_than: int = 0, known: str = "") -> Sentence | None:
    """The report's sentence stating the fact `question` asks for: the one naming a “quoted” name
    the question names, else one sharing clearly more with the question than `better_than` (the
    entry's best sentence); None otherwise. `known`: the answer given anyway."""
    if not asks_for_fact(question):
        return None
    by_name = naming_sentence(question, known)
    if by_name:
        return by_name
    terms, numeric = _question_terms(question), bool(NUMERIC_CUES.search(question))
    units = [unit for cue, unit in UNITS if cue.search(question)]
    best, best_score = None, 0
    for sentence in sentences():
        if numeric and not re.search(r"\d", sentence.text):
            continue
        if units and not any(unit.search(sentence.text) for unit in units):
            continue
        score = overlap(terms, sentence.text)
        if score > best_score:
            best, best_score = sentence, score
    own = overlap(terms, terms)  # the question's content pairs and words
    needed = max(MIN_SHARED, better_than + ENTRY_MARGIN, round(SHARE * own))
    return best if best_score >= needed else None


def quote(sentence: Sentence, lang: str) -> str:
    """The sentence as said to a resident, with where it stands in the report."""
    return say("report_quote", lang, section=sentence.section, text=sentence.text)
