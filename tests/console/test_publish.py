"""The Publish page through the console's HTTP interface: pending changes, one publish at a time
started in the background (the runner replaced by a stand-in process), progress, roles, CSRF."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from core import settings
from core.settings import get_settings
from knowledge import faq_repo, faq_sync, training_data
from knowledge.entries_io import load_entries
from store import audit_repo, db, publish_repo
from tests.console.conftest import sign_in

NEW_EXAMPLE = "市民热线电话到底是几号啊"


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def trained(app, tmp_path, monkeypatch):
    """The entries imported and a model folder whose model was trained on them."""
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        entries = training_data.entries_in(session)
    training_data.build(tmp_path / "build", entries)
    (tmp_path / "models").mkdir()
    (tmp_path / "build" / "nlu" / "entries.yml").rename(
        tmp_path / "models" / "changzheng.entries.yml"
    )
    monkeypatch.setenv("MODEL_DIR", str(tmp_path / "models"))
    settings.get_settings.cache_clear()
    return tmp_path


@pytest.fixture
def launched(monkeypatch):
    """Runners started by the page: a stand-in process that sleeps instead of publishing."""
    started = []

    def launch(job_id: int):
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        started.append((job_id, process))
        return process

    from console import publish

    monkeypatch.setattr(publish, "launch", launch)
    yield started
    for _, process in started:
        process.kill()
        process.wait()


def _add_example() -> None:
    with db.get_sessionmaker().begin() as session:
        row = faq_repo.get_by_intent(session, intent="hotline_contact")
        faq_repo.save_entry(session, row.id, editor="li",
                            values={"examples": [*row.examples, NEW_EXAMPLE]})  # fmt: skip


def test_pending_changes_list_an_added_example(app, trained):
    client = app.test_client()
    sign_in(client, "li")
    assert "没有待发布的改动" in client.get("/publish").text
    _add_example()
    page = client.get("/publish").text
    assert NEW_EXAMPLE in page and "hotline_contact" in page
    with db.get_sessionmaker()() as session:
        title = faq_repo.get_by_intent(session, intent="hotline_contact").title_zh
    row = re.search(r'<table id="pending">.*?</table>', page, re.S).group(0)
    assert f">{title}</a>" in row  # the entry's title, its code only as a hint
    assert '<small class="hint">hotline_contact</small>' in row
    assert re.search(r'id="publish-button"\s*>', page)  # enabled
    assert 'id="publish-disabled-note"' not in page


def test_nothing_pending_disables_the_button_and_the_route_refuses(app, trained, launched):
    client = app.test_client()
    sign_in(client, "li")
    page = client.get("/publish").text
    assert re.search(r'id="publish-button" disabled', page)
    assert "没有待发布的改动，无需发布" in page
    response = client.post("/publish", data={"csrf_token": _token(page)}, follow_redirects=True)
    assert "没有待发布的改动，未开始发布" in response.text
    assert launched == []
    with db.get_sessionmaker()() as session:
        assert publish_repo.recent(session) == []


def _started(client, launched) -> int:
    _add_example()
    page = client.get("/publish").text
    assert "已开始发布" in client.post("/publish", data={"csrf_token": _token(page)},
                                       follow_redirects=True).text  # fmt: skip
    return launched[-1][0]


def test_the_polled_fragment_reloads_the_page_when_the_job_has_ended(app, trained, launched):
    client = app.test_client()
    sign_in(client, "li")
    job_id = _started(client, launched)
    poll = client.get("/publish/jobs", headers={"HX-Request": "true"})
    assert "HX-Refresh" not in poll.headers and 'hx-trigger="every 2s"' in poll.text
    with db.get_sessionmaker().begin() as session:
        publish_repo.finish(session, job_id)
    poll = client.get("/publish/jobs", headers={"HX-Request": "true"})
    assert poll.headers["HX-Refresh"] == "true"
    page = client.get("/publish").text
    assert "新模型已上线" in page and f'data-job="{job_id}" data-state="done"' in page
    assert "已开始发布" not in page  # the flash was shown once


def test_a_failed_job_shows_its_reason_above_the_history(app, trained, launched):
    client = app.test_client()
    sign_in(client, "li")
    job_id = _started(client, launched)
    with db.get_sessionmaker().begin() as session:
        publish_repo.fail(session, job_id, reason="rasa train failed: no_such.Component\nmore")
    page = client.get("/publish").text
    outcome = re.search(r'<p id="publish-outcome".*?</p>', page, re.S).group(0)
    assert f"发布 #{job_id} 失败" in outcome and "rasa train failed: no_such.Component" in outcome
    assert "新模型已上线" not in page


def test_an_example_under_two_intents_is_shown_as_the_problem(app, trained):
    client = app.test_client()
    sign_in(client, "li")
    with db.get_sessionmaker().begin() as session:
        row = faq_repo.get_by_intent(session, intent="hotline_contact")
        other = next(e for e in faq_repo.list_entries(session) if e.intent != row.intent)
        faq_repo.save_entry(session, other.id, editor="li",
                            values={"examples": [*other.examples, row.examples[0]]})  # fmt: skip
    page = client.get("/publish").text
    assert 'id="publish-problem"' in page and "无法发布" in page


def test_publish_starts_one_job_in_the_background_and_refuses_a_second(app, trained, launched):
    client = app.test_client()
    sign_in(client, "li")
    _add_example()
    response = client.post("/publish", data={"csrf_token": _token(client.get("/publish").text)},
                           follow_redirects=True)  # fmt: skip
    assert "已开始发布" in response.text
    assert len(launched) == 1
    job_id, process = launched[0]
    with db.get_sessionmaker().begin() as session:
        job = publish_repo.get(session, job_id)
        assert job.state == "queued" and job.pid == process.pid and job.requested_by == "li"
        assert (
            audit_repo.entries(session, object_type="publish_job")[0][0].action == "publish_start"
        )
    page = client.get("/publish").text
    assert 'hx-trigger="every 2s"' in page and "disabled" in page  # polls while it runs
    assert "排队等候" in page  # the progress, in the staff's language
    again = client.post("/publish", data={"csrf_token": _token(page)}, follow_redirects=True)
    assert "已有一个发布正在进行" in again.text and len(launched) == 1

    process.kill()
    process.wait()  # the runner died: the page says so and a new publish may start
    jobs = client.get("/publish/jobs").text
    assert 'data-state="failed"' in jobs and "every 2s" not in jobs
    assert publish_repo.DIED in jobs


def test_publish_needs_the_csrf_token_and_an_editor(app, trained, launched):
    client = app.test_client()
    sign_in(client, "li")
    assert client.post("/publish", data={}).status_code == 400
    reviewer = app.test_client()
    sign_in(reviewer, "wang")
    assert reviewer.get("/publish").status_code == 403
    assert reviewer.post("/publish", data={}).status_code in (400, 403)
    assert launched == []


def test_the_page_speaks_english(app, trained):
    client = app.test_client()
    sign_in(client, "li")
    client.get("/lang/en")
    page = client.get("/publish").text
    assert "Changes not yet published" in page and "Nothing to publish." in page


def test_the_runner_starts_with_one_thread_in_its_own_session_without_preexec_fn(
    tmp_path, monkeypatch
):
    """The console serves on threads: nothing may run between fork and exec (no `preexec_fn`);
    the runner is started as the console is and lowers its own priority (next test)."""
    from console import publish

    given = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        given.append(kwargs)
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(publish.subprocess, "Popen", popen)
    out = tmp_path / "seen.txt"
    code = (f"import os; open({str(out)!r}, 'w').write(' '.join([str(os.nice(0)), "
            "os.environ['OMP_NUM_THREADS'], os.environ['OPENBLAS_NUM_THREADS'], "
            "str(os.getsid(0) == os.getpid())]))")  # fmt: skip
    publish.launch(0, command=[sys.executable, "-c", code]).wait(timeout=30)
    assert [kwargs.get("preexec_fn") for kwargs in given] == [None]
    assert out.read_text() == f"{os.nice(0)} 1 1 True"


def test_the_runner_lowers_its_own_priority(tmp_path):
    """`python -m scripts.publish JOB` itself goes down to PUBLISH_NICENESS before any step (the
    steps replaced by a report of its priority and threads)."""
    out = tmp_path / "seen.txt"
    code = ("import os, sys, scripts.publish as runner; runner.prune = lambda: None; "
            f"runner.publish = lambda job: open({str(out)!r}, 'w').write("
            "f\"{job} {os.nice(0)} {os.environ['OMP_NUM_THREADS']}\"); "
            "sys.exit(runner.main(['7']))")  # fmt: skip
    env = {**os.environ, "PUBLISH_NICENESS": "12", "OMP_NUM_THREADS": "4"}
    done = subprocess.run([sys.executable, "-c", code], cwd=settings.ROOT, env=env, timeout=60)
    assert done.returncode == 0
    assert out.read_text() == f"7 {max(12, os.nice(0))} 1"
