"""A fake Rasa REST channel on loopback for the web chat's own tests: fast, and slow or broken on cue."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from store import privacy_repo
from store.db import get_sessionmaker
from store.identity import sender_hash

LONG_ANSWER = "\n".join(
    f"第{i}条：加装电梯需要本幢业主按规定比例同意，再向居委会提出申请。" for i in range(1, 16)
)


class FakeRasa:
    """Answers /webhooks/rest/webhook; records what it was sent. `delay` and `broken` steer it."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.asked: set[str] = set()  # senders just asked "delete my data?" (as the Rasa rule does)
        self.languages: dict[str, str] = {}  # sender → the language chosen (Rasa's slot)
        self.delay = 0.0
        self.broken = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                fake.received.append(body)
                time.sleep(fake.delay)
                if fake.broken:
                    self.send_response(500)
                    self.end_headers()
                    return
                content = json.dumps(fake.answer(body), ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, body: dict) -> list[dict]:
        message, sender = body["message"], body["sender"]
        asked = sender in self.asked
        self.asked.discard(sender)
        if message.startswith('/greet{"language": '):  # Rasa's language slot
            self.languages[sender] = "en" if '"en"' in message else "zh"
        if message == "/suggestion_delete_data" or "删除我的" in message:  # the rule asks first
            self.asked.add(sender)
            if self.languages.get(sender) == "en":
                return [{"text": "Delete your data?", "buttons": [
                    {"title": "Yes, delete", "payload": "/affirm"},
                    {"title": "No, keep it", "payload": "/deny"},
                ]}]  # fmt: skip
            return [{"text": "确定要删除您的信息吗？", "buttons": [
                {"title": "确认删除", "payload": "/affirm"}, {"title": "不删除", "payload": "/deny"},
            ]}]  # fmt: skip
        if message == "/affirm" and asked:  # what action_delete_my_data does after a yes
            with get_sessionmaker().begin() as session:
                privacy_repo.delete_personal_data(
                    session, sender_hash=sender_hash(body["input_channel"], sender)
                )
            return [{"text": "已删除您的联系方式。"}]
        if asked:
            return [{"text": "好的，什么都没有删除。"}]
        if message.startswith('/greet{"language": "en"}'):
            return [{"text": "Hello! I'm the Changzheng town assistant."}]
        if "按钮" in message or "buttons" in message:
            return [{"text": "请选择：", "buttons": [{"title": "长护险", "payload": "/faq_ltc"}]}]
        if "长" in message:
            return [{"text": LONG_ANSWER}]
        return [{"text": f"答复：{message}"}]

    def messages(self) -> list[str]:
        return [body["message"] for body in self.received]

    def senders(self) -> list[str]:
        return [body["sender"] for body in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
