"""The frozen exam: whole suggestion conversations, short dialogues, emergencies, facts, out of scope.

Written by helpers who saw only the report, the bot's prompts and the list of behaviours
(`bench/data/exam/`). Never train or tune on it: `tests/test_nlu_data.py` keeps its texts out of the
training data. Runs against a throwaway stack of its own (a temporary SQLite database, so what
was stored can be checked):

    .venv/bin/python -m bench.exam [--only conversations|dialogues|emergency|facts|oos]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from bench.rasa_http import RasaHttp

EXAM = Path(__file__).parent / "data" / "exam"
DATA = EXAM  # `--data` points elsewhere (a development set to tune on)
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


def load(name: str) -> list[dict]:
    path = DATA / f"{name}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


def _listed(value) -> list[str]:
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


def _form_started(tracker: dict) -> bool:
    return any(
        e.get("event") == "active_loop" and e.get("name") == "suggestion_form"
        for e in tracker.get("events") or []
    )


def run_conversation(conversation: dict, rasa: RasaHttp, sender: str) -> dict:
    """Talk through one conversation as its resident would; return what happened."""
    answers = conversation.get("answers") or {}
    after = _listed(conversation.get("after"))
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

    for text in _listed(conversation.get("first")):
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
        said = _listed(answers.get(step))
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
        "form_started": _form_started(final),
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
        for part in _listed(expect.get("text_contains")):
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
    for words in _listed(expect.get("never_says")):
        if any(words in t for t in outcome["replies"]):
            reasons.append(f"said {words!r}")
    for step in _listed(expect.get("never_asked")):
        if step in outcome["asked"]:
            reasons.append(f"asked for {step}")
    if expect.get("no_form") and outcome["form_started"]:
        reasons.append("started a suggestion")
    has = expect.get("reply_has")
    if has:
        text = " ".join(by_step.get(has.get("step"), []))
        if not any(w in text for w in _listed(has.get("any"))):
            reasons.append(f"reply at {has.get('step')} has none of {has.get('any')}")
    return reasons


def evaluate_conversations(rasa: RasaHttp, lookup: Lookup, run: str) -> dict:
    results = []
    for conversation in load("conversations"):
        outcome = run_conversation(conversation, rasa, f"exam-{run}-{conversation['id']}")
        reasons = check_conversation(conversation, outcome, lookup)
        results.append({**conversation, **outcome, "reasons": reasons})
    return {"results": results, "done": sum(not r["reasons"] for r in results)}


def evaluate_dialogues(rasa: RasaHttp, run: str) -> dict:
    results = []
    for dialogue in load("dialogues"):
        sender, replies = f"exam-{run}-{dialogue['id']}", []
        for text in _listed(dialogue.get("turns")):
            replies.append(" ".join(rasa.send(sender, text)))
        expect, reasons = dialogue.get("expect") or {}, []
        turn = int(expect.get("turn", len(replies)))
        reply = replies[turn - 1] if 0 < turn <= len(replies) else ""
        if expect.get("any") and not any(w in reply for w in _listed(expect["any"])):
            reasons.append(f"turn {turn} has none of {expect['any']}")
        reasons += [
            f"turn {turn} lacks {w!r}" for w in _listed(expect.get("all")) if w not in reply
        ]
        reasons += [f"turn {turn} has {w!r}" for w in _listed(expect.get("none")) if w in reply]
        if expect.get("no_form") and _form_started(rasa.tracker(sender)):
            reasons.append("started a suggestion")
        results.append({**dialogue, "replies": replies, "reasons": reasons})
    return {"results": results, "done": sum(not r["reasons"] for r in results)}


def evaluate_emergency(rasa: RasaHttp, run: str) -> dict:
    """Precision and recall of the emergency numbers as the first line of the first reply."""
    counts, wrong = Counter(), []
    for number, item in enumerate(load("emergency")):
        replies = rasa.send(f"exam-{run}-emergency-{number}", item["text"])
        first = (replies[0] if replies else "").split("\n")[0]
        flagged = bool(EMERGENCY.search(first))
        truth = item["label"] == "emergency"
        counts[(truth, flagged)] += 1
        if truth != flagged:
            wrong.append((item["label"], item["text"], first[:50]))
    tp, fp, fn = counts[(True, True)], counts[(False, True)], counts[(True, False)]
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "counts": counts,
        "wrong": wrong,
    }


def evaluate_facts(rasa: RasaHttp, run: str) -> dict:
    results = []
    for number, fact in enumerate(load("facts")):
        reply = "\n".join(rasa.send(f"exam-{run}-fact-{number}", fact["question"]))
        ok = any(str(w).casefold() in reply.casefold() for w in _listed(fact.get("expect")))
        results.append({**fact, "ok": ok, "reply": reply})
    return {"results": results, "done": sum(r["ok"] for r in results)}


def evaluate_oos(rasa: RasaHttp) -> dict:
    results = []
    for item in load("oos"):
        intent = (rasa.parse(item["text"]).get("intent") or {}).get("name") or "nlu_fallback"
        results.append({**item, "intent": intent, "ok": intent in ("out_of_scope", "nlu_fallback")})
    return {"results": results, "done": sum(r["ok"] for r in results)}


def first_run() -> dict[str, str]:
    """The exam's figures on the code before this work (`first_run.md`), by part."""
    path = EXAM / "first_run.md"
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("exam part", "---"):
            rows[cells[0]] = cells[1]
    return rows


