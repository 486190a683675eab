"""Only a suggestion (or a change of mind that restores one) starts the suggestion form: no rule or
story opens it after another intent."""

from __future__ import annotations

import yaml

from core.settings import ROOT

STARTS = {"action_start_suggestion", "suggestion_form"}


def flows():
    for path in sorted((ROOT / "nlu_data").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        yield from [*data.get("rules", []), *data.get("stories", [])]


def test_the_form_starts_only_after_suggestion_give():
    starts = 0
    for flow in flows():
        steps = flow.get("steps", [])
        in_loop = any(c.get("active_loop") for c in flow.get("condition", []))
        for before, step in zip([{}, *steps], steps, strict=False):
            if step.get("action") == "action_start_suggestion" or (
                step.get("action") == "suggestion_form" and not in_loop
                and before.get("action") != "action_start_suggestion"
            ):  # fmt: skip
                assert before.get("intent") in ("suggestion_give", "suggestion_resume"), flow
                starts += 1
    assert starts >= 1
