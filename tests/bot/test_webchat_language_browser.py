"""The web chat's language follows most of what the resident types (headless Chromium, fake Rasa):
an English question naming a Chinese term stays English; Chinese with an English word is Chinese."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from tests.bot.test_webchat_browser import PHONE, ask, replies
from tests.bot.webchat_fixtures import browser, chat, fake_rasa  # noqa: F401
from tests.language.test_text import MIXED


async def test_an_english_question_with_a_chinese_term_keeps_the_chat_english(browser, chat,
                                                                              fake_rasa):  # fmt: skip
    page = await browser.new_page(viewport=PHONE)
    await page.goto(chat)
    assert await page.get_attribute("html", "lang") == "zh-CN"
    await ask(page, "What is 长护险?")
    await replies(page, 2)
    assert await page.get_attribute("html", "lang") == "en"
    assert (
        await page.get_attribute("#message", "placeholder")
        == "e.g. How do I apply for an elevator?"
    )
    await ask(page, "where is the 居委会")
    await replies(page, 3)
    assert await page.get_attribute("html", "lang") == "en"
    assert fake_rasa.messages() == ["What is 长护险?", "where is the 居委会"]
    await ask(page, "我想问下APP怎么下载")  # Chinese with an English word: Chinese again
    await replies(page, 4)
    assert await page.get_attribute("html", "lang") == "zh-CN"
    assert await page.get_attribute("#message", "placeholder") == "例如：加装电梯怎么申请"


async def test_the_page_and_the_server_read_mixed_messages_alike(browser, chat):
    page = await browser.new_page(viewport=PHONE)
    await page.goto(chat)
    texts = [text for text, _, _ in MIXED]
    read = await page.evaluate("(texts) => texts.map(languageOf)", texts)
    assert read == [expected for _, _, expected in MIXED]
