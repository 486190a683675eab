"""The unseen evaluation: messages, fact questions and suggestion conversations, over HTTP.

Runs against a running stack (`make run`), or a throwaway one with `--start`:

    .venv/bin/python -m bench.unseen --url http://127.0.0.1:5005 [--token T] [--only messages]

The data in `bench/data/unseen/` was written from the report alone, never from the training
data: never train on it. Only standard library and PyYAML, so `bench.nlu` (in `.venv-rasa`) can
import `evaluate_messages` too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "unseen"
CORE = ("elevator", "eldercare", "employment", "hotline", "suggestion")
FURTHER = ("services", "assistance", "housing", "community")
CONVERSATION = ("greet", "goodbye", "thank", "affirm", "deny", "bot", "human")
TOPICS = (*CORE, *FURTHER, *CONVERSATION, "out_of_scope")
REFERENCE = re.compile(r"JY-\d{8}-[A-Z0-9]{4}-[A-Z0-9]")
MAX_TURNS = 12
MAX_ASKS = 3  # the same slot asked a fourth time: the resident is stuck
RESUME = "继续提建议"

Parse = Callable[[str], dict]
Send = Callable[[str, str], list[str]]
Tracker = Callable[[str], dict]


class StackDown(RuntimeError):
    """The Rasa server cannot be reached."""


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


# -- conversations ----------------------------------------------------------------------------


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


# -- HTTP -------------------------------------------------------------------------------------


class RasaHttp:
    """Rasa's HTTP API and REST channel, with bounded timeouts."""

    def __init__(self, url: str, token: str = "", channel_secret: str = "", timeout: float = 30):
        self.url, self.token, self.secret, self.timeout = (
            url.rstrip("/"),
            token,
            channel_secret,
            timeout,
        )

    def _call(self, path: str, body: dict | None = None, headers: dict | None = None) -> Any:
        query = "?" + urllib.parse.urlencode({"token": self.token}) if self.token else ""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path + query, data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{path}: HTTP {error.code} {error.read()[:200]!r}") from error
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            raise StackDown(f"cannot reach Rasa at {self.url} ({error})") from error

    def check(self) -> None:
        """Fail clearly when the server is down or the token is wrong."""
        self._call("/status")

    def parse(self, text: str) -> dict:
        return self._call("/model/parse", {"text": text})

    def send(self, sender: str, message: str) -> list[str]:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        body = {"sender": sender, "message": message}
        replies = self._call("/webhooks/rest/webhook", body, headers) or []
        return [reply["text"] for reply in replies if reply.get("text")]

    def tracker(self, sender: str) -> dict:
        return self._call(f"/conversations/{urllib.parse.quote(sender)}/tracker")


@contextmanager
def throwaway_stack() -> Iterator[tuple[str, str, str]]:
    """A stack of our own on a temporary SQLite database: nothing lands in the project's."""
    from tests.stack import AUTH_TOKEN, running_stack

    with (
        tempfile.TemporaryDirectory() as tmp,
        running_stack(Path(tmp), f"sqlite:///{tmp}/unseen.db") as stack,
    ):
        yield stack.rasa_url, AUTH_TOKEN, stack.channel_secret


def _var_secret(name: str) -> str:
    """A secret `make run` made once in var/ (empty when there is none)."""
    path = Path(__file__).resolve().parent.parent / "var" / name
    return path.read_text().strip() if path.exists() else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    parser.add_argument(
        "--token", default=os.environ.get("RASA_AUTH_TOKEN") or _var_secret("rasa.token")
    )
    parser.add_argument(
        "--channel-secret",
        default=os.environ.get("CHANNEL_SECRET") or _var_secret("channel.secret"),
    )
    parser.add_argument("--only", choices=("messages", "facts", "conversations"))
    parser.add_argument("--start", action="store_true", help="start a throwaway stack first")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per HTTP request")
    args = parser.parse_args(argv)
    try:
        if args.start:
            with throwaway_stack() as (url, token, secret):
                run(RasaHttp(url, token, secret, args.timeout), args.only)
        else:
            run(RasaHttp(args.url, args.token, args.channel_secret, args.timeout), args.only)
    except StackDown as error:
        print(f"{error}\nIs the stack running? Start it with `make run`, or pass --start.",
              file=sys.stderr)  # fmt: skip
        return 2
    except RuntimeError as error:  # an HTTP error status, e.g. a wrong --token
        print(f"Rasa answered with an error: {error}", file=sys.stderr)
        return 2
    return 0


def run(rasa: RasaHttp, only: str | None) -> None:
    """Print the chosen parts' tables."""
    rasa.check()
    run_id = uuid.uuid4().hex[:8]
    if only in (None, "messages"):
        print(format_messages(evaluate_messages(rasa.parse)), end="\n\n", flush=True)
    if only in (None, "facts"):
        print(format_facts(evaluate_facts(rasa.send, run=run_id)), end="\n\n", flush=True)
    if only in (None, "conversations"):
        summary = evaluate_conversations(rasa.send, rasa.tracker, run=run_id)
        print(format_conversations(summary), flush=True)


if __name__ == "__main__":
    sys.exit(main())
