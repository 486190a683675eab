"""A fake Telegram Bot API on loopback, driven by python-telegram-bot's real client (`base_url`)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeTelegram:
    """Records every call; hands out queued updates; can be told to fail the next sendMessage."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.updates: list[dict] = []
        self.lock = threading.Lock()
        self.next_id = 1
        self.send_failure: str | None = None  # "timeout_after_send" | "429" | None
        # While set, sendMessage calls are held unanswered and not delivered (`held` records them).
        self.hold_sends = False
        self.held: list[dict] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}/bot"
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what residents do ----------------------------------------------------------------------

    def _next(self) -> int:
        with self.lock:
            self.next_id += 1
            return self.next_id

    def _message(self, chat_id: int, **fields) -> dict:
        return {
            "message_id": self._next(), "date": int(time.time()),
            "chat": {"id": chat_id, "type": fields.pop("chat_type", "private")},
            "from": {"id": chat_id, "is_bot": False, "first_name": "居民"}, **fields,
        }  # fmt: skip

    def push(self, update: dict) -> None:
        with self.lock:
            update["update_id"] = self.next_id = self.next_id + 1
            self.updates.append(update)

    def text(self, chat_id: int, text: str, **extra) -> None:
        fields = {"text": text, **extra}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        self.push({"message": self._message(chat_id, **fields)})

    def press(self, chat_id: int, data: str, reply_markup: dict | None = None) -> None:
        """Press the key `data` of a message (whose keyboard was `reply_markup`, if given)."""
        keyboard = {"reply_markup": reply_markup} if reply_markup else {}
        self.push({"callback_query": {
            "id": str(self._next()), "from": {"id": chat_id, "is_bot": False, "first_name": "居民"},
            "chat_instance": "c", "data": data, "message": self._message(chat_id, text="…", **keyboard),
        }})  # fmt: skip

    def edits(self) -> list[dict]:
        """The keyboards the bot left after presses (editMessageReplyMarkup calls)."""
        with self.lock:
            return [p for m, p in self.calls if m == "editMessageReplyMarkup"]

    def photo(self, chat_id: int) -> None:
        size = {"file_id": "f", "file_unique_id": "u", "width": 10, "height": 10}
        self.push({"message": self._message(chat_id, photo=[size])})

    # --- what the bot did -----------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[dict]:
        with self.lock:
            return [p for m, p in self.calls if m == "sendMessage" and int(p["chat_id"]) == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        return [p["text"] for p in self.sent(chat_id)]

    def wait_for(self, chat_id: int, count: int, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.texts(chat_id)
            if len(texts) >= count:
                return texts
            time.sleep(0.1)
        raise AssertionError(f"expected {count} messages to {chat_id}, got {self.texts(chat_id)}")

    def all_texts(self) -> list[str]:
        with self.lock:
            return [p["text"] for m, p in self.calls if m == "sendMessage"]

    def methods(self) -> list[str]:
        with self.lock:
            return [m for m, _ in self.calls]

    # --- the HTTP side --------------------------------------------------------------------------

    def _answer(self, method: str, params: dict):
        if method == "getMe":
            return {"id": 999, "is_bot": True, "first_name": "长征助手", "username": "cz_bot",
                    "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}  # fmt: skip
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            with self.lock:  # as Telegram does, an offset confirms (forgets) the earlier updates
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
            while True:
                with self.lock:
                    ready = [u for u in self.updates if u["update_id"] >= offset]
                if ready or time.monotonic() >= deadline:
                    return ready
                time.sleep(0.05)
        if method == "sendMessage":
            return {"message_id": self._next(), "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params.get("text", "")}  # fmt: skip
        return True

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                method = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(body or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(body).items()}
                    for key, value in params.items():
                        with contextlib.suppress(ValueError):
                            params[key] = json.loads(value)
                if method == "sendMessage" and fake.hold_sends:
                    with fake.lock:
                        fake.held.append(params)
                    while fake.hold_sends:  # the sender may be killed meanwhile
                        time.sleep(0.05)
                    self._reply(502, {"ok": False, "error_code": 502, "description": "held"})
                    return
                with fake.lock:
                    fake.calls.append((method, params))
                    failure = fake.send_failure if method == "sendMessage" else None
                    if failure:
                        fake.send_failure = None
                if failure == "429":
                    self._reply(429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}})  # fmt: skip
                    return
                result = fake._answer(method, params)
                if failure == "timeout_after_send":
                    time.sleep(3)  # the message was "sent"; the answer never arrives in time
                self._reply(200, {"ok": True, "result": result})

            def _reply(self, status: int, payload: dict) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(data)

        return Handler
