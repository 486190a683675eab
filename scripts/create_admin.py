"""Create an admin account for the staff console: `make admin` (asks for the password).

ADMIN_USERNAME (default `admin`) and ADMIN_PASSWORD may come from the environment for scripts;
there is no default password.
"""

from __future__ import annotations

import getpass
import os
import sys

from store import staff_repo
from store.db import get_sessionmaker


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    username = (args[0] if args else os.environ.get("ADMIN_USERNAME", "")) or "admin"
    password = os.environ.get("ADMIN_PASSWORD", "")
    if not password:
        if not sys.stdin.isatty():
            print("error: set ADMIN_PASSWORD or run this in a terminal", file=sys.stderr)
            return 2
        password = getpass.getpass(
            f"password for {username} (at least {staff_repo.MIN_PASSWORD} characters): "
        )
        if getpass.getpass("again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    try:
        with get_sessionmaker().begin() as session:
            staff_repo.create_account(
                session, username=username, password=password, role="admin", by="make admin"
            )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"admin account {username!r} created: sign in to the console with it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
