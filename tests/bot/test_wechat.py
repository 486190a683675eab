"""The WeChat adapter against the fake platform (tests/bot/fake_wechat.py) and a fake Rasa: what the
platform demands of a server (signatures, safe mode, retries, 5 s) and what WeChat offers."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import uuid

import httpx
import pytest
import yaml
from sqlalchemy import select

from bot import outbox, wechat
from bot.wechat_api import (
    CHANNEL,
    Client,
    call_back_note,
    classify,
    mark_for_call_back,
    menu,
    outbox_sender,
)
from core.settings import ROOT
from knowledge import topics
from language.catalogue import say
from store import category_repo, reply_repo, suggestion_repo
from store.db import get_sessionmaker
from store.models import OutboxMessage
from tests.bot import fake_wechat
from tests.bot.fake_wechat import FakeWeChat
from tests.bot.test_scenarios import running_wechat, wechat_settings
from tests.bot.webchat_fixtures import fake_rasa, free_port  # noqa: F401

RUN = uuid.uuid4().hex[:8]  # residents of this run (Redis remembers options, tokens, languages)


@pytest.fixture
def platform():
    fake = FakeWeChat(safe_mode=True)
    yield fake
    fake.close()


async def wait_for(fake: FakeWeChat, openid: str, count: int, timeout: float = 20) -> list[str]:
    for _ in range(int(timeout * 20)):
        if len(fake.texts(openid)) >= count:
            return fake.texts(openid)
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} texts, got {fake.texts(openid)}")


async def test_the_server_url_is_verified_and_every_callback_signed(platform, fake_rasa):
    async with running_wechat(platform), httpx.AsyncClient() as client:
        query, _ = platform.signed_query()
        verified = await client.get(platform.callback_url, params=query | {"echostr": "e123"})
        forged = await client.get(
            platform.callback_url, params=query | {"signature": "0" * 40, "echostr": "e"}
        )
        assert (verified.status_code, verified.text) == (200, "e123")
        assert forged.status_code == 403
        query, body = platform.signed_query(
            platform.message_xml(f"o1{RUN}", "text", Content="你好")
        )
        unsigned = await client.post(platform.callback_url, params=query | {"signature": "0" * 40},
                                     content=body.encode())  # fmt: skip
        bad_message = await client.post(platform.callback_url, params=query | {"msg_signature": "0" * 40},
                                        content=body.encode())  # fmt: skip
        plain = platform.message_xml(
            f"o1{RUN}", "text", Content="你好"
        )  # safe mode: never in clear
        unencrypted = await client.post(platform.callback_url, params=platform.signed_query()[0],
                                        content=plain.encode())  # fmt: skip
    assert [r.status_code for r in (unsigned, bad_message, unencrypted)] == [403, 403, 403]
    assert fake_rasa.received == []


async def test_a_passive_reply_is_encrypted_and_retries_are_answered_once(platform, fake_rasa):
    msg_id = random.randrange(10**15, 10**18)
    async with running_wechat(platform), httpx.AsyncClient() as client:
        for _ in range(3):  # the platform's retries carry the same MsgId
            await platform.post(client, f"o2{RUN}", "text", Content="你好", msg_id=msg_id)
    assert fake_rasa.messages() == ["你好"]
    assert platform.texts(f"o2{RUN}") == ["答复：你好"]  # decrypted, its signature checked


async def test_plain_mode_when_no_aes_key_is_set(fake_rasa):
    platform = FakeWeChat(safe_mode=False)
    try:
        async with running_wechat(platform), httpx.AsyncClient() as client:
            await platform.post(client, f"o3{RUN}", "text", Content="你好")
        assert platform.texts(f"o3{RUN}") == ["答复：你好"]
    finally:
        platform.close()


async def test_a_slow_answer_follows_through_the_customer_service_api(platform, fake_rasa):
    config = wechat_settings(platform).model_copy(update={"wechat_reply_seconds": 0.5})
    fake_rasa.delay = 1.5
    async with running_wechat(platform, config), httpx.AsyncClient() as client:
        response = await platform.post(client, f"o4{RUN}", "text", Content="慢一点")
        assert response.text == "success"  # the empty passive reply, within the 5 s
        texts = await wait_for(platform, f"o4{RUN}", 1)
    assert texts == ["答复：慢一点"]
    (query, body), *_ = platform.endpoint_calls("message/custom/send")
    assert body["touser"] == f"o4{RUN}" and body["msgtype"] == "text"
    assert query["access_token"] == platform.tokens_issued[-1]


async def test_buttons_are_numbered_options_that_a_number_presses(platform, fake_rasa):
    async with running_wechat(platform), httpx.AsyncClient() as client:
        await platform.post(client, f"o5{RUN}", "text", Content="给我按钮")
        assert platform.texts(f"o5{RUN}")[-1] == "请选择：\n回复数字选择：\n1. 长护险"
        await platform.post(client, f"o5{RUN}", "text", Content="1")
        await platform.post(client, f"o5{RUN}", "text", Content="1")  # no options any more: text
    assert fake_rasa.received[1]["message"] == "/faq_ltc"
    assert fake_rasa.received[1]["metadata"] == {"payload": True}
    assert fake_rasa.received[2]["message"] == "1"


async def test_menu_voice_location_and_subscription_events(platform, fake_rasa):
    async with running_wechat(platform), httpx.AsyncClient() as client:
        await platform.post(client, f"o6{RUN}", "event", Event="subscribe", EventKey="")
        assert (
            platform.texts(f"o6{RUN}")[0]
            == say("privacy", "zh") + "\n" + say("privacy", "en") + "\n\n答复：/greet"
        )
        await platform.post(client, f"o6{RUN}", "event", Event="CLICK", EventKey="topic_eldercare")
        await platform.post(
            client, f"o6{RUN}", "voice", MediaId="m", Format="amr", Recognition="长护险怎么申请"
        )
        await platform.post(
            client, f"o6{RUN}", "voice", MediaId="m", Format="amr"
        )  # no recognition
        await platform.post(client, f"o6{RUN}", "location", Location_X="31.23456", Location_Y="121.41234",
                            Scale="15", Label="x")  # fmt: skip
        gone = await platform.post(client, f"o6{RUN}", "event", Event="unsubscribe", EventKey="")
    assert gone.text == "success"
    assert fake_rasa.messages() == ["/greet", topics.get("eldercare").question.zh, "长护险怎么申请",
                                    "位置（约100米）：31.235,121.412"]  # fmt: skip
    assert say("text_only") in platform.texts(f"o6{RUN}")[3]
    assert (
        platform.texts(f"o6{RUN}")[4]
        == f"答复：{fake_rasa.messages()[-1]}\n\n{say('location_thanks')}"
    )


def test_the_menu_maps_to_the_topics_and_the_access_token_is_cached_and_refreshed(platform):
    client = Client(wechat_settings(platform))
    client.menu.create(menu())
    (_, created), *_ = platform.endpoint_calls("menu/create")
    faq, mine, more = (
        [(b["key"], b["name"]) for b in top["sub_button"]] for top in created["button"]
    )
    registry = [(f"topic_{b['key']}", b["label"]) for b in topics.buttons("zh")]
    suggest = ("topic_suggestion", topics.get("suggestion").button.zh)
    assert faq == [b for b in registry if b != suggest][:5]  # the platform's limit: five
    assert mine == [suggest, ("cmd_mine", say("wechat_menu_progress"))]
    assert [key for key, _ in more] == ["cmd_help", "cmd_en", "cmd_zh", "cmd_delete"]
    assert [top["name"] for top in created["button"]] == [
        say("wechat_menu_topics"), say("wechat_menu_mine"), say("wechat_menu_more")]  # fmt: skip
    actions = wechat.menu_actions()
    assert {key for key, _ in faq + mine + more} <= set(actions)
    assert actions["topic_hotline"] == {"text": topics.get("hotline").question.zh}
    client.message.send_text(f"o7{RUN}", "一")
    client.message.send_text(f"o7{RUN}", "二")
    assert len(platform.endpoint_calls("token")) == 1  # cached
    platform.expire_token()
    client.message.send_text(f"o7{RUN}", "三")  # refused (40001), a new token, sent again
    assert len(platform.endpoint_calls("token")) == 2
    assert platform.texts(f"o7{RUN}") == ["一", "二", "三"]


def test_the_menu_follows_the_registry_when_it_changes(tmp_path, monkeypatch):
    registry = yaml.safe_load(topics.REGISTRY.read_text(encoding="utf-8"))
    suggestion = next(t for t in registry if t["key"] == "suggestion")
    registry.remove(suggestion)
    registry.insert(0, suggestion)  # first in the file: still under 我的建议, not 常见问题
    registry[1]["button"]["zh"], registry[1]["question"]["zh"] = "新按钮", "新问题怎么办"
    (tmp_path / "topics.yml").write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
    monkeypatch.setattr(topics, "REGISTRY", tmp_path / "topics.yml")
    topics.topics.cache_clear()
    try:
        faq, mine, _ = (top["sub_button"] for top in menu()["button"])
        actions = wechat.menu_actions()
    finally:
        topics.topics.cache_clear()
    key = f"topic_{registry[1]['key']}"
    assert faq[0] == {"type": "click", "name": "新按钮", "key": key} and len(faq) == 5
    assert mine[0]["key"] == "topic_suggestion"
    assert actions[key] == {"text": "新问题怎么办"}


def test_processes_share_one_access_token_in_redis(platform, monkeypatch):
    config = wechat_settings(platform).model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
    first = Client(config)
    first.session.delete(first.access_token_key)  # a clean start
    first.message.send_text(f"o8{RUN}", "一")
    Client(config).message.send_text(f"o8{RUN}", "二")  # another process, the same token
    assert len(platform.endpoint_calls("token")) == 1 and platform.texts(f"o8{RUN}") == ["一", "二"]
    first.session.delete(first.access_token_key)


def published(openid: str) -> str:
    """A WeChat resident's suggestion with a published staff reply (queued in the outbox)."""
    with get_sessionmaker().begin() as session:
        category_repo.import_categories(session)
        saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
            draft_id=f"d-{openid}", text="建议增设路灯", category_key="other", channel="wechat",
            sender_hash=f"h-{openid}", reply_address=f"wx-{openid}", wants_reply=True,
        ))  # fmt: skip
        reply_repo.publish_reply(session, saved, text="已安排路灯。", by="clerk")
        return saved.reference


