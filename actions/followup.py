"""A short follow-up leans on the answer before it: "那钱是谁出的？" after an elevator answer is
about elevators, "開工的呢" after the elevator figures asks the next figure.

The pipeline gives every topic's likeliest entry (`topic_intents`, rasa_addons/topic_classifier.py);
when a short message is read as out of scope, unclear or another topic only faintly, the entry of
the previous answer's topic (slot `last_topic`) answers it instead.
"""

from __future__ import annotations

from rasa_sdk import Tracker

FOLLOW_UP_LENGTH = 15  # characters (or 40 for English): a follow-up is short
OWN_TOPIC_SURE = 0.6  # a message read as another topic this surely is a new question
WITHIN_TOPIC = 0.2  # the previous topic's entry must be at least this likely within its topic
NEW_QUESTION = {"greet", "goodbye", "thank", "affirm", "deny", "bot", "human", "suggestion"}


def follow_up_intent(tracker: Tracker) -> str | None:
    """The previous topic's entry that a short follow-up asks about, or None."""
    latest, last = tracker.latest_message, tracker.get_slot("last_topic")
    text = (latest.get("text") or "").strip()
    limit = 40 if text.isascii() else FOLLOW_UP_LENGTH
    if not last or not text or len(text) > limit or text.startswith("/"):
        return None
    intent = latest.get("intent") or {}
    name, confidence = intent.get("name") or "", intent.get("confidence") or 0
    topic = name.split("_", 1)[0]
    if topic in NEW_QUESTION or name.startswith("hotline_emergency") or name.startswith(last):
        return None
    if name not in ("out_of_scope", "nlu_fallback") and confidence >= OWN_TOPIC_SURE:
        return None
    within = (latest.get("topic_intents") or {}).get(last) or {}
    return within.get("name") if within.get("confidence", 0) >= WITHIN_TOPIC else None
