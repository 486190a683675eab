"""The unseen evaluation: messages, fact questions and suggestion conversations, over HTTP.

Runs against a running stack (`make run`), or a throwaway one with `--start`:

    .venv/bin/python -m bench.unseen --url http://127.0.0.1:5005 [--token T] [--only messages]

The data in `bench/data/unseen/` was written from the report alone, never from the training
data: never train on it. The parts live in `bench/unseen_messages.py` (messages, facts) and
`bench/unseen_conversations.py`; Rasa's HTTP client in `bench/rasa_http.py`.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid

from bench.rasa_http import RasaHttp, StackDown, throwaway_rasa, var_secret
from bench.unseen_conversations import evaluate_conversations, format_conversations
from bench.unseen_messages import evaluate_facts, evaluate_messages, format_facts, format_messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    parser.add_argument(
        "--token", default=os.environ.get("RASA_AUTH_TOKEN") or var_secret("rasa.token")
    )
    parser.add_argument(
        "--channel-secret",
        default=os.environ.get("CHANNEL_SECRET") or var_secret("channel.secret"),
    )
    parser.add_argument("--only", choices=("messages", "facts", "conversations"))
    parser.add_argument("--start", action="store_true", help="start a throwaway stack first")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per HTTP request")
    args = parser.parse_args(argv)
    try:
        if args.start:
            with throwaway_rasa("unseen", args.timeout) as (rasa, _database_url):
                run(rasa, args.only)
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
