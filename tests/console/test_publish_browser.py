"""Publish in headless Chromium against the real assistant (trained model, action server, Rasa):
an example question added in the editor is published (progress shown, docs/console-publish.png)
and the new model answers it; then a publish whose training fails ends failed with the reason and
leaves the running model answering."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures and the editor's tests)

from __future__ import annotations

import re
import shutil
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from core import settings
from knowledge import faq_repo, training_data
from scripts.train_if_stale import model_path
from store import db, publish_repo
from store.models import Suggestion
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console.browser import signed_in
from tests.console.test_editor_browser import DOCS, stack_console  # noqa: F401
from tests.console.test_publish import NEW_EXAMPLE, _add_example, launched, trained  # noqa: F401
from tests.stack import AUTH_TOKEN

ENTRY = "hotline_contact"
EXAMPLE = "想吐槽一下找谁说"  # the installed model falls back on it
ANSWER = "上海12345市民服务热线"
BROKEN_CONFIG = "recipe: default.v1\nlanguage: zh\npipeline:\n  - name: no_such.Component\n"
PUBLISH_SECONDS = 600


def _status(stack) -> dict:
    return httpx.get(f"{stack.rasa_url}/status", params={"token": AUTH_TOKEN}).json()


def _intent(stack, text: str) -> str:
    response = httpx.post(f"{stack.rasa_url}/model/parse", params={"token": AUTH_TOKEN},
                          json={"text": text}, timeout=30)  # fmt: skip
    return response.json()["intent"]["name"]


def _suggestions() -> int:
    with db.get_sessionmaker()() as session:
        return session.scalar(select(func.count(Suggestion.id)))


@pytest.fixture
def publishing(stack, stack_console, tmp_path, monkeypatch):
    """The runner the console starts reaches the stack's Rasa and installs into a model folder of
    the test's own; afterwards the stack gets its model and the entry its examples back."""
    models = tmp_path / "models"
    shutil.copytree(model_path().parent, models)
    monkeypatch.setenv("RASA_URL", stack.rasa_url)
    monkeypatch.setenv("RASA_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("MODEL_DIR", str(models))
    settings.get_settings.cache_clear()
    with db.get_sessionmaker()() as session:
        examples = list(session.get(faq_repo.FaqEntry, ENTRY).examples)
    yield models
    httpx.put(f"{stack.rasa_url}/model", params={"token": AUTH_TOKEN},
              json={"model_file": str(model_path())}, timeout=600).raise_for_status()  # fmt: skip
    with db.get_sessionmaker().begin() as session:
        faq_repo.save_entry(session, ENTRY, editor="test", values={"examples": examples})


async def _publish(page, console: str, state: str, screenshot=None) -> str:
    """Press Publish and wait until the new job ends in `state`; return the job's row text."""
    await page.goto(f"{console}/publish")
    await page.click("#publish-button")
    assert "已开始发布" in await page.inner_text(".flash")
    job = await page.get_attribute("#publish-history tbody tr", "data-job")
    if screenshot:
        await page.wait_for_selector("#publish-steps[data-state=training]",
                                     timeout=PUBLISH_SECONDS * 1000)  # fmt: skip
        await page.screenshot(path=str(screenshot), full_page=True)
    row = f"#publish-history tr[data-job='{job}']"
    await page.wait_for_selector(f"{row}[data-state={state}]", timeout=PUBLISH_SECONDS * 1000)
    return await page.inner_text(row)


async def test_an_added_example_is_published_and_a_failed_training_keeps_the_model(
    browser, stack, stack_console, publishing, monkeypatch, tmp_path
):
    console, editor = stack_console
    page = await signed_in(browser, console, editor)
    await page.set_viewport_size({"width": 1280, "height": 900})
    assert _intent(stack, EXAMPLE) != ENTRY
    suggestions = _suggestions()
    first_model = _status(stack)["model_id"]

    await page.goto(f"{console}/entries/{ENTRY}")
    examples = await page.input_value("#examples")
    await page.fill("#examples", f"{examples}\n{EXAMPLE}")
    await page.click("button[name=save]")
    assert "已保存" in await page.inner_text(".flash")
    await page.goto(f"{console}/publish")
    assert EXAMPLE in await page.inner_text("#pending")

    row = await _publish(page, console, "done", screenshot=DOCS / "console-publish.png")
    passed = re.search(r"\t(\d+)/(\d+)\t", row)  # every conversation test passed
    assert passed and passed[1] == passed[2] and int(passed[1]) >= 16, row
    published = _status(stack)["model_id"]
    assert published != first_model
    assert _intent(stack, EXAMPLE) == ENTRY
    reply = "\n".join(r.get("text", "") for r in stack.send(f"r-{uuid.uuid4().hex[:8]}", EXAMPLE))
    assert ANSWER in reply
    assert (publishing / "changzheng.tar.gz").stat().st_size > 0
    assert EXAMPLE in (publishing / "changzheng.entries.yml").read_text()
    assert _suggestions() == suggestions  # the conversation tests never wrote into this database
    await page.goto(f"{console}/publish")
    assert EXAMPLE not in await page.inner_text("#pending")  # nothing left to publish

    assert await page.is_disabled("#publish-button")  # nothing pending: a retrain is refused
    with db.get_sessionmaker().begin() as session:  # a change to publish
        examples = list(session.get(faq_repo.FaqEntry, ENTRY).examples)
        faq_repo.save_entry(session, ENTRY, editor="test",
                            values={"examples": [*examples, "热线电话打不通怎么办"]})  # fmt: skip
    config = tmp_path / "broken.yml"
    config.write_text(BROKEN_CONFIG)
    monkeypatch.setenv("PUBLISH_CONFIG", str(config))  # the runner trains with it
    row = await _publish(page, console, "failed")
    assert "rasa train failed" in row and "no_such" in row
    assert _status(stack)["model_id"] == published  # the running model keeps answering
    reply = "\n".join(r.get("text", "") for r in stack.send(f"r-{uuid.uuid4().hex[:8]}", EXAMPLE))
    assert ANSWER in reply


async def test_the_page_shows_the_outcome_by_itself_when_the_job_ends(
    browser, console, trained, launched
):
    """A stand-in runner: the test ends the job and installs the entries as a publish does; the
    open page reloads itself (no stale flash, the outcome, nothing pending, the button disabled)."""
    _add_example()
    page = await signed_in(browser, console, "li")
    await page.goto(f"{console}/publish")
    assert NEW_EXAMPLE in await page.inner_text("#pending")
    await page.click("#publish-button")
    assert "已开始发布" in await page.inner_text(".flash")
    assert await page.is_disabled("#publish-button")
    job_id = launched[-1][0]
    with db.get_sessionmaker().begin() as session:
        entries = training_data.entries_in(session)
        training_data.build(trained / "build", entries)
        (trained / "build" / "nlu" / "entries.yml").replace(training_data.trained_nlu())
        publish_repo.finish(session, job_id)
    await page.wait_for_selector("#publish-outcome[data-state=done]", timeout=20_000)
    assert "新模型已上线" in await page.inner_text("#publish-outcome")
    assert await page.locator(".flash", has_text="已开始发布").count() == 0
    assert NEW_EXAMPLE not in await page.inner_text("#pending")
    assert await page.is_disabled("#publish-button")
    assert "无需发布" in await page.inner_text("#publish-disabled-note")
