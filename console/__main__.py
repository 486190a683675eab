"""`python -m console`: the console served by waitress (host, port and threads from settings)."""

from __future__ import annotations

import logging

from console import create_app
from core.settings import get_settings

# Bodies over MAX_CONTENT_LENGTH get 413 with a JSON error; waitress reads (and spools) a body up
# to this before the app answers it, and closes the connection on anything larger.
DRAIN_BODY = 32 * 1024 * 1024


def main() -> None:
    from waitress import serve

    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    serve(
        create_app(), host=settings.console_host, port=settings.console_port, threads=8,
        max_request_body_size=DRAIN_BODY,
    )  # fmt: skip


if __name__ == "__main__":
    main()
