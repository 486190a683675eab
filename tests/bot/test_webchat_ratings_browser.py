"""👍 / 👎 in the web chat (headless Debian Chromium) in front of the real assistant: the buttons
follow the answer, smaller than the questions, and a click rates the answer."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.webchat import make_app
from core import settings
from store import db
from store.db import make_engine
from store.models import AnswerRating
from tests.bot.webchat_fixtures import COOKIE_SECRET, browser, free_port  # noqa: F401
from tests.bot.webchat_page import PHONE, ask, replies

pytestmark = pytest.mark.integration


@pytest.fixture
async def stack_chat(stack, monkeypatch):
    """The web chat on a free port, in front of the stack's Rasa and database."""
    env = {"RASA_URL": stack.rasa_url, "CHANNEL_SECRET": stack.channel_secret,
           "DATABASE_URL": stack.database_url, "WEBCHAT_COOKIE_SECRET": COOKIE_SECRET}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for cached in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()
    port, app = free_port(), make_app()
    server = app.listen(port, address="127.0.0.1")
    yield f"http://127.0.0.1:{port}"
    server.stop()
    await app.settings["bridge"].rasa.close()
    db.get_engine().dispose()
    for cached in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()


def ratings(stack) -> dict[int, str]:
    engine = make_engine(stack.database_url)
    with Session(engine) as session:
        found = {r.turn_id: r.rating for r in session.scalars(select(AnswerRating))}
    engine.dispose()
    return found


async def test_clicking_thumbs_up_after_an_answer_rates_it(browser, stack, stack_chat):
    before = ratings(stack)
    page = await browser.new_page(viewport=PHONE, device_scale_factor=1)
    await page.goto(stack_chat)
    await ask(page, "我们镇加装电梯现在装了多少台")
    answer = (await replies(page, 2))[-1]
    assert "23台" in answer
    last = page.locator("#log li.bot").nth(await page.locator("#log li.bot").count() - 1)
    thumbs = last.locator(".choices button.rating")
    assert await thumbs.all_inner_texts() == ["👍 有帮助", "👎 没帮助"]
    buttons = await last.locator(".choices button").all_inner_texts()
    assert buttons[-2:] == ["👍 有帮助", "👎 没帮助"]  # after the answer's questions
    sizes = await last.evaluate(
        """(li) => [...li.querySelectorAll('.choices button')].map(
             (b) => parseFloat(getComputedStyle(b).fontSize))"""
    )
    assert sizes[-1] < sizes[0]  # smaller than the questions
    await page.get_by_role("button", name="👍 有帮助").click()
    texts = await replies(page, 3)
    assert "谢谢您的评价" in texts[-1]
    assert await thumbs.count() == 0  # rated once here; the answer's questions stay
    assert await last.locator(".choices button").all_inner_texts() == buttons[:-2]
    new = {k: v for k, v in ratings(stack).items() if k not in before}
    assert list(new.values()) == ["up"]
