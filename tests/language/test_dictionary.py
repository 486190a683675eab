"""The jieba user dictionary covers the town's places and programme names."""

from __future__ import annotations

from core.settings import ROOT
from language.nlp import load_places

DICTIONARY = ROOT / "knowledge" / "dictionary"


def words() -> set[str]:
    found = set()
    for path in DICTIONARY.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.add(line.split()[0])
    return found


def test_every_place_is_a_word():
    assert set(load_places()) <= words()


def test_programme_names_and_common_misspellings_are_words():
    assert {
        "长护险",
        "长户险",
        "长征助业直通车",
        "长者照护之家",
        "综合为老服务中心",
        "人民建议征集",
    } <= words()


def test_the_other_topics_programme_words_are_words():
    assert {
        "一网通办",
        "帮办",
        "低保",
        "政策找人",
        "救助顾问",
        "综合修缮",
        "美丽楼组",
        "群租",
        "楼道堆物",
        "长征杯",
        "健身步道",
        "社区书院",
        "飞线充电",
    } <= words()
