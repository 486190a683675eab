"""Settings admins change in the console have one reader, `settings_repo.get_int`: no code reads
their environment value (`get_settings().retention_days` …), which is only the default."""

from __future__ import annotations

import ast

from core.settings import ROOT
from store.settings_repo import EDITABLE

CODE = (
    "actions",
    "bot",
    "console",
    "knowledge",
    "store",
    "core",
    "scripts",
    "rasa_addons",
    "language",
    "bench",
)


def test_no_code_reads_an_editable_setting_from_the_environment():
    reads = []
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in EDITABLE:
                    reads.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert reads == []


def test_the_default_comes_from_the_environment_until_an_admin_sets_it(
    session_factory, monkeypatch
):
    from core import settings
    from store import settings_repo

    monkeypatch.setenv("RETENTION_DAYS", "90")
    settings.get_settings.cache_clear()
    with session_factory.begin() as session:
        assert settings_repo.get_int(session, "retention_days") == 90
        settings_repo.set_int(session, "retention_days", 60, by="admin")
    with session_factory.begin() as session:
        assert settings_repo.get_int(session, "retention_days") == 60
    settings.get_settings.cache_clear()
