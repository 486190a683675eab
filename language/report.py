"""The report's own sentences, each with its section: a fact no entry states is answered with the
sentence of the report that states it (`knowledge/source/`), citing its section.

Plain text tools (no database): the report is split into sentences at 。 and ；, each labelled with
its part and numbered subsection ("一.3"); `stating_sentence` finds the one that shares the most
with a question asking for a fact (a sentence with a number when a number is asked for). What is
shared is weighted by how rare it is in the report: "信泰" (in three sentences) says far more about
which sentence is meant than "中心" or "长征" (in dozens), and words the report never uses (啥辰光,
阿拉) count against a match as the question's own that nothing states.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from language.answer import NUMERIC_CUES, asks_for_fact, content_units, overlap
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
# A sentence states what the question asks when what they share weighs at least MIN_WEIGHT and
# SHARE of the question's own weight (each piece weighs its inverse frequency among the report's
# sentences; one the report never uses weighs ABSENT_WEIGHT); against an entry's answer, it must
# also share ENTRY_MARGIN more pieces than the entry's best sentence. Chosen on the development
# set (bench/data/dev facts and out-of-scope) and the out-of-scope training examples: 6 of 680 of
# these get a sentence.
MIN_WEIGHT = 4.0
SHARE = 0.4
ABSENT_WEIGHT = 1.5
ENTRY_MARGIN = 2


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


@lru_cache(maxsize=1)
def _lowered() -> tuple[str, ...]:
    return tuple(sentence.text.lower() for sentence in sentences())


@lru_cache(maxsize=4096)
def weight(unit: str) -> float:
    """How much sharing `unit` (a character pair, number or word) with a sentence tells: its
    inverse frequency among the report's sentences; ABSENT_WEIGHT when the report never uses it."""
    found = sum(unit in text for text in _lowered())
    return math.log((len(_lowered()) + 1) / (found + 0.5)) if found else ABSENT_WEIGHT


def stating_sentence(question: str, better_than: int = 0, known: str = "") -> Sentence | None:
    """The report's sentence stating the fact `question` asks for: the one naming a “quoted” name
    the question names, else the one sharing the most with the question, weighted by rarity, when
    that is enough (and, when an entry's best sentence shares `better_than` pieces, clearly more);
    None otherwise. `known`: the answer given anyway."""
    if not asks_for_fact(question):
        return None
    by_name = naming_sentence(question, known)
    if by_name:
        return by_name
    terms, numeric = _question_terms(question), bool(NUMERIC_CUES.search(question))
    units = [unit for cue, unit in UNITS if cue.search(question)]
    pieces = content_units(terms)
    best, best_score = None, 0.0
    for sentence, text in zip(sentences(), _lowered(), strict=True):
        if numeric and not re.search(r"\d", text):
            continue
        if units and not any(unit.search(sentence.text) for unit in units):
            continue
        score = sum(weight(piece) for piece in pieces if piece in text)
        if score > best_score:
            best, best_score = sentence, score
    own = sum(weight(piece) for piece in pieces)
    if best is None or best_score < max(MIN_WEIGHT, SHARE * own):
        return None
    if better_than and overlap(terms, best.text) < better_than + ENTRY_MARGIN:
        return None
    return best


def quote(sentence: Sentence, lang: str) -> str:
    """The sentence as said to a resident, with where it stands in the report."""
    return say("report_quote", lang, section=sentence.section, text=sentence.text)