async def test_staff_replies_within_the_window_are_sent_and_after_it_marked_for_a_call_back(
    platform, database_url
):
    client = Client(wechat_settings(platform))
    platform.closed.add(f"o10{RUN}")  # wrote more than 48 hours ago
    open_reference, closed_reference = published(f"o9{RUN}"), published(f"o10{RUN}")
    send = outbox_sender(client)
    await outbox.deliver_once(CHANNEL, send, classify, "test-owner", mark_for_call_back)
    assert len(platform.texts(f"o9{RUN}")) == 1
    assert (
        "已安排路灯。" in platform.texts(f"o9{RUN}")[0]
        and open_reference in platform.texts(f"o9{RUN}")[0]
    )
    assert platform.texts(f"o10{RUN}") == []
    with get_sessionmaker()() as session:
        rows = {r.address: r for r in session.scalars(select(OutboxMessage))}
        assert rows[f"wx-o9{RUN}"].state == "sent"
        assert rows[f"wx-o10{RUN}"].state == "failed" and "48" in rows[f"wx-o10{RUN}"].last_error
        closed = suggestion_repo.get_by_reference(session, reference=closed_reference)
        assert [n.text for n in closed.notes] == [call_back_note()]
        assert not suggestion_repo.get_by_reference(session, reference=open_reference).notes


