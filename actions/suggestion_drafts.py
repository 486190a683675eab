"""A cancelled draft set aside for a change of mind, and a number the resident gave earlier.

A cancelled draft is never stored as a suggestion: it stays in the conversation's own slot
`suggestion_cancelled` for `KEEP_SECONDS`, so "哎呀还是提交吧" restores it (and reads it back:
only an explicit yes saves). After that it is forgotten.
"""

from __future__ import annotations

import time

from rasa_sdk import Tracker

KEEP_SECONDS = 30 * 60
KEPT = ("suggestion_draft_id", "suggestion_text", "suggestion_category", "suggestion_location",
        "suggestion_location_std", "suggestion_reply", "suggestion_phone", "suggestion_urgent",
        "suggestion_category_guess")  # fmt: skip


def set_aside(tracker: Tracker) -> dict | None:
    """The draft's slots and the time, when it has a text worth restoring. The slot being asked
    holds the words of the cancel itself ("算了不提了"): it is asked again after a restore."""
    asked = tracker.get_slot("requested_slot")
    if not tracker.get_slot("suggestion_text") or asked == "suggestion_text":
        return None
    slots = {name: None if name == asked else tracker.get_slot(name) for name in KEPT}
    return {"at": time.time(), "slots": slots}


def restorable(tracker: Tracker) -> dict | None:
    """The slots of the draft set aside within `KEEP_SECONDS`, else None."""
    kept = tracker.get_slot("suggestion_cancelled") or {}
    if not isinstance(kept, dict) or time.time() - float(kept.get("at") or 0) > KEEP_SECONDS:
        return None
    return kept.get("slots") or None


def earlier_phone(tracker: Tracker) -> str | None:
    """The number the resident typed earlier in this suggestion, as its held reference (Rasa's
    stored events hold only masked text: `actions/suggestion_contact.py` held it then)."""
    return tracker.get_slot("suggestion_phone_given")
