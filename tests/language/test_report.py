"""The report's own sentences answer the facts no entry states, with their section."""

from __future__ import annotations

from language.report import quote, sentences, stating_sentence


def test_every_sentence_has_its_section():
    found = sentences()
    assert len(found) > 150
    assert all(s.section[0] in "一二三" for s in found)


def test_a_figure_is_found_with_its_section():
    sentence = stating_sentence("12345满意率多少")
    assert "80%" in sentence.text and sentence.section == "一.4"
    assert quote(sentence, "zh").startswith("镇政府2021年工作报告（第一.4部分")


def test_an_english_question_reaches_the_chinese_sentence():
    assert "23台" in stating_sentence("How many elevators were installed?").text


def test_a_figure_in_another_unit_is_no_answer():
    assert stating_sentence("装电梯多少钱") is None  # the report gives no price


def test_a_question_that_asks_for_no_fact_gets_no_sentence():
    assert stating_sentence("我想找工作") is None


def test_an_entry_stating_the_fact_as_well_keeps_the_lead():
    known = "12345热线的市民满意率达到80%"
    assert stating_sentence("12345满意率多少", better_than=10, known=known) is None


def test_a_quoted_name_of_the_report_is_reached_by_its_name():
    assert "“店小二”" in stating_sentence("店小二是啥").text
    assert "“楼长制”" in stating_sentence("楼长制是什么意思").text


def test_a_rare_name_weighs_more_than_words_every_sentence_has():
    # 信泰 is in three of the report's sentences; 中心 and 长征 in dozens; 啥辰光 in none
    assert "信泰中心即将竣工" in stating_sentence("信泰中心啥辰光造好？").text


def test_words_the_report_uses_everywhere_are_no_match():
    assert stating_sentence("长征镇有几个地铁站") is None
    assert stating_sentence("金沙江路上那家火锅店人均多少钱") is None
    assert stating_sentence("长征镇的天气怎么样") is None
