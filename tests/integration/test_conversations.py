"""Rasa's own conversation tests (tests/conversations) against the trained model and action server."""

from __future__ import annotations

import os
import subprocess

import pytest

from core.settings import ROOT
from scripts.train_if_stale import model_path

pytestmark = pytest.mark.integration


def test_conversation_stories_pass(stack, tmp_path):
    result = subprocess.run(
        [str(ROOT / ".venv-rasa/bin/rasa"), "test", "core",
         "--stories", str(ROOT / "tests" / "conversations"), "--model", str(model_path()),
         "--endpoints", str(stack.endpoints_file), "--out", str(tmp_path),
         "--fail-on-prediction-errors", "--no-plot"],
        cwd=ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    failed = tmp_path / "failed_test_stories.yml"
    detail = (
        failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    )
    assert result.returncode == 0, detail


def test_rasa_data_is_valid():
    result = subprocess.run(
        [str(ROOT / ".venv-rasa/bin/rasa"), "data", "validate", "--domain", "build/domain",
         "--data", "nlu_data", "build/nlu", "--fail-on-warnings"],
        cwd=ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
