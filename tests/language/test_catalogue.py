"""The catalogue of words: every key in every language, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from language import catalogue


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalogue.catalogue()))
def test_every_key_is_in_every_language_with_the_same_placeholders(key):
    texts = catalogue.texts(key)
    assert set(texts) == set(catalogue.LANGUAGES), key
    assert all(t.strip() for t in texts.values()), key
    assert len({frozenset(placeholders(t)) for t in texts.values()}) == 1, texts


def test_a_key_defined_twice_or_without_languages_is_refused(tmp_path):
    (tmp_path / "a.yml").write_text("hello: {zh: 你好, en: Hello}\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("hello: {zh: 您好, en: Hi}\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="hello"):
        catalogue.catalogue(tmp_path)
    (tmp_path / "b.yml").write_text("bye: 再见\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="bye"):
        catalogue.catalogue(tmp_path)


def test_a_missing_key_is_named_and_a_missing_language_falls_back_to_chinese(tmp_path, monkeypatch):
    with pytest.raises(KeyError, match="no-such-key"):
        catalogue.say("no-such-key")
    (tmp_path / "a.yml").write_text("n: {zh: '共 {n} 条'}\n", encoding="utf-8")
    read = catalogue.catalogue.__wrapped__  # the files themselves, not the cached default
    monkeypatch.setattr(catalogue, "catalogue", lambda: read(tmp_path))
    assert catalogue.say("n", "en", n=3) == "共 3 条"
