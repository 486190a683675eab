"""Train the Rasa model only when a training input changed since the last training."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from knowledge.settings import ROOT
from scripts.build_training_data import build

MODEL_DIR = ROOT / "models"
MODEL_NAME = "changzheng"
HASH_FILE = MODEL_DIR / f"{MODEL_NAME}.inputs.sha256"
INPUTS = (
    "config.yml", "domain", "nlu_data", "build/nlu", "knowledge/dictionary", "knowledge/text.py",
    "rasa_addons",
)  # fmt: skip
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def input_files() -> list[Path]:
    """Every file that shapes the model, in a stable order (answer texts are not among them)."""
    files: list[Path] = []
    for name in INPUTS:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
    return files


def inputs_hash() -> str:
    """SHA-256 over the input files' paths and contents."""
    digest = hashlib.sha256()
    for path in input_files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path() -> Path:
    """Where the trained model lives."""
    return MODEL_DIR / f"{MODEL_NAME}.tar.gz"


def is_stale() -> bool:
    """True when there is no model or its inputs changed."""
    if not model_path().exists() or not HASH_FILE.exists():
        return True
    return HASH_FILE.read_text().strip() != inputs_hash()


def train() -> None:
    """Run `rasa train` in Rasa's environment and record the inputs' hash."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    digest = inputs_hash()
    command = [
        str(RASA), "train", "--config", "config.yml", "--domain", "domain",
        "--data", "nlu_data", "build/nlu", "--out", str(MODEL_DIR),
        "--fixed-model-name", MODEL_NAME,
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    HASH_FILE.write_text(digest + "\n")


def main() -> int:
    """Build the generated data, then train if stale."""
    build()
    if is_stale():
        print("training the model (inputs changed)…", flush=True)
        train()
        print(f"model trained: {model_path()}")
    else:
        print(f"model is up to date: {model_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
