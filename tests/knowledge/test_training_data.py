"""Training data generated from the entries: from the database when it holds entries, the entries'
intents get a domain fragment and a rule, an example under two intents is refused, pending changes."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from core.settings import ROOT, get_settings
from knowledge import faq_repo, faq_sync, training_data
from knowledge.entries_io import load_entries


@pytest.fixture
def imported(session_factory):
    with session_factory.begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))


def test_an_empty_or_missing_database_means_the_files(tmp_path, database_url):
    assert training_data.entries_from_database(f"sqlite:///{tmp_path / 'none.db'}") is None
    assert not (tmp_path / "none.db").exists()
    assert training_data.entries_from_database(database_url) is None  # migrated, no entries
    entries, source = training_data.current_entries()
    assert source == "files" and entries == training_data.entries_from_files()


def test_the_database_entries_are_built_with_a_domain_fragment_and_rule(
    tmp_path, session_factory, imported
):
    with session_factory.begin() as session:
        faq_repo.save_entry(session, "hotline_contact", editor="li",
                            values={"examples": ["12345怎么打", "热线电话打几号来着呀"]})  # fmt: skip
        faq_repo.create_entry(session, editor="li", entry_id="eldercare_canteen",
                              intent="eldercare_canteen",
                              values={"title_zh": "长者食堂", "title_en": "Canteen",
                                      "answer_zh": "问居委会。", "answer_en": "Ask.",
                                      "source_zh": "工作人员", "source_en": "Staff",
                                      "examples": ["长者食堂在哪里吃饭"]})  # fmt: skip
    entries, source = training_data.current_entries()
    assert source == "database"
    count = training_data.build(tmp_path, entries)
    nlu = yaml.safe_load((tmp_path / "nlu" / "entries.yml").read_text())
    blocks = {b["intent"]: b["examples"] for b in nlu["nlu"]}
    assert "热线电话打几号来着呀" in blocks["hotline_contact"]
    assert "长者食堂在哪里吃饭" in blocks["eldercare_canteen"]
    assert {"rule": "answer eldercare_canteen", "steps": [
        {"intent": "eldercare_canteen"}, {"action": "action_answer_faq"}]} in nlu["rules"]  # fmt: skip
    domain = yaml.safe_load((tmp_path / "domain" / "entries.yml").read_text())
    assert {"eldercare_canteen", "elevator_cost"} <= set(domain["intents"])
    ruled = {rule["steps"][0]["intent"] for rule in nlu["rules"]}
    assert "elevator_cost" in ruled and not {"hotline_emergency", "human"} & ruled  # own rules
    assert (tmp_path / "domain" / "core.yml").exists()  # the written domain beside it
    assert count >= 2


def test_an_example_under_two_intents_is_refused(tmp_path, session_factory, imported):
    written = training_data.written_examples()
    example, intent = next(iter(written.items()))
    other = next(e for e in training_data.entries_from_database() if e.intent != intent)
    with session_factory.begin() as session:
        faq_repo.save_entry(session, other.id, editor="li",
                            values={"examples": [*other.examples, example]})  # fmt: skip
    with pytest.raises(training_data.TrainingDataError, match=other.id):
        training_data.build(tmp_path)


def test_pending_changes_compare_with_what_the_model_was_trained_on(
    tmp_path, session_factory, imported, monkeypatch
):
    entries = training_data.entries_from_database()
    training_data.build(tmp_path, entries)
    monkeypatch.setattr(training_data, "trained_nlu", lambda: tmp_path / "nlu" / "entries.yml")
    assert training_data.pending_changes(entries) == []
    with session_factory.begin() as session:
        faq_repo.save_entry(session, "hotline_contact", editor="li",
                            values={"examples": ["12345怎么打", "热线电话打几号来着呀"]})  # fmt: skip
    changes = training_data.pending_changes(training_data.entries_from_database())
    hotline = next(c for c in changes if c["id"] == "hotline_contact")
    assert hotline["added"] == ["热线电话打几号来着呀"]


def test_a_new_entry_s_intent_passes_rasa_s_validation(tmp_path, session_factory, imported):
    with session_factory.begin() as session:
        faq_repo.create_entry(session, editor="li", entry_id="eldercare_canteen",
                              intent="eldercare_canteen",
                              values={"title_zh": "长者食堂", "title_en": "Canteen",
                                      "answer_zh": "问居委会。", "answer_en": "Ask.",
                                      "source_zh": "工作人员", "source_en": "Staff",
                                      "examples": ["长者食堂在哪里吃饭", "老人助餐点怎么订餐"]})  # fmt: skip
    training_data.build(tmp_path)
    done = subprocess.run(
        [str(ROOT / ".venv-rasa/bin/rasa"), "data", "validate", "--domain", str(tmp_path / "domain"),
         "--data", "nlu_data", str(tmp_path / "nlu"), "--fail-on-warnings"],
        cwd=ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.mark.parametrize("broken", ["not a database", "unreachable"])
def test_a_database_that_cannot_be_read_fails_and_is_named(broken, tmp_path):
    if broken == "not a database":
        (tmp_path / "entries.db").write_bytes(b"this is no SQLite file " * 100)
        url, named = f"sqlite:///{tmp_path / 'entries.db'}", str(tmp_path / "entries.db")
    else:  # nothing listens on port 9 of the loopback
        url = "postgresql+psycopg://staff:secret@127.0.0.1:9/town?connect_timeout=3"
        named = "postgresql+psycopg://staff:***@127.0.0.1:9/town"
    with pytest.raises(training_data.TrainingDatabaseError) as raised:
        training_data.entries_from_database(url)
    assert named in str(raised.value) and "secret" not in str(raised.value)


def test_training_stops_when_the_configured_database_cannot_be_read(tmp_path, monkeypatch, capsys):
    """`make train` (scripts.train_if_stale) exits non-zero and says which database, rather than
    training a model from the files without what staff published."""
    from scripts import build_training_data, train_if_stale

    broken = tmp_path / "changzheng.db"
    broken.write_bytes(b"this is no SQLite file " * 100)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{broken}")
    get_settings.cache_clear()
    trained = []
    monkeypatch.setattr(train_if_stale, "build", lambda: build_training_data.build(tmp_path / "b"))
    monkeypatch.setattr(train_if_stale, "is_stale", lambda: True)
    monkeypatch.setattr(train_if_stale, "train", lambda: trained.append(True))
    try:
        assert train_if_stale.main() == 1
    finally:
        get_settings.cache_clear()
    assert f"database sqlite:///{broken}" in capsys.readouterr().err
    assert trained == [] and not (tmp_path / "b").exists()
