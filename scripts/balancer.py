"""The balancer (HAProxy) in front of the Rasa instances and the action servers: its configuration
written from the settings, and its runtime API (a Unix socket) to take one server out and back in.

A server is checked every second on its readiness URL (Rasa: /webhooks/health/ready, an action
server: /health) and taken out after three failed checks (a refused connection, or no answer in 10 s); a request that cannot connect to a server is
sent to another one (`option redispatch`)."""

from __future__ import annotations

import csv
import io
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from core.settings import Settings

RASA, ACTIONS = "rasa", "actions"  # the two backends, and the prefix of their servers' names
READY = {RASA: "/webhooks/health/ready", ACTIONS: "/health"}


class BalancerError(RuntimeError):
    """The runtime API refused a command, or a server did not reach the state in time."""


def instances(text: str) -> list[tuple[str, int]]:
    """`host:port,host:port` as (host, port) pairs."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        host, _, port = item.rpartition(":")
        pairs.append((host or "127.0.0.1", int(port)))
    return pairs


def rasa_frontend(settings: Settings) -> tuple[str, int]:
    """Where the balancer takes the bridges' requests for Rasa: RASA_URL's host and port."""
    url = urlsplit(settings.rasa_url)
    return url.hostname or "127.0.0.1", url.port or 80


def _tcp(address: str) -> tuple[str, int] | None:
    """`host:port` (the runtime API over TCP, from another machine), else None (a socket path)."""
    if "/" in address or ":" not in address:
        return None
    host, _, port = address.rpartition(":")
    return host, int(port)


def config(settings: Settings, socket_path: str | Path) -> str:
    """HAProxy's configuration for these settings."""
    rasa_host, rasa_port = rasa_frontend(settings)
    tcp = _tcp(str(socket_path))
    api = f"ipv4@{tcp[0]}:{tcp[1]} level admin" if tcp else f"{socket_path} mode 600 level admin"
    lines = [
        "# Written by scripts/balancer.py from the settings; do not edit.",
        "global",
        f"    stats socket {api}",
        "    maxconn 4096",
        "defaults",
        "    mode http",
        "    timeout connect 2s",
        "    timeout client 120s",
        "    timeout server 120s",
        "    timeout http-keep-alive 10s",
        "    retries 3",
        "    option redispatch",
        # A busy instance answers its check late (Rasa's event loop is doing a reply): only a
        # refused connection or three checks unanswered for 10 s take it out.
        "    timeout check 10s",
        "    default-server inter 1s fastinter 500ms downinter 1s fall 3 rise 1",
        f"frontend {RASA}",
        f"    bind {rasa_host}:{rasa_port}",
        f"    default_backend {RASA}",
        f"frontend {ACTIONS}",
        f"    bind {settings.action_host}:{settings.action_port}",
        f"    default_backend {ACTIONS}",
        "frontend status",
        f"    bind {settings.balancer_host}:{settings.balancer_status_port}",
        "    http-request return status 200 content-type text/plain string ok if { path /health }",
        "    stats enable",
        "    stats uri /",
    ]
    for backend, text in ((RASA, settings.rasa_instances), (ACTIONS, settings.action_instances)):
        lines += [
            f"backend {backend}",
            "    balance roundrobin",
            f"    option httpchk GET {READY[backend]}",
            "    http-check expect status 200",
            "    http-response set-header X-Served-By %s",
        ]
        lines += [
            f"    server {backend}-{n} {host}:{port} check"
            for n, (host, port) in enumerate(instances(text))
        ]
    return "\n".join(lines) + "\n"


class Balancer:
    """HAProxy's runtime API on its admin socket (a path, or host:port over TCP)."""

    def __init__(self, socket_path: str | Path) -> None:
        self.path = str(socket_path)

    def command(self, line: str) -> str:
        tcp = _tcp(self.path)
        family = socket.AF_INET if tcp else socket.AF_UNIX
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(tcp or self.path)
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self, backend: str) -> dict[str, dict[str, str]]:
        """Each server of `backend`: its row of `show stat` (status, scur: requests now, …)."""
        text = self.command("show stat").lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {
            row["svname"]: row
            for row in rows
            if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def set_state(self, backend: str, server: str, state: str) -> None:
        """`ready`, `drain` (no new requests) or `maint` (out)."""
        answer = self.command(f"set server {backend}/{server} state {state}").strip()
        if answer:
            raise BalancerError(f"{backend}/{server} {state}: {answer}")

    def wait_idle(self, backend: str, server: str, seconds: float = 120) -> None:
        """Return once `server` has no request in progress."""
        self._wait(backend, server, seconds, lambda row: row["scur"] == "0", "idle")

    def wait_up(self, backend: str, server: str, seconds: float = 120) -> None:
        """Return once the checks see `server` ready and it takes requests again."""
        self._wait(backend, server, seconds, lambda row: row["status"] == "UP", "up")

    def _wait(self, backend: str, server: str, seconds: float, done, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if done(self.servers(backend)[server]):
                return
            time.sleep(0.1)
        raise BalancerError(f"{backend}/{server} not {what} after {seconds:.0f} s")
