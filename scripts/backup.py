"""Backup and restore of the project's database (DATABASE_URL): suggestions, replies, staff, entries.

    python -m scripts.backup dump FILE       PostgreSQL: pg_dump's custom format; SQLite: a copy
                                             made with SQLite's online backup (safe while serving)
    python -m scripts.backup restore FILE    into DATABASE_URL, which must be a new, empty database

The password never shows in the process list (PGPASSWORD). Keep CONTACT_KEY and IDENTITY_SECRET
with the backups but apart from them: without them the call-back numbers cannot be read and the
residents' identities no longer match (deploy/README.md). The tracker store is not backed up here:
conversations are short-lived and purged (RETENTION_DAYS)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from core.settings import get_settings
from store.db import resolve_url


class BackupFailed(RuntimeError):
    """pg_dump or pg_restore failed; the message has their last lines."""


def _postgres(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment that carries it."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def dump(url: str, path: Path) -> None:
    """Back up the database at `url` into `path`."""
    url = resolve_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        with sqlite3.connect(make_url(url).database) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return
    libpq, env = _postgres(url)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path),
          "--dbname", libpq], env)  # fmt: skip


def restore(path: Path, url: str) -> None:
    """Restore `path` into the (new, empty) database at `url`."""
    url = resolve_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        target_path = Path(make_url(url).database)
        if target_path.exists() and target_path.stat().st_size:
            raise BackupFailed(f"{target_path} is not empty: restore into a new database")
        with sqlite3.connect(path) as source, sqlite3.connect(target_path) as target:
            source.backup(target)
        return
    libpq, env = _postgres(url)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--dbname", libpq, str(path)], env)  # fmt: skip


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("dump", "restore"):
        print(__doc__, file=sys.stderr)
        return 2
    url, path = get_settings().database_url, Path(argv[1])
    try:
        dump(url, path) if argv[0] == "dump" else restore(path, url)
    except BackupFailed as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{argv[0]}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
