"""README.md's file table is true to the tree: every path it names exists (generated, git-ignored
ones aside), every top-level directory of the project has its row, and every script is named."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from core.settings import ROOT

README = ROOT / "README.md"
EXTENSION = re.compile(r"\.[a-z]{1,5}$")


def table() -> list[tuple[list[str], list[str]]]:
    """The rows of the `| path | what lives there |` table: the first cell's and the second
    cell's backticked names."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Files\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            rows.append((re.findall(r"`([^`]+)`", cells[0]), re.findall(r"`([^`]+)`", cells[1])))
    return rows


def names_a_path(name: str) -> bool:
    """A backticked name in the second column is a path when it has a folder or an extension
    (`make bench` or `run` are not)."""
    return " " not in name and ("/" in name or bool(EXTENSION.search(name)))


def ignored(path: str) -> bool:
    """Generated and local paths (var/, build/, models/) are git-ignored: not in a fresh clone."""
    return subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0


def exists(name: str, folders: list[Path]) -> bool:
    """`name` (a path, a glob, or a pattern like `<topic>.yml`) names something under one of
    `folders`: the row's own folder first, then the repository's root."""
    pattern = re.sub(r"<[^>]+>", "*", name).rstrip("/")
    return any(next(folder.glob(pattern), None) is not None for folder in folders)


def tree() -> list[str]:
    """The project's files: in git, and new ones not yet committed that git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    return [path for path in listed if (ROOT / path).exists()]  # a deletion not yet committed


def test_the_table_has_rows():
    rows = table()
    assert len(rows) >= 15
    assert all(paths for paths, _ in rows)


def test_every_path_the_table_names_exists():
    missing = []
    for paths, mentioned in table():
        folders = [ROOT / path for path in paths if path.endswith("/")] + [ROOT]
        for name in paths + [name for name in mentioned if names_a_path(name)]:
            if not exists(name, folders) and not ignored(name):
                missing.append(f"{paths[0]}: {name}")
    assert not missing, "README.md's file table names what is not there: " + ", ".join(missing)


def test_every_top_level_directory_has_its_row():
    named = {path.rstrip("/") for paths, _ in table() for path in paths}
    folders = {path.split("/", 1)[0] for path in tree() if "/" in path}
    assert folders >= {"bot", "actions", "knowledge", "store", "core", "language", "console"}
    assert not folders - named, f"README.md's file table lacks {sorted(folders - named)}"


def test_every_script_is_named_in_the_scripts_row():
    (mentioned,) = [mentioned for paths, mentioned in table() if paths == ["scripts/"]]
    scripts = {
        Path(path).name for path in tree()
        if re.fullmatch(r"scripts/[^/]+\.(py|sh)", path) and not path.endswith("__init__.py")
    }  # fmt: skip
    assert not scripts - set(mentioned), (
        f"README.md's scripts row lacks {sorted(scripts - set(mentioned))}"
    )


def test_the_checks_catch_a_missing_path(tmp_path):
    """The existence check itself: a made-up module is not found, a pattern is."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "app.py").write_text("")
    (tmp_path / "pages" / "templates").mkdir()
    folders = [tmp_path / "pages", tmp_path]
    assert not exists("no_such_module.py", folders) and not exists("static/", folders)
    assert exists("app.py", folders) and exists("templates/", folders)
    assert exists("pages/app.py", folders) and exists("<name>.py", folders[:1])
    assert ignored("var/log/train.log") and not ignored("scripts/step.sh")
    assert names_a_path("RESULTS.md") and names_a_path("data/exam/")
    assert not names_a_path("make bench") and not names_a_path("run")
