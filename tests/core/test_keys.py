"""Secrets from the environment, else made once into a file only the owner reads."""

from __future__ import annotations

import ast
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core import keys
from core.settings import ROOT


def test_a_configured_value_wins_and_no_file_is_made(tmp_path):
    assert keys.secret("CHANNEL_SECRET", "from-env", directory=tmp_path) == "from-env"
    assert not (tmp_path / "channel.secret").exists()


def test_the_environment_is_read_when_nothing_is_passed(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_AUTH_TOKEN", "token-from-env")
    assert keys.secret("RASA_AUTH_TOKEN", directory=tmp_path) == "token-from-env"


@pytest.mark.parametrize("name", sorted(keys.FILES))
def test_without_a_value_a_secret_is_made_once_readable_by_the_owner_only(tmp_path, name):
    first = keys.secret(name, "", directory=tmp_path)
    path = tmp_path / keys.FILES[name]
    assert len(first) == 64 and first == keys.secret(name, "", directory=tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no drafts left behind


def test_processes_starting_at_once_all_get_the_same_secret(tmp_path):
    with ThreadPoolExecutor(16) as pool:
        seen = set(pool.map(lambda _: keys.env_or_file("", tmp_path / "x.secret"), range(64)))
    assert len(seen) == 1


def test_the_module_rasa_imports_needs_only_the_standard_library():
    for path in (ROOT / "core" / "keys.py", ROOT / "core" / "__init__.py"):
        tree = ast.parse(Path(path).read_text())
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert imported <= {"__future__", "os", "secrets", "pathlib"}, (path, imported)