def test_main_says_how_to_turn_wechat_on_when_its_settings_are_missing(tmp_path):
    env = {**os.environ, "WECHAT_APP_ID": "", "WECHAT_APP_SECRET": "", "WECHAT_TOKEN": ""}
    done = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "bot.wechat"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode != 0 and "WECHAT_APP_ID" in done.stderr


async def test_main_serves_callbacks_and_delivers_staff_replies(platform, fake_rasa, database_url):
    port, reference = free_port(), published(f"o11{RUN}")
    env = {**os.environ, "WECHAT_APP_ID": platform.app_id, "WECHAT_PORT": str(port),
           "WECHAT_APP_SECRET": fake_wechat.APP_SECRET, "WECHAT_TOKEN": fake_wechat.TOKEN,
           "WECHAT_AES_KEY": fake_wechat.AES_KEY, "WECHAT_API_URL": platform.url}  # fmt: skip
    process = subprocess.Popen([str(ROOT / ".venv/bin/python"), "-m", "bot.wechat"], cwd=ROOT,
                               env=env, start_new_session=True)  # fmt: skip
    platform.callback_url = f"http://127.0.0.1:{port}/wechat"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):  # until it listens
                try:
                    await platform.post(client, f"o12{RUN}", "text", Content="你好")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
        assert platform.texts(f"o12{RUN}") == ["答复：你好"]
        staff = await wait_for(platform, f"o11{RUN}", 1)
        assert reference in staff[0]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
