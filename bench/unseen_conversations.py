"""The unseen evaluation's suggestion conversations: talk each one through the suggestion form
over HTTP and check what happened against its `expect` (`bench/unseen.py` runs them)."""

from __future__ import annotations

import re
from collections.abc import Callable

from bench.unseen_messages import Send, load

REFERENCE = re.compile(r"JY-\d{8}-[A-Z0-9]{4}-[A-Z0-9]")
MAX_TURNS = 12
MAX_ASKS = 3  # the same slot asked a fourth time: the resident is stuck
RESUME = "继续提建议"

Tracker = Callable[[str], dict]


def _form_state(tracker: dict) -> tuple[str | None, str | None]:
    loop = (tracker.get("active_loop") or {}).get("name")
    return loop, (tracker.get("slots") or {}).get("requested_slot")


def run_conversation(conversation: dict, send: Send, tracker: Tracker, sender: str) -> dict:
    """Talk through one suggestion conversation; return what happened and why it stopped."""
    answers, side = conversation.get("answers") or {}, conversation.get("side_question")
    replies: list[str] = []
    by_step: dict[str, list[str]] = {}
    asked: list[str] = []

    def say(step: str, text: str) -> None:
        by_step[step] = send(sender, text)
        replies.extend(by_step[step])

    say("first", conversation["first"])
    stopped = None
    for _turn in range(MAX_TURNS - 1):
        loop, slot = _form_state(tracker(sender))
        if not loop:
            break
        if not slot:
            stopped = "the form is active but asks for no slot"
            break
        if side and slot == side["at"] and "side" not in by_step:
            say("side", side["text"])
            if not _form_state(tracker(sender))[0]:
                say("resume", side.get("resume", RESUME))
            continue
        asked.append(slot)
        if asked.count(slot) > MAX_ASKS:
            stopped = f"asked for {slot} {asked.count(slot)} times"
            break
        if slot not in answers:
            stopped = f"asked for {slot}, which has no answer in the file"
            break
        say(slot, answers[slot])
    else:
        if _form_state(tracker(sender))[0]:
            stopped = f"form still active after {MAX_TURNS} turns"
    final = tracker(sender)
    phones = [
        e.get("value") for e in final.get("events") or [] if e.get("name") == "suggestion_phone"
    ]
    return {
        "saved": any(REFERENCE.search(text) for text in replies),
        # the form clears its slots once a suggestion is saved: a phone taken at any step counts
        "phone_kept": any(phones) or bool((final.get("slots") or {}).get("suggestion_phone")),
        "asked": asked,
        "by_step": by_step,
        "stopped": stopped,
    }


def check_conversation(conversation: dict, outcome: dict) -> list[str]:
    """Reasons the outcome differs from the conversation's `expect` (empty: as expected)."""
    expect, reasons = conversation.get("expect") or {}, []
    if outcome["stopped"]:
        reasons.append(outcome["stopped"])
    for key in ("saved", "phone_kept"):
        if key in expect and outcome[key] != expect[key]:
            reasons.append(f"{key} is {outcome[key]}, expected {expect[key]}")
    if "emergency" in expect:
        step = expect.get("emergency_at", "first")
        reply = " ".join(outcome["by_step"].get(step, []))
        if step not in outcome["by_step"]:
            reasons.append(f"no {expect['emergency']}: {step} was never asked for")
        elif expect["emergency"] not in reply:
            reasons.append(f"no {expect['emergency']} in the reply to {step}: {reply[:60]!r}")
    reasons += [
        f"never asked for {s}" for s in expect.get("asked", []) if s not in outcome["asked"]
    ]
    reasons += [
        f"asked for {s} again" for s in expect.get("not_asked", []) if s in outcome["asked"]
    ]
    if "side_reply" in expect:
        if "side" not in outcome["by_step"]:
            reasons.append("the side question was never asked (its slot never came)")
        elif not any(w in " ".join(outcome["by_step"]["side"]) for w in expect["side_reply"]):
            reasons.append(f"side question answered without any of {expect['side_reply']}")
    return reasons


def evaluate_conversations(
    send: Send, tracker: Tracker, conversations: list[dict] | None = None, run: str = ""
) -> dict:
    """Run every conversation; list the reasons of each one not completed as expected."""
    conversations = load("conversations") if conversations is None else conversations
    results = []
    for conversation in conversations:
        sender = f"unseen-{run}-{conversation['id']}"
        outcome = run_conversation(conversation, send, tracker, sender)
        reasons = check_conversation(conversation, outcome)
        results.append({"id": conversation["id"], "reasons": reasons, **outcome})
    done = sum(1 for r in results if not r["reasons"])
    return {"completed": (done, len(results)), "results": results}


def format_conversations(summary: dict) -> str:
    """The conversations summary and one line per conversation."""
    done, total = summary["completed"]
    lines = [f"Suggestion conversations completed as expected: {done} of {total}", ""]
    for r in summary["results"]:
        status = "ok" if not r["reasons"] else "; ".join(r["reasons"])
        lines.append(f"- {r['id']}: {status} (asked: {', '.join(r['asked']) or '–'})")
    return "\n".join(lines)
