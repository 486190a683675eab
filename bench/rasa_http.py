"""Talking to Rasa over HTTP for the benches that score replies (unseen, exam, coverage).

`RasaHttp` wraps Rasa's HTTP API and REST channel; `throwaway_rasa` starts a stack of our own
on a temporary SQLite database. Only the standard library at import, so `bench.nlu` (in
`.venv-rasa`) can import the unseen evaluation, which imports this.
"""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class StackDown(RuntimeError):
    """The Rasa server cannot be reached."""


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
def throwaway_rasa(name: str, timeout: float) -> Iterator[tuple[RasaHttp, str]]:
    """A stack of our own on a temporary SQLite database (`<name>.db`): nothing lands in the
    project's. Yields the client (`timeout` seconds per request) and the database's URL, so
    what was stored can be read back."""
    from tests.stack import AUTH_TOKEN, running_stack

    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/{name}.db"
        with running_stack(Path(tmp), database_url) as stack:
            yield RasaHttp(stack.rasa_url, AUTH_TOKEN, stack.channel_secret, timeout), database_url


def var_secret(name: str) -> str:
    """A secret `make run` made once in var/ (empty when there is none)."""
    path = Path(__file__).resolve().parent.parent / "var" / name
    return path.read_text().strip() if path.exists() else ""
