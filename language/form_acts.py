"""The acts a reply performs at a step of the suggestion form, and which are possible where.

The model (rasa_addons/form_act.py) ranks every act for a message whatever the step; the form
(actions/suggestion_form.py) and the benchmark read the likeliest act possible at the step asked.
"""

from __future__ import annotations

# The acts a reply can perform at each step (the form reads the likeliest of these): a reply at
# the read-back or the reply question informs nothing, a suggestion's text corrects nothing.
ACTS = ("announce", "inform", "affirm", "deny", "hold", "cancel", "resume", "reply_chat", "reply_phone",
        "reply_none", "use_given_phone", "skip", "correct_category", "correct_place",
        "correct_text", "question", "other")  # fmt: skip
NOT_AT = {
    "text": {"affirm", "deny", "resume", "reply_chat", "reply_phone", "reply_none",
             "use_given_phone", "skip", "correct_category", "correct_place", "correct_text"},
    "reply": {"inform", "announce"},
    "confirm": {"inform", "skip", "announce"},
}  # fmt: skip


def act_at(step: str, ranking: list[tuple[str, float]]) -> tuple[str, float]:
    """The likeliest act that can be performed at `step`, and its share of the possible ones."""
    possible = [(name, p) for name, p in ranking if name not in NOT_AT.get(step, ())]
    total = sum(p for _, p in possible) or 1.0
    name, p = possible[0] if possible else ranking[0]
    return name, p / total
