"""The web chat's language follows most of what the resident types (headless Chromium, fake Rasa):
an English question naming a Chinese term stays English; Chinese with an English word is Chinese.
After the English button everything on the page is English, and stays so after a reload."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from tests.bot.webchat_fixtures import browser, chat, fake_rasa  # noqa: F401
from tests.bot.webchat_page import PHONE, ask, open_chat, replies
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


async def test_after_switching_to_english_everything_is_english(browser, chat, fake_rasa):
    page = await open_chat(browser, chat)
    assert await page.get_attribute("html", "lang") == "zh-CN"
    await page.get_by_role("button", name="English").click()
    await replies(page, 2)
    assert await page.get_attribute("html", "lang") == "en"
    assert fake_rasa.messages() == ['/greet{"language": "en"}']

    async def chinese_left() -> list[str]:
        return await page.evaluate(
            """() => {
              const texts = [document.title];
              for (const el of document.querySelectorAll(
                "h1, nav button:not([lang]), label, #send, .topics button, li.greeting, li.privacy, li.notice, #status"))
                texts.push(el.textContent);
              for (const el of document.querySelectorAll("[aria-label]")) texts.push(el.getAttribute("aria-label"));
              texts.push(document.getElementById("message").placeholder);
              return texts.filter((t) => /[\\u3400-\\u9fff]/.test(t));
            }"""
        )

    assert await chinese_left() == []
    assert await page.get_by_role("button", name="Delete my data").is_visible()
    assert (
        await page.get_attribute("#message", "placeholder")
        == "e.g. How do I apply for an elevator?"
    )
    fake_rasa.delay = 5  # the notices are English too
    await ask(page, "How do I call 12345?")
    assert await page.locator("#status").inner_text() == "Replying…"
    texts = await replies(page, 4)
    assert texts[-2].startswith("Still working")
    fake_rasa.delay = 0
    await page.get_by_role("button", name="Elevators").click()  # topic buttons ask in English
    await replies(page, 5)
    assert fake_rasa.messages()[-1] == "How do I apply to install an elevator?"
    await page.get_by_role("button", name="Delete my data").click()
    assert (await replies(page, 6))[-1].startswith("Delete your data?")
    assert await page.get_by_role("button", name="No, keep it").is_visible()
    assert await chinese_left() == []
    await page.reload()  # the choice is kept
    assert await page.get_attribute("html", "lang") == "en" and await chinese_left() == []
    await page.get_by_role("button", name="中文").click()
    await replies(page, 2)
    assert await page.get_attribute("html", "lang") == "zh-CN"
    assert await page.get_attribute("#message", "placeholder") == "例如：加装电梯怎么申请"
