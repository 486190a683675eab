"""Which emergency line fits a message: fire or gas → 119, someone hurt → 120, a crime → 110.

Chinese is matched by phrases (吸烟 is not a fire, 燃气费 is not a leak); English on word
boundaries, so "problem" does not contain a robbery and "assistance adviser" is no emergency.
"""

from __future__ import annotations

import re

from language.text import normalise

KINDS: dict[str, re.Pattern[str]] = {
    "fire": re.compile(
        r"着火|起火|失火|火灾|火警|大火|冒烟|烟雾|浓烟|烧焦|烧起来|煤气味|燃气味|煤气泄漏|燃气泄漏|"
        r"煤气漏|燃气漏|漏气了|有煤气|爆炸|被困|困在电梯|困住|困人|"
        r"\bfire\b|\bon fire\b|\bsmoke\b|\bsmoky\b|\bburning\b|\bsmell(s|ing)? (of )?gas\b|\bgas smell|"
        r"\bgas leak|\bexplo(sion|ded)\b|\btrapped\b"
    ),
    "medical": re.compile(
        r"晕倒|昏倒|昏迷|晕过去|昏过去|倒在地|倒地|摔倒|跌倒|摔伤|摔下|心脏病|喘不上气|呼吸困难|"
        r"没有呼吸|没呼吸|流血|出血|流了.{0,3}血|好多血|很多血|受伤|抽搐|不省人事|中风|触电|"
        r"\bcollapsed?\b|\bcan'?t breathe\b|\bnot breathing\b|\bbleeding\b|\binjured\b|"
        r"\bunconscious\b|\bheart attack\b|\bfell\b|\bfallen\b|\bstroke\b|\belectrocuted\b"
    ),
    "police": re.compile(
        r"抢劫|抢包|抢东西|有人抢|小偷|偷东西|被偷|撬门|撬锁|打架|打人|持刀|拿着刀|拿刀|砸车|砸东西|"
        r"杀人|绑架|跳楼|家暴|"
        r"\bburglar|\bthie(f|ves)\b|\brob(bed|bery|bing|ber|bers)?\b|\bfight(ing)?\b|"
        r"\bknife\b|\battack(ed|ing)?\b|\bstolen\b|\bviolen(ce|t)\b|\bstabb(ed|ing)\b"
    ),
}
GENERAL = re.compile(r"救命|救救|紧急情况|快来人|出事了|\bemergency\b|\bhelp me\b|\bsos\b")


def emergency_kinds(text: str) -> list[str]:
    """The kinds of emergency `text` describes ('fire', 'medical', 'police'), in that order."""
    normalised = normalise(text or "")
    return [kind for kind, pattern in KINDS.items() if pattern.search(normalised)]


def is_emergency(text: str) -> bool:
    """True when `text` describes an emergency or calls for help."""
    return bool(emergency_kinds(text)) or bool(GENERAL.search(normalise(text or "")))


EMERGENCY_LIKELY = 0.4  # the model's probability of an emergency that calls for the numbers
# an answer to one of the form's questions ("Jinshajiang Road near the bus stop") is rarely an
# emergency that no rule words: the model alone must be this sure there
EMERGENCY_IN_AN_ANSWER = 0.75
# ... and surer still when the reply also does something else ("等一下，我妈不见了！" holds the form)
EMERGENCY_BESIDE_AN_ANSWER = 0.85
NUISANCE_SURE = 0.2
# the intent model read the message this surely as something else (a question about care at
# home, the elevator figures): the emergency model alone must be sure too
ANOTHER_READING_SURE, EMERGENCY_OVER_ANOTHER_READING = 0.5, 0.75
# the pipeline turns a message into the emergency intent on the model alone only this surely
# (a question read faintly, "my dad gets lost when he goes out", stays a question)
EMERGENCY_OVERRIDE = 0.6
QUESTION_SURE = 0.7  # a message read this surely as a question ...
EMERGENCY_IN_A_QUESTION = 0.85  # ... is an emergency by the model alone only this surely  # under this, a rule's word is a figure of speech ("救命啊 楼上天天跑跳")


def asks(form_act: dict | None) -> bool:
    """The message was read as a question (`form_act`): "is there long-term care for my grandma?"
    reports no emergency unless a rule's words say so, or the model is very sure."""
    act = form_act or {}
    return act.get("name") == "question" and act.get("confidence", 0) >= QUESTION_SURE


def read_kinds(text: str, reading: dict | None, likely: float = EMERGENCY_LIKELY) -> list[str]:
    """The emergency kinds of a message from the rules and the model's reading (`emergency` on the
    parsed message, rasa_addons/emergency.py): a rule's match stands unless the model is sure it
    is a nuisance; the model alone finds what no rule words ("楼道里全是烟 看不见路"), when an
    emergency kind is its likeliest reading and the emergency kinds together reach `likely`."""
    rule = emergency_kinds(text) or (["general"] if GENERAL.search(normalise(text or "")) else [])
    if not reading:
        return rule
    p_emergency = float(reading.get("p_emergency") or 0)
    if rule:
        return rule if p_emergency >= NUISANCE_SURE else []
    name = reading.get("name")
    return [name] if name in KINDS and p_emergency >= likely else []


def intents_for(kinds: list[str]) -> list[str]:
    """Entry intents for `kinds`, most specific first; the general one last."""
    return [f"hotline_emergency_{kind}" for kind in kinds if kind in KINDS] + ["hotline_emergency"]
