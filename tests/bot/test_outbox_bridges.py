"""Staff replies reach a resident exactly once, also with two Telegram bridge processes on one
database (PostgreSQL in CI, SQLite otherwise), and a bridge killed mid-send leaves `uncertain`."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.settings import ROOT
from scripts import staff
from store import category_repo, db, outbox_repo, reply_repo, suggestion_repo
from store.models import OutboxMessage
from tests.bot.fake_telegram import FakeTelegram

REPLIES = 200
FIRST_CHAT = 50_000


def start_bridge(
    fake: FakeTelegram, database_url: str, log: Path, lease: float
) -> subprocess.Popen:
    """`python -m bot.telegram`, as `make run` starts it, against the fake Bot API."""
    env = {
        **os.environ,
        "TELEGRAM_TOKEN": "123:TEST",
        "TELEGRAM_BASE_URL": fake.url,
        "TELEGRAM_MODE": "polling",
        "DATABASE_URL": database_url,
        "OUTBOX_LEASE_SECONDS": str(lease),
        "RASA_URL": "http://127.0.0.1:9",  # never asked: nobody writes to these bridges
    }
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.telegram"],
        cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; bridge log:\n{log.read_text()[-3000:]}")


def publish(session_factory, chats: range) -> dict[int, str]:
    """One suggestion per chat wanting a reply in Telegram, and its published reply."""
    expected = {}
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        for chat in chats:
            saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
                draft_id=f"d{chat}", text=f"建议{chat}号楼前增设路灯", category_key="other",
                channel="telegram", sender_hash=f"h{chat}", reply_address=f"tg-{chat}",
                wants_reply=True,
            ))  # fmt: skip
            reply_repo.publish_reply(session, saved, text=f"答复{chat}", by="clerk")
            expected[chat] = reply_repo.reply_message(saved, f"答复{chat}")
    return expected


def states(session_factory) -> Counter:
    with session_factory.begin() as session:
        return Counter(dict(session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        ).all()))  # fmt: skip


def test_two_bridges_deliver_200_replies_each_exactly_once(fake, database_url, tmp_path):
    session_factory, log = db.get_sessionmaker(), tmp_path / "bridges.log"
    bridges = [start_bridge(fake, database_url, log, lease=120) for _ in range(2)]
    try:
        wait_until(lambda: fake.methods().count("setMyCommands") == 2, 90, "both bridges", log)
        expected = publish(session_factory, range(FIRST_CHAT, FIRST_CHAT + REPLIES))
        wait_until(lambda: states(session_factory)["sent"] == REPLIES, 180, "every reply", log)
        time.sleep(3)  # a second delivery would come now
    finally:
        for bridge in bridges:
            stop(bridge)
    delivered = Counter(fake.all_texts())
    with session_factory.begin() as session:
        owners = Counter(session.scalars(select(OutboxMessage.claimed_by)))
    print(
        f"\n{db.get_engine().dialect.name}: {REPLIES} replies published, {sum(delivered.values())} "
        f"delivered, {len(delivered)} distinct, per bridge {sorted(owners.values())}"
    )
    assert sum(delivered.values()) == REPLIES
    assert all(fake.texts(chat) == [text] for chat, text in expected.items())
    assert states(session_factory) == Counter({"sent": REPLIES})
    assert len(owners) == 2  # both bridges delivered a share


def test_a_bridge_killed_between_claim_and_send_leaves_uncertain_for_staff(
    fake, database_url, tmp_path, capsys
):
    session_factory, log = db.get_sessionmaker(), tmp_path / "bridges.log"
    chat = FIRST_CHAT - 1
    fake.hold_sends = True  # the send never completes: the bridge dies while it is under way
    doomed = start_bridge(fake, database_url, log, lease=2)
    try:
        wait_until(lambda: "setMyCommands" in fake.methods(), 90, "the bridge", log)
        (text,) = publish(session_factory, range(chat, chat + 1)).values()
        wait_until(lambda: fake.held, 30, "the claim and send", log)
        assert states(session_factory) == Counter({"sending": 1})
    finally:
        stop(doomed, signal.SIGKILL)
    fake.hold_sends = False
    survivor = start_bridge(fake, database_url, log, lease=2)
    try:
        wait_until(
            lambda: states(session_factory)["uncertain"] == 1, 60, "the lease to expire", log
        )
        time.sleep(5)  # two more passes of the surviving bridge: it must not resend by itself
        assert fake.texts(chat) == [] and states(session_factory) == Counter({"uncertain": 1})

        assert staff.main(["outbox", "uncertain"]) == 0
        listing = capsys.readouterr().out
        with session_factory.begin() as session:
            (message,) = outbox_repo.uncertain(session)
        assert f"{message.id}" in listing and "1 uncertain" in listing
        assert staff.main(["outbox", "resolve", str(message.id), "--resend", "--by", "wang"]) == 0
        wait_until(lambda: fake.texts(chat), 30, "the resend", log)
        time.sleep(3)
    finally:
        stop(survivor)
    assert fake.texts(chat) == [text]
    with session_factory.begin() as session:
        resent = session.get(OutboxMessage, message.id)
        assert (resent.state, resent.resolved_by) == ("sent", "wang")


@pytest.mark.parametrize("flag", ["--delivered", "--resend"])
def test_resolving_needs_an_uncertain_message_and_a_name(database_url, flag):
    with db.get_sessionmaker().begin() as session:
        session.add(OutboxMessage(channel="telegram", address="tg-1", text="x", state="sent"))
    assert staff.main(["outbox", "resolve", "1", flag, "--by", "wang"]) == 2
    with pytest.raises(SystemExit):
        staff.main(["outbox", "resolve", "1", flag])
