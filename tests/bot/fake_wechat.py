"""A fake WeChat Official Account platform on loopback.

It posts residents' messages to the adapter as the platform does: signed (token, timestamp, nonce)
and, in safe mode, encrypted (AES, with msg_signature) by wechatpy's own crypto; it decrypts and
reads the passive replies. Its API side answers the access-token, customer-service and menu
endpoints and records every call; it refuses a stale access token (40001) and, for residents whose
48-hour window is closed, customer-service messages (45015).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import xmltodict
from wechatpy.crypto import WeChatCrypto

TOKEN = "wechat-test-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as the platform makes
APP_SECRET = "wechat-test-secret"
MSG_IDS = itertools.count(random.randrange(10**15, 10**18))  # Redis remembers MsgIds: fresh ones


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


class FakeWeChat:
    """`url` is the API base (WECHAT_API_URL); `callback_url` is set to the adapter's URL."""

    def __init__(self, safe_mode: bool = True) -> None:
        self.safe_mode = safe_mode
        self.app_id = f"wx{secrets.token_hex(8)}"  # its own: the access token is cached per app id
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, self.app_id)
        self.calls: list[tuple[str, dict, dict]] = []  # (endpoint, query, body)
        self.lock = threading.Lock()
        self.tokens_issued: list[str] = []
        self.closed: set[str] = set()  # openids whose 48-hour window has closed
        self.received: dict[str, list[str]] = {}  # openid → every text shown to them, in order
        self.callback_url = ""
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/"
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the API side -----------------------------------------------------------------------------

    def expire_token(self) -> None:
        """The platform invalidates the current access token (another process took a new one)."""
        with self.lock:
            self.tokens_issued.append("revoked")

    def endpoint_calls(self, endpoint: str) -> list[tuple[dict, dict]]:
        with self.lock:
            return [(q, b) for e, q, b in self.calls if e == endpoint]

    def _api(self, endpoint: str, query: dict, body: dict) -> dict:
        with self.lock:
            self.calls.append((endpoint, query, body))
            current = self.tokens_issued[-1] if self.tokens_issued else None
            if endpoint == "token":
                if query.get("appid") != self.app_id or query.get("secret") != APP_SECRET:
                    return {"errcode": 40013, "errmsg": "invalid appid"}
                self.tokens_issued.append(f"ACCESS-{secrets.token_hex(6)}")
                return {"access_token": self.tokens_issued[-1], "expires_in": 7200}
            if query.get("access_token") != current:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            if endpoint == "message/custom/send":
                if body["touser"] in self.closed:
                    return {"errcode": 45015, "errmsg": "response out of time limit"}
                self.received.setdefault(body["touser"], []).append(body["text"]["content"])
            return {"errcode": 0, "errmsg": "ok"}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _serve(self, body: dict) -> None:
                parts = urlsplit(self.path)
                endpoint = parts.path.removeprefix("/cgi-bin/")
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                data = json.dumps(fake._api(endpoint, query, body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve({})

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._serve(json.loads(raw or b"{}"))

        return Handler

    # -- the callback side: what residents do -------------------------------------------------------

    def message_xml(self, openid: str, msg_type: str, msg_id: int | None = None, **fields) -> str:
        items = {"ToUserName": "gh_changzheng", "FromUserName": openid,
                 "CreateTime": str(int(time.time())), "MsgType": msg_type, **fields}  # fmt: skip
        if msg_type != "event":
            items["MsgId"] = str(msg_id or next(MSG_IDS))
        inner = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in items.items())
        return f"<xml>{inner}</xml>"

    def signed_query(self, body: str | None = None) -> tuple[dict, str]:
        """The query string and body the platform sends (encrypted in safe mode)."""
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        query = {"signature": sign(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
        if body is not None and self.safe_mode:
            encrypted = xmltodict.parse(self.crypto.encrypt_message(body, nonce, timestamp))["xml"]
            query |= {"encrypt_type": "aes", "msg_signature": encrypted["MsgSignature"]}
            body = f"<xml><ToUserName><![CDATA[gh_changzheng]]></ToUserName><Encrypt><![CDATA[{encrypted['Encrypt']}]]></Encrypt></xml>"  # fmt: skip
        return query, body or ""

    async def post(
        self, client: httpx.AsyncClient, openid: str, msg_type: str, **fields
    ) -> httpx.Response:
        """Post one message; returns the adapter's response (its passive reply is recorded)."""
        query, body = self.signed_query(self.message_xml(openid, msg_type, **fields))
        response = await client.post(self.callback_url, params=query, content=body.encode())
        self.record_passive(openid, response, query)
        return response

    def record_passive(self, openid: str, response: httpx.Response, query: dict) -> None:
        text = response.text
        if response.status_code != 200 or text in ("", "success"):
            return
        if self.safe_mode:
            envelope = xmltodict.parse(text)["xml"]
            expected = sign(TOKEN, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"])
            assert envelope["MsgSignature"] == expected, "the reply's signature is wrong"
            text = self.crypto.decrypt_message(text, envelope["MsgSignature"],
                                               envelope["TimeStamp"], envelope["Nonce"])  # fmt: skip
        reply = xmltodict.parse(text)["xml"]
        assert reply["ToUserName"] == openid and reply["MsgType"] == "text"
        with self.lock:
            self.received.setdefault(openid, []).append(reply["Content"])

    def texts(self, openid: str) -> list[str]:
        with self.lock:
            return list(self.received.get(openid, []))
