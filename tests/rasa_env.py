"""Code run in Rasa's own environment (`.venv-rasa`: scikit-learn, pypinyin, Rasa), for the tests
of what runs inside Rasa."""

from __future__ import annotations

import subprocess

from core.settings import ROOT


def rasa_python(code: str, *, stdin: str | None = None, timeout: float = 300):
    """`python -c code` in Rasa's environment, from the repository's root; its completed process."""
    return subprocess.run(
        [str(ROOT / ".venv-rasa/bin/python"), "-c", code], input=stdin,
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
