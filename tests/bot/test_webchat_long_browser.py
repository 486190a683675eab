"""A message over 2,000 characters typed in the web chat reaches the server, which reads it in part
and tells the resident, as every channel does (headless Chromium, fake Rasa)."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from language.catalogue import say
from tests.bot.webchat_fixtures import browser, chat, fake_rasa  # noqa: F401
from tests.bot.webchat_page import PHONE, ask, replies


async def test_a_long_message_is_read_in_part_and_the_resident_is_told(browser, chat, fake_rasa):
    page = await browser.new_page(viewport=PHONE)
    await page.goto(chat)
    await ask(page, "楼道里堆满了杂物。" * 300)  # 2,700 characters
    texts = await replies(page, 3)  # the greeting, the notice, the answer
    assert sum(say("too_long") in text for text in texts) == 1
    assert [len(m) for m in fake_rasa.messages()] == [2000]
