"""Train the Rasa model only when a training input changed since the last training."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.settings import ROOT
from knowledge.training_data import MODEL_NAME, TrainingDatabaseError, model_dir, trained_nlu
from scripts.build_training_data import OUT as GENERATED
from scripts.build_training_data import build

CONFIG = ROOT / "config.yml"
# What Rasa's components read besides the generated data: the text tools (language/, not its
# catalogue of words: no component reads those), the places, the dictionary and the topic registry.
INPUTS = ("domain", "nlu_data", "knowledge/dictionary", "knowledge/places.yml", "knowledge/topics.py",
          "topics.yml", "language", "rasa_addons")  # fmt: skip
NOT_INPUTS = ("language/words",)
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return []


def input_files(generated: Path = GENERATED) -> list[tuple[str, Path]]:
    """Every file that shapes the model, named stably, in a stable order (answer texts are not
    among them). Generated files are named relative to their build folder, so data generated into
    another folder (a publish) hashes the same as `make train`'s."""
    files = [(f"generated/{p.relative_to(generated)}", p) for p in _files(generated)]
    for name in INPUTS:
        files += [
            (str(p.relative_to(ROOT)), p)
            for p in _files(ROOT / name)
            if not str(p.relative_to(ROOT)).startswith(NOT_INPUTS)
        ]
    return files


def inputs_hash(generated: Path = GENERATED, config: Path = CONFIG) -> str:
    """SHA-256 over the input files' names and contents (and the training configuration)."""
    digest = hashlib.sha256()
    for name, path in [("config.yml", config), *input_files(generated)]:
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path() -> Path:
    """Where the trained model lives."""
    return model_dir() / f"{MODEL_NAME}.tar.gz"


def hash_file() -> Path:
    """The installed model's inputs' hash."""
    return model_dir() / f"{MODEL_NAME}.inputs.sha256"


def is_stale() -> bool:
    """True when there is no model or its inputs changed."""
    if not model_path().exists() or not hash_file().exists():
        return True
    return hash_file().read_text().strip() != inputs_hash()


def train_command(
    out: Path, name: str, generated: Path = GENERATED, config: Path = CONFIG
) -> list[str]:
    """`rasa train` on the written data and the data generated into `generated`."""
    return [
        str(RASA), "train", "--config", str(config), "--domain", str(generated / "domain"),
        "--data", "nlu_data", str(generated / "nlu"), "--out", str(out),
        "--fixed-model-name", name,
    ]  # fmt: skip


def _replace(source: Path, target: Path) -> None:
    """Copy `source` over `target` atomically (a reader sees the old or the new file)."""
    temporary = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def install(model: Path, generated: Path, digest: str) -> None:
    """Make `model` the one restarts load: models/changzheng.tar.gz, its inputs' hash and the
    generated NLU data it was trained on, each replaced atomically."""
    model_dir().mkdir(parents=True, exist_ok=True)
    if model.resolve() != model_path().resolve():
        _replace(model, model_path())
    _replace(generated / "nlu" / "entries.yml", trained_nlu())
    temporary = hash_file().with_name(f".{hash_file().name}.tmp")
    temporary.write_text(digest + "\n")
    os.replace(temporary, hash_file())


def train() -> None:
    """Run `rasa train` in Rasa's environment and record the inputs' hash. Rasa writes its
    archive aside (build/model-out): a server loading models/ meanwhile reads the old model or
    the new one, never half of one."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    digest, out = inputs_hash(), ROOT / "build" / "model-out"
    subprocess.run(train_command(out, MODEL_NAME), cwd=ROOT, env=env, check=True)
    trained = out / model_path().name
    install(trained, GENERATED, digest)
    trained.unlink()


def main() -> int:
    """Build the generated data, then train if stale. Exit status 1 when the database holding
    the entries cannot be read (never a model trained without what staff published)."""
    try:
        build()
    except TrainingDatabaseError as error:
        print(f"train: {error}", file=sys.stderr)
        return 1
    if is_stale():
        print("training the model (inputs changed)…", flush=True)
        train()
        print(f"model trained: {model_path()}")
    else:
        print(f"model is up to date: {model_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
