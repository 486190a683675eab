"""A terminal chat with the running assistant over its REST channel."""

from __future__ import annotations

import sys
import uuid

import httpx

from knowledge.settings import get_settings


def main() -> int:
    """Read lines, send each to Rasa, print the replies and their buttons."""
    settings = get_settings()
    sender = f"shell-{uuid.uuid4().hex[:8]}"
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    print("长征镇市民助手 — 输入问题，Ctrl-D 退出 (type a question; Ctrl-D quits)")
    with httpx.Client(timeout=30) as client:
        while True:
            try:
                text = input("您> ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            try:
                response = client.post(url, json={"sender": sender, "message": text})
                response.raise_for_status()
            except httpx.HTTPError as error:
                print(f"(the assistant is not reachable at {url}: {error}; is `make run` running?)")
                continue
            for message in response.json():
                print("助手>", message.get("text", ""))
                for index, button in enumerate(message.get("buttons") or [], 1):
                    print(f"   [{index}] {button['title']}")


if __name__ == "__main__":
    sys.exit(main())
