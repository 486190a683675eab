"""A terminal chat with the running assistant over its REST channel (the bearer secret read from
CHANNEL_SECRET or var/channel.secret); type a number to press a button."""

from __future__ import annotations

import sys
import uuid

import httpx

from core.settings import channel_secret, get_settings


def send(client: httpx.Client, url: str, sender: str, text: str, payload: bool) -> list[dict]:
    """One message to Rasa; a button's payload is marked so the channel takes it as a command."""
    body = {"sender": sender, "message": text, "metadata": {"payload": payload}}
    response = client.post(url, json=body)
    response.raise_for_status()
    return response.json()


def main() -> int:
    """Read lines, send each to Rasa, print the replies and their numbered buttons."""
    settings = get_settings()
    sender = f"shell-{uuid.uuid4().hex[:8]}"
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    print("长征镇市民助手 — 输入问题，数字选择按钮，Ctrl-D 退出 (type; a number presses a button)")
    buttons: list[dict] = []
    headers = {"Authorization": f"Bearer {channel_secret()}"}
    with httpx.Client(timeout=30, headers=headers) as client:
        while True:
            try:
                text = input("您> ").strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            pressed = text.isdigit() and 0 < int(text) <= len(buttons)
            message = buttons[int(text) - 1]["payload"] if pressed else text
            try:
                replies = send(client, url, sender, message, payload=pressed)
            except httpx.HTTPError as error:
                print(f"(the assistant is not reachable at {url}: {error}; is `make run` running?)")
                continue
            buttons = []
            for reply in replies:
                print("助手>", reply.get("text", ""))
                for button in reply.get("buttons") or []:
                    buttons.append(button)
                    print(f"   [{len(buttons)}] {button['title']}")


if __name__ == "__main__":
    sys.exit(main())
