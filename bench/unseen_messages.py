"""The unseen evaluation's data and its single-message parts: topic accuracy of parsed messages,
and fact questions answered with the report's fact (`bench/unseen.py` runs them).

The data in `bench/data/unseen/` was written from the report alone, never from the training
data: never train on it. Only standard library and PyYAML, so `bench.nlu` (in `.venv-rasa`) can
import `evaluate_messages` too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "unseen"
CORE = ("elevator", "eldercare", "employment", "hotline", "suggestion")
FURTHER = ("services", "assistance", "housing", "community")
CONVERSATION = ("greet", "goodbye", "thank", "affirm", "deny", "bot", "human")
TOPICS = (*CORE, *FURTHER, *CONVERSATION, "out_of_scope")

Parse = Callable[[str], dict]
Send = Callable[[str, str], list[str]]


def load(name: str) -> list[dict]:
    """One of the unseen data files (`messages`, `facts`, `conversations`)."""
    return yaml.safe_load((DATA / f"{name}.yml").read_text(encoding="utf-8"))


def topic_of(intent: str | None) -> str:
    """The topic key an intent name starts with (after the slash of a retrieval intent)."""
    if not intent or intent == "nlu_fallback":
        return "none"
    name = intent.split("/", 1)[-1]
    for key in sorted(TOPICS, key=len, reverse=True):
        if name.startswith(key):
            return key
    return "none"


def intent_of(parsed: dict) -> str | None:
    """The predicted intent, the full retrieval intent when a response selector gives one."""
    name = (parsed.get("intent") or {}).get("name")
    selectors = parsed.get("response_selector") or {}
    for key in (name, "default"):
        full = ((selectors.get(key) or {}).get("response") or {}).get("intent_response_key")
        if full and topic_of(name) == "none":
            return full
    return name


# -- messages ---------------------------------------------------------------------------------


def _share(results: list[dict], keep: Callable[[dict], bool], right=None) -> tuple[int, int]:
    chosen = [r for r in results if keep(r)]
    right = right or (lambda r: r["predicted"] == r["topic"])
    return sum(1 for r in chosen if right(r)), len(chosen)


def evaluate_messages(parse: Parse, messages: list[dict] | None = None) -> dict:
    """Topic accuracy of `parse` (text -> Rasa parse result) on the unseen messages."""
    messages = load("messages") if messages is None else messages
    results = []
    for item in messages:
        intent = intent_of(parse(item["text"]))
        results.append({**item, "intent": intent, "predicted": topic_of(intent)})
    rows = {
        "core topics (elevator, eldercare, employment, hotline, suggestion)": _share(
            results, lambda r: r["topic"] in CORE
        ),
        "English messages": _share(results, lambda r: r["lang"] == "en"),
        "out-of-scope recognised as such": _share(results, lambda r: r["topic"] == "out_of_scope"),
        "out-of-scope kept out of town topics (out_of_scope or fallback)": _share(
            results,
            lambda r: r["topic"] == "out_of_scope",
            lambda r: r["predicted"] in ("out_of_scope", "none"),
        ),
        **{topic: _share(results, lambda r, t=topic: r["topic"] == t) for topic in FURTHER},
        "conversation intents": _share(results, lambda r: r["topic"] in CONVERSATION),
        "overall": _share(results, lambda r: True),
    }
    styles = {
        style: _share(results, lambda r, s=style: r["style"] == s)
        for style in sorted({r["style"] for r in results})
    }
    wrong = [r for r in results if r["predicted"] != r["topic"]]
    pairs = Counter((r["topic"], r["predicted"]) for r in wrong)
    examples = {(r["topic"], r["predicted"]): r["text"] for r in reversed(wrong)}
    confusions = [
        (gold, pred, n, examples[gold, pred]) for (gold, pred), n in pairs.most_common(15)
    ]
    return {"rows": rows, "styles": styles, "confusions": confusions, "results": results}


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:.0f} % ({right}/{total})" if total else "–"


def format_messages(summary: dict) -> str:
    """The messages summary as Markdown tables."""
    lines = ["| measure (unseen messages) | accuracy |", "| --- | --- |"]
    lines += [f"| {name} | {_pct(*share)} |" for name, share in summary["rows"].items()]
    lines += ["", "| style | accuracy |", "| --- | --- |"]
    lines += [f"| {name} | {_pct(*share)} |" for name, share in summary["styles"].items()]
    lines += ["", "| expected | predicted | n | example |", "| --- | --- | --- | --- |"]
    lines += [f"| {g} | {p} | {n} | {text[:40]} |" for g, p, n, text in summary["confusions"]]
    return "\n".join(lines)


# -- facts ------------------------------------------------------------------------------------


def evaluate_facts(send: Send, facts: list[dict] | None = None, run: str = "") -> dict:
    """Whether each fact question's reply contains one of its expected substrings."""
    facts = load("facts") if facts is None else facts
    results = []
    for number, fact in enumerate(facts):
        reply = "\n".join(send(f"unseen-{run}-fact-{number}", fact["question"]))
        ok = any(want.casefold() in reply.casefold() for want in fact["expect"])
        results.append({**fact, "ok": ok, "reply": reply})
    rows = {
        "core topics": _share(results, lambda r: r["topic"] in CORE, lambda r: r["ok"]),
        "overall": _share(results, lambda r: True, lambda r: r["ok"]),
    }
    return {"rows": rows, "results": results}


def format_facts(summary: dict) -> str:
    """The facts summary as a Markdown table and the failures."""
    lines = ["| fact questions answered with the report's fact | share |", "| --- | --- |"]
    lines += [f"| {name} | {_pct(*share)} |" for name, share in summary["rows"].items()]
    failures = [r for r in summary["results"] if not r["ok"]]
    if failures:
        lines += ["", "Failures (question → expected; reply):"]
        lines += [
            f"- [{r['topic']}] {r['question']} → {r['expect']}; "
            f"{r['reply'][:80].replace(chr(10), ' ') or '(no reply)'}"
            for r in failures
        ]
    return "\n".join(lines)
