"""NLU benchmark: held-out accuracy, macro-F1, per-topic recall, confusions, 5-fold CV,
against a TF-IDF + logistic-regression baseline and Rasa's default pipeline; training time,
peak memory, and /model/parse latency. Runs in Rasa's environment: `make bench-nlu`."""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from knowledge.text import normalise  # noqa: E402

RASA = str(ROOT / ".venv-rasa" / "bin" / "rasa")
TRAIN_FILES = sorted((ROOT / "nlu_data").glob("*.yml")) + [ROOT / "build" / "nlu" / "entries.yml"]
HELDOUT = ROOT / "bench" / "data" / "heldout.yml"
ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_MAX_CACHE_SIZE": "0",
}


def load(paths: list[Path]) -> list[tuple[str, str]]:
    """(text, intent) pairs of Rasa NLU YAML files."""
    pairs = []
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text and "intent" in block:
                    pairs.append((text, block["intent"]))
    return pairs


def topic(intent: str) -> str:
    return intent.split("_", 1)[0]


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


def scores(gold: list[str], predicted: list) -> dict:
    """Intent and topic accuracy, macro-F1, per-topic recall, worst confusions.

    `predicted` holds intents, or (delivered, top-without-fallback) pairs for Rasa models.
    """
    top = [p[1] if isinstance(p, tuple) else p for p in predicted]
    predicted = [p[0] if isinstance(p, tuple) else p for p in predicted]
    n = len(gold)
    per_topic: dict[str, list[bool]] = {}
    for g, p in zip(gold, predicted, strict=True):
        per_topic.setdefault(topic(g), []).append(topic(g) == topic(p))
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return {
        "intent_acc": sum(g == p for g, p in zip(gold, predicted, strict=True)) / n,
        "topic_acc": sum(topic(g) == topic(p) for g, p in zip(gold, predicted, strict=True)) / n,
        "macro_f1": f1_score(
            gold, predicted, average="macro", labels=sorted(set(gold)), zero_division=0
        ),
        "fallback_rate": sum(p == "nlu_fallback" for p in predicted) / n,
        "top_topic_acc": sum(topic(g) == topic(p) for g, p in zip(gold, top, strict=True)) / n,
        "topic_recall": {t: sum(v) / len(v) for t, v in sorted(per_topic.items())},
        "confusions": confusions.most_common(6),
    }


def baseline(train_pairs, test_texts, words: bool = False) -> list[str]:
    """TF-IDF + logistic regression: over character 1–3-grams of normalised text, or jieba words."""
    if words:
        import jieba

        vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=True)
    else:
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), preprocessor=normalise)
    features = vectorizer.fit_transform([t for t, _ in train_pairs])
    model = LogisticRegression(max_iter=2000, C=10).fit(features, [i for _, i in train_pairs])
    return list(model.predict(vectorizer.transform(test_texts)))


def folds(pairs, k: int = 5, seed: int = 7):
    """Stratified-ish k folds: shuffle per intent, deal round-robin."""
    rng = random.Random(seed)
    by_intent: dict[str, list] = {}
    for pair in pairs:
        by_intent.setdefault(pair[1], []).append(pair)
    buckets: list[list] = [[] for _ in range(k)]
    for items in by_intent.values():
        rng.shuffle(items)
        for index, item in enumerate(items):
            buckets[index % k].append(item)
    for i in range(k):
        yield [p for j, b in enumerate(buckets) if j != i for p in b], buckets[i]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cv", type=int, default=5, help="folds of cross-validation (0 to skip)")
    parser.add_argument("--configs", nargs="*", default=[str(ROOT / "config.yml"),
                        str(ROOT / "bench" / "configs" / "rasa_default.yml")])  # fmt: skip
    args = parser.parse_args()
    train_pairs, test_pairs = load(TRAIN_FILES), load([HELDOUT])
    overlap = {t for t, _ in train_pairs} & {t for t, _ in test_pairs}
    assert not overlap, f"held-out examples also in training data: {sorted(overlap)[:5]}"
    texts, gold = [t for t, _ in test_pairs], [i for _, i in test_pairs]
    share = len(test_pairs) / (len(test_pairs) + len(train_pairs))
    print(f"data: {len(train_pairs)} training, {len(test_pairs)} held-out ({share:.0%}), "
          f"{len(set(gold))} intents")  # fmt: skip

    rows = []
    for name, words in [
        ("TF-IDF (characters) + LogReg baseline", False),
        ("TF-IDF (jieba words) + LogReg", True),
    ]:
        started = time.monotonic()
        predicted = baseline(train_pairs, texts, words=words)
        rows.append((name, scores(gold, predicted), time.monotonic() - started, None, None))
    for config in args.configs:
        with tempfile.TemporaryDirectory() as tmp:
            model, seconds, peak = train(Path(config), train_pairs, Path(tmp))
            predicted, latencies = serve_and_parse(model, texts)
        rows.append((Path(config).name, scores(gold, predicted), seconds, peak, latencies))

    print("\n## Held-out split\n")
    print(
        "| pipeline | intent acc | topic acc | topic acc, no fallback | macro-F1 | fallback | train s "
        "| peak MB | parse p50 ms | parse p95 ms |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, s, seconds, peak, lat in rows:
        p50 = f"{statistics.median(lat):.1f}" if lat else "–"
        p95 = f"{sorted(lat)[int(0.95 * (len(lat) - 1))]:.1f}" if lat else "–"
        print(f"| {name} | {s['intent_acc']:.1%} | {s['topic_acc']:.1%} | {s['top_topic_acc']:.1%} | {s['macro_f1']:.3f} | "
              f"{s['fallback_rate']:.1%} | {seconds:.0f} | {peak and f'{peak:.0f}' or '–'} | {p50} | {p95} |")  # fmt: skip
    ours = rows[2][1]
    print("\n## Per-topic recall (project pipeline)\n")
    print("| topic | recall |\n| --- | --- |")
    for name, value in ours["topic_recall"].items():
        print(f"| {name} | {value:.1%} |")
    print("\n## Worst confusions (project pipeline)\n")
    for (g, p), count in ours["confusions"]:
        print(f"- {g} → {p}: {count}")

    if args.cv:
        print(f"\n## {args.cv}-fold cross-validation on the training data\n")
        print(
            "| pipeline | intent acc (mean) | topic acc (mean) | macro-F1 (mean) |\n| --- | --- | --- | --- |"
        )
        for name, runner in [
            ("TF-IDF + LogReg baseline", None),
            ("config.yml", ROOT / "config.yml"),
        ]:
            results = []
            for train_part, test_part in folds(train_pairs, args.cv):
                test_texts, test_gold = [t for t, _ in test_part], [i for _, i in test_part]
                if runner is None:
                    predicted = baseline(train_part, test_texts)
                else:
                    with tempfile.TemporaryDirectory() as tmp:
                        model, _, _ = train(runner, train_part, Path(tmp))
                        predicted, _ = serve_and_parse(model, test_texts)
                results.append(scores(test_gold, predicted))
            mean = {
                k: statistics.mean(r[k] for r in results)
                for k in ("intent_acc", "topic_acc", "macro_f1")
            }
            print(
                f"| {name} | {mean['intent_acc']:.1%} | {mean['topic_acc']:.1%} | {mean['macro_f1']:.3f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