def beside_first_run(table: list[str]) -> list[str]:
    """The table with the first run's figure in a column of its own."""
    first = first_run()
    out = ["| exam part | first run (main 9737be3) | now |", "| --- | --- | --- |"]
    for line in table[2:]:
        part, now = [c.strip() for c in line.strip().strip("|").split("|")]
        out.append(f"| {part} | {first.get(part, '–')} | {now} |")
    return out


def _pct(done: int, total: int) -> str:
    return f"{done} of {total} ({100 * done / total:.0f} %)" if total else "–"


def report(rasa: RasaHttp, lookup: Lookup, only: str | None, verbose: bool) -> str:
    run, lines = uuid.uuid4().hex[:6], ["| exam part | result |", "| --- | --- |"]
    details: list[str] = []
    if only in (None, "conversations"):
        s = evaluate_conversations(rasa, lookup, run)
        lines.append(
            f"| suggestion conversations completed | {_pct(s['done'], len(s['results']))} |"
        )
        by_kind = Counter(r.get("kind", "?") for r in s["results"])
        ok_kind = Counter(r.get("kind", "?") for r in s["results"] if not r["reasons"])
        details += ["", "| kind | completed |", "| --- | --- |"]
        details += [f"| {k} | {ok_kind[k]} of {n} |" for k, n in sorted(by_kind.items())]
        details += [""] + [f"- {r['id']} ({r.get('kind')}): {'; '.join(r['reasons'])}"
                           for r in s["results"] if r["reasons"]]  # fmt: skip
    if only in (None, "dialogues"):
        s = evaluate_dialogues(rasa, run)
        lines.append(f"| dialogues (follow-ups, two questions, wrong doors) | "
                     f"{_pct(s['done'], len(s['results']))} |")  # fmt: skip
        details += [""] + [f"- {r['id']}: {'; '.join(r['reasons'])}"
                           for r in s["results"] if r["reasons"]]  # fmt: skip
    if only in (None, "emergency"):
        s = evaluate_emergency(rasa, run)
        c = s["counts"]
        lines.append(f"| emergencies: precision / recall (n={sum(c.values())}) | "
                     f"{100 * s['precision']:.1f} % / {100 * s['recall']:.1f} % |")  # fmt: skip
        details += [""] + [f"- {label}: {text} → {first}" for label, text, first in s["wrong"]]
    if only in (None, "facts"):
        s = evaluate_facts(rasa, run)
        lines.append(f"| fact questions answered with the fact | "
                     f"{_pct(s['done'], len(s['results']))} |")  # fmt: skip
        details += [""] + [f"- {r['question']} → {r['expect']}: {r['reply'][:60]!r}"
                           for r in s["results"] if not r["ok"]]  # fmt: skip
    if only in (None, "oos"):
        s = evaluate_oos(rasa)
        lines.append(f"| out-of-scope with a town word recognised | "
                     f"{_pct(s['done'], len(s['results']))} |")  # fmt: skip
        details += [""] + [f"- {r['text']} → {r['intent']}" for r in s["results"] if not r["ok"]]
    if DATA == EXAM:
        lines = beside_first_run(lines)
    return "\n".join(lines + (details if verbose else []))


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
            "reply": "phone" if row.contact_phone_sealed else ("chat" if row.wants_reply else "none"),
            "phone": bool(row.contact_phone_sealed),
        }

    return lookup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("conversations", "dialogues", "emergency", "facts",
                                           "oos"))  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="the table only, no failures")
    parser.add_argument("--data", type=Path, default=EXAM, help="a folder of the same files")
    args = parser.parse_args(argv)
    global DATA
    DATA = args.data
    from tests.stack import AUTH_TOKEN, running_stack

    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/exam.db"
        with running_stack(Path(tmp), database_url) as stack:
            rasa = RasaHttp(stack.rasa_url, AUTH_TOKEN, stack.channel_secret, 60)
            print(report(rasa, suggestion_lookup(database_url), args.only, not args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
