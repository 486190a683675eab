"""Logging of the processes we start: one format, and nothing that writes secrets (deploy/logging.yml)."""

from __future__ import annotations

import logging
import logging.config

import yaml

from core.settings import ROOT

LOGGING_CONFIG = ROOT / "deploy" / "logging.yml"


def configure(level: str) -> None:
    """Log to stderr at `level`; HTTP clients (whose request URLs carry the bot token) at WARNING."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.config.dictConfig(yaml.safe_load(LOGGING_CONFIG.read_text()))
