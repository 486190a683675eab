"""Which emergency line fits a message: fire or gas → 119, someone hurt → 120, a crime → 110."""

from __future__ import annotations

import re

from knowledge.text import normalise

KINDS: dict[str, re.Pattern[str]] = {
    "fire": re.compile(r"火|烟|煤气|燃气|爆炸|\bfire\b|smoke|\bgas\b|explo"),
    "medical": re.compile(
        r"晕|昏|倒在|摔倒|心脏|呼吸|流血|出血|受伤|抽搐|不省人事|中风|collaps|breath|bleed|injur|unconscious|heart"
    ),
    "police": re.compile(
        r"抢|偷|撬|打架|持刀|拿着刀|砸|杀|绑架|跳楼|burglar|thie|rob|fight|knife|attack"
    ),
}


def emergency_intents(text: str) -> list[str]:
    """Entry intents for the kinds the message mentions, most specific first; the general one last."""
    normalised = normalise(text or "")
    kinds = [kind for kind, pattern in KINDS.items() if pattern.search(normalised)]
    return [f"hotline_emergency_{kind}" for kind in kinds] + ["hotline_emergency"]
