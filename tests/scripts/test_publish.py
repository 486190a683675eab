"""The publish runner (scripts/publish.py) as the console starts it: a separate process, against
the real assistant (`stack`), installing into a model folder of the test's own. A failing step
marks the job failed with its reason and leaves the running model answering."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import httpx
import pytest

from core import settings
from core.settings import ROOT
from scripts import publish_steps
from scripts.train_if_stale import model_path
from store import db, publish_repo
from tests.stack import AUTH_TOKEN

BROKEN_CONFIG = "recipe: default.v1\nlanguage: zh\npipeline:\n  - name: no_such.Component\n"


def model_id(stack) -> str:
    return httpx.get(f"{stack.rasa_url}/status", params={"token": AUTH_TOKEN}).json()["model_id"]


@pytest.fixture
def models(tmp_path) -> object:
    """A copy of the installed model folder (MODEL_DIR of the runner)."""
    folder = tmp_path / "models"
    shutil.copytree(model_path().parent, folder)
    return folder


def run_job(env: dict[str, str]) -> publish_repo.PublishJob:
    """Queue a job (in DATABASE_URL, the same as `env`'s) and run the runner on it; the finished
    job."""
    for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cache.cache_clear()
    with db.get_sessionmaker().begin() as session:
        job_id = publish_repo.start(session, actor="li").id
    done = subprocess.run([sys.executable, "-m", "scripts.publish", str(job_id)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=900)  # fmt: skip
    with db.get_sessionmaker().begin() as session:
        job = publish_repo.get(session, job_id)
        session.expunge(job)
    assert (done.returncode == 0) == (job.state == "done"), done.stderr[-2000:]
    return job


@pytest.fixture
def runner_env(stack, models, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    yield {**os.environ, "DATABASE_URL": stack.database_url, "RASA_URL": stack.rasa_url,
           "RASA_AUTH_TOKEN": AUTH_TOKEN, "MODEL_DIR": str(models)}  # fmt: skip
    db.get_engine().dispose()
    for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cache.cache_clear()


def test_secrets_and_colours_are_scrubbed_from_reasons(monkeypatch):
    monkeypatch.setattr(publish_steps, "rasa_auth_token", lambda: "s3cret-token")
    monkeypatch.setattr(publish_steps, "channel_secret", lambda: "channel-s3cret")
    text = publish_steps.scrub(
        "\x1b[31mGET /status?token=abc failed\x1b[0m s3cret-token channel-s3cret"
    )
    assert text == "GET /status?token=*** failed *** ***"


def test_without_the_assistant_the_job_fails_and_says_why(database_url, tmp_path, monkeypatch):
    models = tmp_path / "models"
    env = {**os.environ, "DATABASE_URL": database_url, "RASA_URL": "http://127.0.0.1:9",
           "RASA_AUTH_TOKEN": "x", "MODEL_DIR": str(models)}  # fmt: skip
    job = run_job(env)
    assert job.state == "failed" and "does not answer" in job.reason
    assert not models.exists()  # nothing installed


def test_a_failed_training_leaves_the_running_model_answering(stack, runner_env, models, tmp_path):
    before = model_id(stack)
    installed = (models / "changzheng.tar.gz").read_bytes()
    config = tmp_path / "broken.yml"
    config.write_text(BROKEN_CONFIG)
    job = run_job({**runner_env, "PUBLISH_CONFIG": str(config)})
    assert job.state == "failed" and job.step == "failed while training"
    assert "rasa train failed" in job.reason and "no_such" in job.reason
    assert AUTH_TOKEN not in job.reason
    assert model_id(stack) == before
    assert (models / "changzheng.tar.gz").read_bytes() == installed
    assert stack.send("publish-t1", "12345怎么打")  # still answering


def test_a_drop_in_held_out_accuracy_is_not_loaded(stack, runner_env, models):
    before = model_id(stack)
    # demand more than any model can gain: the gate must refuse the candidate
    job = run_job({**runner_env, "PUBLISH_ACCURACY_TOLERANCE": "-1"})
    assert job.state == "failed" and "held-out accuracy would drop" in job.reason
    assert job.running_accuracy and job.candidate_accuracy
    assert job.running_accuracy > 0.8 and job.conversation_result == ""
    assert model_id(stack) == before
    hash_file = models / "changzheng.inputs.sha256"
    assert hash_file.read_text() == (model_path().parent / hash_file.name).read_text()
