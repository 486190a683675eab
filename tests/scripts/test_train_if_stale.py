"""Training writes its archive aside and installs it in one step (a server never loads half)."""

from __future__ import annotations

from pathlib import Path

from core import settings
from scripts import train_if_stale


def test_rasa_writes_aside_and_the_model_is_replaced_in_one_step(tmp_path, monkeypatch):
    models, generated = tmp_path / "models", tmp_path / "generated"
    (generated / "nlu").mkdir(parents=True)
    (generated / "nlu" / "entries.yml").write_text("nlu: []\n")
    models.mkdir()
    (models / "changzheng.tar.gz").write_bytes(b"old model")
    monkeypatch.setenv("MODEL_DIR", str(models))
    settings.get_settings.cache_clear()
    monkeypatch.setattr(train_if_stale, "GENERATED", generated)
    monkeypatch.setattr(train_if_stale, "inputs_hash", lambda: "digest")
    seen_during_training = []

    def rasa_train(command, **_kwargs):
        out = Path(command[command.index("--out") + 1])
        assert out != models
        (out / "changzheng.tar.gz").parent.mkdir(parents=True, exist_ok=True)
        (out / "changzheng.tar.gz").write_bytes(b"new model")
        seen_during_training.append((models / "changzheng.tar.gz").read_bytes())

    monkeypatch.setattr(train_if_stale.subprocess, "run", rasa_train)
    try:
        train_if_stale.train()
        assert seen_during_training == [b"old model"]  # models/ untouched while Rasa wrote
        assert (models / "changzheng.tar.gz").read_bytes() == b"new model"
        assert (models / "changzheng.inputs.sha256").read_text() == "digest\n"
        assert sorted(p.name for p in models.iterdir() if p.name.startswith(".")) == []
    finally:
        settings.get_settings.cache_clear()


def test_every_file_rasa_reads_is_an_input_and_the_catalogue_of_words_is_not(tmp_path):
    from scripts.train_if_stale import input_files

    names = {name for name, _ in input_files(tmp_path)}
    for needed in ("language/text.py", "language/glossary.yml", "topics.yml", "knowledge/places.yml",
                   "knowledge/topics.py", "rasa_addons/topic_model.py", "nlu_data/elevator.yml"):  # fmt: skip
        assert needed in names, needed
    assert not [n for n in names if n.startswith("language/words/")]
