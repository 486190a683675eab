"""The console's modules in Flask's tutorial's shape: the application factory alone in
`console/__init__.py`; the blueprints import their helpers (`console.db`, `console.auth`,
`console.words`, `console.unit`) and never the package's factory, so there is no import cycle."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

from core.settings import ROOT

CONSOLE = ROOT / "console"
MODULES = sorted(f"console.{p.stem}" for p in CONSOLE.glob("*.py") if p.stem != "__init__")


def _imported(path) -> set[str]:
    """What a module imports from the console: `console.x` for `import console.x` and
    `from console.x import …`, `console:name` for `from console import name`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "console"}
        elif isinstance(node, ast.ImportFrom) and node.module == "console":
            found |= {f"console:{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("console."):
            found.add(node.module)
    return found


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)


def test_no_module_imports_the_factory_or_a_console_app():
    """Only `python -m console` (`__main__`) and the factory's own body reach `create_app`; no
    module imports `console.app` (gone) or a name the package defines rather than a module."""
    submodules = {p.stem for p in CONSOLE.glob("*.py")}
    assert not (CONSOLE / "app.py").exists()
    wrong = {}
    for path in sorted(CONSOLE.glob("*.py")):
        if path.stem in ("__init__", "__main__"):
            continue
        bad = {name for name in _imported(path)
               if name == "console.app" or name.startswith("console:")
               and name.removeprefix("console:") not in submodules}  # fmt: skip
        if bad:
            wrong[path.name] = sorted(bad)
    assert wrong == {}
    assert len(MODULES) >= 15


def test_each_module_imports_first_in_a_fresh_interpreter():
    """Whichever module is imported first, every other one imports after it (a cycle breaks the
    first import of one of them), and the app is then built from the factory. One interpreter
    per module, all at once."""
    started = {}
    for first in MODULES:
        rest = "".join(f"import {m}\n" for m in reversed(MODULES) if m != first)
        code = f"import {first}\n{rest}from console import create_app\n" + (
            "print(sorted(create_app().blueprints))"
        )
        started[first] = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    failed = {}
    for first, process in started.items():
        out, err = process.communicate(timeout=300)
        if process.returncode or "'auth'" not in out or "'queue'" not in out:
            failed[first] = err.strip().splitlines()[-1:] or out
    assert failed == {}


def test_the_start_commands_name_a_module_with_main():
    """deploy/ starts the console with `python -m console`, which serves the factory's app."""
    commands = set()
    for path in sorted((ROOT / "deploy").glob("*")):
        if path.is_file():
            commands |= set(re.findall(r"python -m (console\S*)", path.read_text("utf-8")))
    assert commands == {"console"}
    done = _run("import console.__main__ as m; print(callable(m.main))")
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr
