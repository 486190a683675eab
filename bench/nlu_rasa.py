"""Rasa models for the NLU benchmark: train one in a subprocess (time and peak memory), serve it
with `rasa run --enable-api` and parse texts over HTTP (latency). Runs in Rasa's environment."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA = str(ROOT / ".venv-rasa" / "bin" / "rasa")
ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_MAX_CACHE_SIZE": "0",
}


def write_nlu(pairs: list[tuple[str, str]], path: Path) -> None:
    by_intent: dict[str, list[str]] = {}
    for text, intent in pairs:
        by_intent.setdefault(intent, []).append(text)
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {t}" for t in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def train(config: Path, pairs: list[tuple[str, str]], workdir: Path) -> tuple[Path, float, float]:
    """Train an NLU model in a subprocess; return its path, seconds and peak memory (MB)."""
    data = workdir / "train.yml"
    write_nlu(pairs, data)
    started = time.monotonic()
    process = subprocess.Popen(
        [RASA, "train", "nlu", "--config", str(config), "--nlu", str(data), "--out", str(workdir),
         "--fixed-model-name", "bench"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"training with {config} failed")
    return workdir / "bench.tar.gz", time.monotonic() - started, usage.ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_and_parse(model: Path, texts: list[str]) -> tuple[list[tuple[str, str]], list[float]]:
    """Start `rasa run --enable-api`; parse each text over HTTP.

    Returns (delivered intent, top intent ignoring the fallback) per text, and latencies in ms.
    """
    port = free_port()
    server = subprocess.Popen(
        [RASA, "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port), "--model", str(model)],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/status", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        predictions, latencies = [], []
        for text in texts:
            body = json.dumps({"text": text}).encode()
            request = urllib.request.Request(
                f"{url}/model/parse", body, {"Content-Type": "application/json"}
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                result = json.load(response)
            latencies.append((time.perf_counter() - started) * 1000)
            ranked = [
                r["name"] for r in result.get("intent_ranking", []) if r["name"] != "nlu_fallback"
            ]
            predictions.append((result["intent"]["name"] or "", ranked[0] if ranked else ""))
        return predictions, latencies
    finally:
        server.terminate()
        server.wait(timeout=30)
