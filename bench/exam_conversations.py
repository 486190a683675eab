"""The frozen exam's whole suggestion conversations: talk each one through as its resident would,
then check the replies and what was stored under its reference number against its `expect`
(`bench/exam.py` runs them)."""

from __future__ import annotations

import re
from collections.abc import Callable

from bench.rasa_http import RasaHttp

STEPS = {
    "suggestion_text": "text",
    "suggestion_category": "category",
    "suggestion_location": "location",
    "suggestion_reply": "reply",
    "suggestion_phone": "phone",
    "suggestion_confirm": "confirm",
}
REFERENCE = re.compile(r"JY-\d{8}-[A-Z0-9]{4}-[A-Z0-9]")
EMERGENCY = re.compile(r"(?<!\d)(110|119|120)(?!\d)")
MAX_TURNS = 16
MAX_ASKS = 4  # the same step asked a fifth time: the resident is stuck

Lookup = Callable[[str], "dict | None"]


def listed(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _state(tracker: dict) -> tuple[str | None, str | None]:
    loop = (tracker.get("active_loop") or {}).get("name")
    slots = tracker.get("slots") or {}
    if not loop:
        return None, None
    if slots.get("suggestion_paused"):
        return loop, "go_on"
    return loop, STEPS.get(slots.get("requested_slot") or "")


def form_started(tracker: dict) -> bool:
    return any(
        e.get("event") == "active_loop" and e.get("name") == "suggestion_form"
        for e in tracker.get("events") or []
    )


def run_conversation(conversation: dict, rasa: RasaHttp, sender: str) -> dict:
    """Talk through one conversation as its resident would; return what happened."""
    answers = conversation.get("answers") or {}
    after = listed(conversation.get("after"))
    by_step: dict[str, list[str]] = {}
    replies: list[str] = []
    asked: list[str] = []
    stopped = None

    def say(step: str, text: str) -> None:
        got = rasa.send(sender, text)
        if step in ("first", "after"):
            by_step.setdefault(step, []).extend(got)
        else:
            by_step.setdefault(step, got)  # the replies to the first answer at that step
        replies.extend(got)

    for text in listed(conversation.get("first")):
        say("first", text)
    for _turn in range(MAX_TURNS):
        loop, step = _state(rasa.tracker(sender))
        if not loop:
            if after:
                say("after", after.pop(0))
                continue
            break
        if not step:
            stopped = "the form is active but asks for nothing"
            break
        asked.append(step)
        count = asked.count(step)
        if count > MAX_ASKS:
            stopped = f"asked for {step} {count} times"
            break
        said = listed(answers.get(step))
        if not said:
            stopped = f"asked for {step}, which has no answer"
            break
        say(step, said[min(count, len(said)) - 1])
    else:
        stopped = f"still going after {MAX_TURNS} turns"
    final = rasa.tracker(sender)
    references = [m.group(0) for text in replies for m in REFERENCE.finditer(text)]
    return {
        "replies": replies,
        "by_step": by_step,
        "asked": asked,
        "stopped": stopped,
        "reference": references[-1] if references else None,
        "form_started": form_started(final),
    }


def check_conversation(conversation: dict, outcome: dict, lookup: Lookup) -> list[str]:
    """Why the outcome differs from the conversation's `expect` (empty: as expected)."""
    expect, reasons = conversation.get("expect") or {}, []
    if outcome["stopped"] and expect.get("saved") is not False:
        reasons.append(outcome["stopped"])
    stored = lookup(outcome["reference"]) if outcome["reference"] else None
    if "saved" in expect and bool(stored) != bool(expect["saved"]):
        reasons.append(f"saved is {bool(stored)}, expected {expect['saved']}")
    if stored:
        if "category" in expect and stored["category"] != expect["category"]:
            reasons.append(f"category {stored['category']}, expected {expect['category']}")
        place = stored["place"] or ""
        if expect.get("place_contains") and expect["place_contains"] not in place:
            reasons.append(f"place {place!r}, expected {expect['place_contains']!r}")
        if expect.get("no_place") and place:
            reasons.append(f"place {place!r} stored, expected none")
        for part in listed(expect.get("text_contains")):
            if part not in stored["text"]:
                reasons.append(f"text lacks {part!r}")
        if "reply" in expect and stored["reply"] != expect["reply"]:
            reasons.append(f"reply {stored['reply']}, expected {expect['reply']}")
        if "phone_stored" in expect and stored["phone"] != bool(expect["phone_stored"]):
            reasons.append(f"phone stored is {stored['phone']}, expected {expect['phone_stored']}")
        if "urgent" in expect and stored["urgent"] != bool(expect["urgent"]):
            reasons.append(f"urgent is {stored['urgent']}, expected {expect['urgent']}")
    by_step = outcome["by_step"]
    first = " ".join(by_step.get("first", []))
    if expect.get("emergency_first") and str(expect["emergency_first"]) not in first:
        reasons.append(f"no {expect['emergency_first']} in the reply to the first message")
    at = expect.get("emergency_at")
    if at and str(at.get("number")) not in " ".join(by_step.get(at.get("step"), [])):
        reasons.append(f"no {at.get('number')} in the reply at {at.get('step')}")
    if expect.get("no_emergency") and any(EMERGENCY.search(t) for t in outcome["replies"]):
        reasons.append("an emergency number was given for a nuisance")
    for words in listed(expect.get("never_says")):
        if any(words in t for t in outcome["replies"]):
            reasons.append(f"said {words!r}")
    for step in listed(expect.get("never_asked")):
        if step in outcome["asked"]:
            reasons.append(f"asked for {step}")
    if expect.get("no_form") and outcome["form_started"]:
        reasons.append("started a suggestion")
    has = expect.get("reply_has")
    if has:
        text = " ".join(by_step.get(has.get("step"), []))
        if not any(w in text for w in listed(has.get("any"))):
            reasons.append(f"reply at {has.get('step')} has none of {has.get('any')}")
    return reasons


def suggestion_lookup(database_url: str) -> Lookup:
    """What was stored under a reference number, read from the stack's database."""
    from sqlalchemy import select

    from store.db import make_engine
    from store.models import Suggestion

    engine = make_engine(database_url)

    def lookup(reference: str) -> dict | None:
        with engine.connect() as connection:
            row = connection.execute(
                select(Suggestion).where(Suggestion.reference == reference)
            ).first()
        if row is None:
            return None
        return {
            "category": row.category_key,
            "place": row.location_text,
            "text": row.text,
            "urgent": bool(row.urgent),
            "reply": "phone"
            if row.contact_phone_sealed
            else ("chat" if row.wants_reply else "none"),
            "phone": bool(row.contact_phone_sealed),
        }

    return lookup
