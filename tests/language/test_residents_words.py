"""Every key the code asks the catalogue for is in it: `say("key", …)`, `texts("key")` and the
relay's `in_both("key")` in actions/, bot/, knowledge/, language/, scripts/ and store/, and the
suggestion flow's `tell(dispatcher, "key", …)`. A key built in an f-string (`f"way_out_{slot}"`)
must match at least one key of the catalogue."""

from __future__ import annotations

import re

import pytest
import yaml

from core.settings import ROOT
from language import catalogue

PACKAGES = ("actions", "bot", "knowledge", "language", "scripts", "store")
ASKED = re.compile(
    r"""\b(?:say|texts|in_both)\(\s*(f?)["']([^"']+)["']"""  # say("key", lang), texts("key")
    r"""|\btell\(\s*\w+,\s*(f?)["']([^"']+)["']"""  # tell(dispatcher, "key", lang)
)
SHAPE = re.compile(r"^[a-z][a-z0-9_]*$")


def asked() -> list[tuple[str, str]]:
    """(where, key) for every key literal the code passes to the catalogue; an f-string's key as
    a pattern, its {fields} standing for any text."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            code = path.read_text(encoding="utf-8")
            for match in ASKED.finditer(code):
                f, key = match.group(1, 2) if match.group(2) else match.group(3, 4)
                key = re.sub(r"\{[^}]*\}", "{}", key) if f else key
                line = code.count("\n", 0, match.start()) + 1
                found.append((f"{path.relative_to(ROOT)}:{line}", key))
    return found


def test_the_code_asks_for_words_in_every_package_it_should():
    where = {place.split("/")[0] for place, _ in asked()}
    assert {"actions", "bot", "store"} <= where  # a broken pattern would find nothing
    assert len(asked()) >= 40


@pytest.mark.parametrize(("where", "key"), asked())
def test_every_key_the_code_asks_for_is_in_the_catalogue(where, key):
    keys = catalogue.catalogue()
    if "{}" in key:
        pattern = re.compile(".+".join(map(re.escape, key.split("{}"))))
        assert any(pattern.fullmatch(k) for k in keys), f"{where}: nothing matches {key!r}"
    else:
        assert key in keys, f"{where}: {key!r} is not in language/words/"


def test_the_residents_file_holds_what_the_bridges_and_the_actions_say():
    path = catalogue.WORDS_DIR / "residents.yml"
    residents = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("apology", "busy", "too_long", "technical_problem", "privacy", "hint_go_on"):
        assert set(residents[key]) == set(catalogue.LANGUAGES), key
    assert [key for key in residents if not SHAPE.match(key)] == []


def test_a_notice_says_what_it_did_before_the_move():
    """The texts residents know and the tests of whole conversations look for are unchanged."""
    assert catalogue.say("apology").startswith("抱歉，助手暂时无法回答")
    assert catalogue.say("too_long", "en").startswith("Your message is very long")
    assert catalogue.say("handoff_queued", "en", minutes=5).endswith("the assistant will carry on.")
    assert catalogue.say("status_new_reply", "en").startswith(" (new reply")  # after the status
