"""The frozen exam: whole suggestion conversations, short dialogues, emergencies, facts, out of scope.

Written by helpers who saw only the report, the bot's prompts and the list of behaviours
(`bench/data/exam/`). Never train or tune on it: `tests/test_nlu_data.py` keeps its texts out of the
training data. Runs against a throwaway stack of its own (a temporary SQLite database, so what
was stored can be checked):

    .venv/bin/python -m bench.exam [--only conversations|dialogues|emergency|facts|oos]
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections import Counter
from pathlib import Path

import yaml

from bench.exam_conversations import (
    EMERGENCY,
    Lookup,
    check_conversation,
    form_started,
    listed,
    run_conversation,
    suggestion_lookup,
)
from bench.rasa_http import RasaHttp, throwaway_rasa

EXAM = Path(__file__).parent / "data" / "exam"
DATA = EXAM  # `--data` points elsewhere (a development set to tune on)


def load(name: str) -> list[dict]:
    path = DATA / f"{name}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


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
        for text in listed(dialogue.get("turns")):
            replies.append(" ".join(rasa.send(sender, text)))
        expect, reasons = dialogue.get("expect") or {}, []
        turn = int(expect.get("turn", len(replies)))
        reply = replies[turn - 1] if 0 < turn <= len(replies) else ""
        if expect.get("any") and not any(w in reply for w in listed(expect["any"])):
            reasons.append(f"turn {turn} has none of {expect['any']}")
        reasons += [f"turn {turn} lacks {w!r}" for w in listed(expect.get("all")) if w not in reply]
        reasons += [f"turn {turn} has {w!r}" for w in listed(expect.get("none")) if w in reply]
        if expect.get("no_form") and form_started(rasa.tracker(sender)):
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
        ok = any(str(w).casefold() in reply.casefold() for w in listed(fact.get("expect")))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("conversations", "dialogues", "emergency", "facts",
                                           "oos"))  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="the table only, no failures")
    parser.add_argument("--data", type=Path, default=EXAM, help="a folder of the same files")
    args = parser.parse_args(argv)
    global DATA
    DATA = args.data
    with throwaway_rasa("exam", 60) as (rasa, database_url):
        print(report(rasa, suggestion_lookup(database_url), args.only, not args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
