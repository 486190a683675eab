"""The layers' promises: Rasa's side imports text tools without the data layer; the console imports
the data layer without spaCy."""

from __future__ import annotations

import subprocess
import sys

from core.settings import ROOT


def modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_text_tools_need_no_database():
    loaded = modules_after("import language.text, language.search, language.emergency")
    assert "sqlalchemy" not in loaded and "store.db" not in loaded


def test_the_console_and_the_data_layer_need_no_spacy():
    loaded = modules_after(
        "import console, console.site, store.suggestion_repo, knowledge.faq_search"
    )
    assert "store.models" in loaded
    assert "spacy" not in loaded and "rasa_sdk" not in loaded and "telegram" not in loaded


def test_the_text_tools_import_nothing_from_the_data_layer():
    """language/ is text in, text out: no module of it imports store/, knowledge/ or core/."""
    import ast

    data_layer = {"store", "knowledge", "core", "console", "actions", "bot"}
    found = []
    for path in sorted((ROOT / "language").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )  # fmt: skip
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in data_layer]
    assert found == []
