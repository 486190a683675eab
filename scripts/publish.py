"""Publish one job: `python -m scripts.publish JOB_ID`, started by the console in the background.

Builds the training data from the database's entries into var/publish/<id>/, validates it
(`rasa data validate --fail-on-warnings`), trains a candidate at low priority with one thread per
library, then gates it: held-out accuracy (the installed model and the candidate, measured the
same way) must not drop, and the conversation tests must pass against a private action server on a
scratch database. Only then Rasa loads the candidate (PUT /model), and once Rasa has it, it is
installed atomically as models/changzheng.tar.gz for restarts. Any failure marks the job failed
with the failing step's last lines; the running model is left answering.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
from sqlalchemy.orm import Session

from language.catalogue import say
from store import publish_repo
from store.db import get_sessionmaker, make_engine
from knowledge.entries_io import load_entries
from knowledge.faq_sync import import_entries
from core.settings import ROOT, channel_secret, get_settings, rasa_auth_token
from store.category_repo import import_categories
from knowledge.training_data import TrainingDataError, build, current_entries
from scripts import swap
from scripts.processes import NotUp, stop, wait_until_up
from scripts.train_if_stale import inputs_hash, install, model_path, train_command

WORK = ROOT / "var" / "publish"
KEEP = 5  # job folders kept (their logs and candidates)
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
STORIES = ROOT / "tests" / "conversations"
# One thread per numeric library: a training shares the machine with the residents' assistant.
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                                  "TF_NUM_INTEROP_THREADS", "MKL_NUM_THREADS",
                                  "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")}  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class StepFailed(Exception):
    """A step failed; the message says why (shown to staff)."""


def scrub(text: str) -> str:
    """Text without ANSI colours, secrets or token parameters."""
    text = ANSI.sub("", text)
    for secret in (rasa_auth_token(), channel_secret()):
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"token=[^\s&\"']+", "token=***", text)


def tail(log: Path, lines: int = 15) -> str:
    """The last lines of a step's output."""
    if not log.exists():
        return ""
    text = log.read_text(encoding="utf-8", errors="replace")
    return scrub("\n".join(text.strip().splitlines()[-lines:]))


def environment(**extra: str) -> dict[str, str]:
    """The steps' environment: one thread per library, no telemetry, quiet TensorFlow."""
    return {**os.environ, **THREADS, "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2", **extra}  # fmt: skip


def run_step(what: str, command: list[str], log: Path, *, timeout: float, env=None) -> str:
    """Run one step, its output into `log`; StepFailed with the last lines when it fails."""
    with log.open("w", encoding="utf-8") as out:
        try:
            done = subprocess.run(command, cwd=ROOT, env=env or environment(), stdout=out,
                                  stderr=subprocess.STDOUT, timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired as error:
            raise StepFailed(f"{what} took longer than {timeout:.0f} s\n{tail(log)}") from error
    if done.returncode != 0:
        raise StepFailed(f"{what} failed (exit status {done.returncode}):\n{tail(log)}")
    return log.read_text(encoding="utf-8", errors="replace")


def note(job_id: int, key: str, *, state: str | None = None, args: dict | None = None,
         **results) -> None:  # fmt: skip
    """Write progress to the job row (what the console's page shows, in the staff's language)."""
    message = say(f"publish_msg_{key}", "en", **(args or {}))
    with get_sessionmaker().begin() as session:
        publish_repo.advance(session, job_id, state=state, message=message, key=key, args=args,
                             **results)  # fmt: skip


class Rasa:
    """The running assistant's HTTP API (RASA_URL, token RASA_AUTH_TOKEN)."""

    def __init__(self) -> None:
        self.url, self.token = get_settings().rasa_url.rstrip("/"), rasa_auth_token()

    def status(self) -> dict:
        try:
            response = httpx.get(f"{self.url}/status", params={"token": self.token}, timeout=10)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise StepFailed(f"the assistant (Rasa at {self.url}) does not answer: "
                             f"{scrub(str(error))}") from error  # fmt: skip
        return response.json()

    def load(self, model: Path) -> None:
        try:
            response = httpx.put(f"{self.url}/model", params={"token": self.token},
                                 json={"model_file": str(model)}, timeout=600)  # fmt: skip
        except httpx.HTTPError as error:
            raise StepFailed(f"Rasa did not load the new model: {scrub(str(error))}") from error
        if response.status_code >= 300:
            raise StepFailed(f"Rasa refused the new model ({response.status_code}): "
                             f"{scrub(response.text[-1000:])}")  # fmt: skip


def heldout(models: list[Path], log: Path) -> list[dict]:
    """Held-out accuracy of each model, measured the same way (scripts/heldout_accuracy.py)."""
    command = [str(RASA_PYTHON), "-m", "scripts.heldout_accuracy", *map(str, models)]
    output = run_step("the held-out measurement", command, log, timeout=1200)
    line = next(x for x in reversed(output.splitlines()) if x.startswith("[{"))
    return json.loads(line)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_database(path: Path) -> str:
    """A fresh SQLite database with the entries and categories: the conversation tests' actions
    write there, never into the assistant's database."""
    from alembic import command
    from alembic.config import Config

    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "store" / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        import_entries(session, load_entries(get_settings().entries_dir))
        import_categories(session)
    engine.dispose()
    return url


def conversation_tests(candidate: Path, work: Path) -> int:
    """`rasa test core` on tests/conversations with the candidate and a private action server on
    a scratch database; returns how many passed (all), StepFailed with the failed stories."""
    url = scratch_database(work / "conversations.db")
    port = free_port()
    endpoints = work / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump(
        {"action_endpoint": {"url": f"http://127.0.0.1:{port}/webhook"}}))  # fmt: skip
    log = work / "actions.log"
    env = environment(DATABASE_URL=url, REDIS_URL="", ACTION_PORT=str(port))
    actions = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port),
         "--logging-config_file", "deploy/logging.yml"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        try:
            wait_until_up(f"http://127.0.0.1:{port}/health", actions, seconds=180)
        except NotUp as error:
            raise StepFailed(
                f"the test action server did not start ({error}):\n{tail(log)}"
            ) from error
        results = work / "conversation-results"
        shutil.rmtree(results, ignore_errors=True)
        command = [str(RASA), "test", "core", "--stories", str(STORIES), "--model", str(candidate),
                   "--endpoints", str(endpoints), "--out", str(results),
                   "--fail-on-prediction-errors", "--no-plot"]  # fmt: skip
        try:
            run_step("the conversation tests", command, work / "conversations.log", timeout=1200)
        except StepFailed as error:
            failed = results / "failed_test_stories.yml"
            if failed.exists():
                raise StepFailed("conversation tests failed:\n"
                                 + scrub(failed.read_text()[:2000])) from error  # fmt: skip
            raise
    finally:
        stop(actions)
    stories = sum(
        len((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("stories", []))
        for p in sorted(STORIES.glob("*.yml"))
    )
    return stories


def prune(keep: int = KEEP) -> None:
    """Keep the newest job folders only."""
    folders = sorted((p for p in WORK.glob("*") if p.name.isdigit()), key=lambda p: int(p.name))
    for old in folders[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def publish(job_id: int) -> None:
    """Every step of one publish; raises StepFailed with the reason."""
    settings = get_settings()
    work = WORK / str(job_id)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rasa = Rasa()
    running = rasa.status()

    note(job_id, "building", state="validating")
    entries, source = current_entries()
    try:
        count = build(work / "build", entries)
    except TrainingDataError as error:
        raise StepFailed(f"the example questions cannot be trained on: {error}") from error
    config = Path(settings.publish_config)
    config = config if config.is_absolute() else ROOT / config
    digest = inputs_hash(work / "build", config)
    run_step("rasa data validate", [
        str(RASA), "data", "validate", "--domain", str(work / "build" / "domain"),
        "--data", "nlu_data", str(work / "build" / "nlu"), "--fail-on-warnings",
    ], work / "validate.log", timeout=900)  # fmt: skip
    note(job_id, "valid", args={"count": count, "source": source})

    note(job_id, "training", state="training")
    started = time.monotonic()
    run_step("rasa train", train_command(work, "candidate", work / "build", config),
             work / "train.log", timeout=3600)  # fmt: skip
    candidate = work / "candidate.tar.gz"
    note(job_id, "trained", args={"seconds": round(time.monotonic() - started)})

    note(job_id, "measuring", state="testing")
    installed = model_path()
    measured = heldout([installed, candidate] if installed.exists() else [candidate],
                       work / "heldout.log")  # fmt: skip
    new = measured[-1]
    old = measured[0] if len(measured) == 2 else None
    note(job_id, "accuracy" if old else "accuracy_new",
         args={"old": f"{old['accuracy']:.1%}" if old else "", "new": f"{new['accuracy']:.1%}"},
         running_accuracy=old["accuracy"] if old else None,
         candidate_accuracy=new["accuracy"])  # fmt: skip
    if old and old["model_id"] != running.get("model_id"):
        note(job_id, "other_model")
    tolerance = settings.publish_accuracy_tolerance
    if old and new["accuracy"] < old["accuracy"] - tolerance:
        allowed = f" (required: {old['accuracy'] - tolerance:.1%})" if tolerance else ""
        raise StepFailed(f"held-out accuracy would drop from {old['accuracy']:.1%} to "
                         f"{new['accuracy']:.1%}{allowed}: the new model was not loaded")  # fmt: skip

    note(job_id, "conversations")
    passed = conversation_tests(candidate, work)
    note(job_id, "conversations_passed", args={"count": passed},
         conversation_result=f"{passed}/{passed}")  # fmt: skip

    note(job_id, "loading", state="loading")
    if swap.rolling():  # several instances: one at a time, out of the balancer (scripts/swap.py)
        try:
            swap.roll(candidate, previous=installed if installed.exists() else None)
        except swap.SwapFailed as error:
            raise StepFailed(
                f"the new model was not loaded everywhere: {scrub(str(error))}"
            ) from error
    else:
        rasa.load(candidate)
    loaded = rasa.status().get("model_id")
    if loaded != new["model_id"]:
        raise StepFailed(f"Rasa answers with model {loaded}, not the new {new['model_id']}")
    install(candidate, work / "build", digest)
    with get_sessionmaker().begin() as session:
        publish_repo.advance(session, job_id, message=say("publish_msg_installed", "en"),
                             key="installed", model_fingerprint=loaded or "")  # fmt: skip
        args = {"model": loaded or ""}
        publish_repo.finish(session, job_id, key="published", args=args,
                            message=say("publish_msg_published", "en", **args))  # fmt: skip


def _stopped(_signum, _frame) -> None:
    raise StepFailed("the publish was stopped (SIGTERM)")


def main(argv: list[str]) -> int:
    """Run the job; on any failure mark it failed with the reason. Exit 0 when published."""
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m scripts.publish JOB_ID", file=sys.stderr)
        return 2
    job_id = int(argv[0])
    niceness = max(0, min(19, get_settings().publish_niceness))
    if os.nice(0) < niceness:  # here, not in the console: it starts the runner as it is
        os.nice(niceness - os.nice(0))
    os.environ.update(THREADS)
    signal.signal(signal.SIGTERM, _stopped)
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        publish(job_id)
        prune()
        return 0
    except StepFailed as error:
        reason = str(error)
    except Exception as error:  # noqa: BLE001 - whatever happened, the job must say it failed
        reason = scrub(f"unexpected error: {type(error).__name__}: {error}")
    try:
        with get_sessionmaker().begin() as session:
            publish_repo.fail(session, job_id, reason=reason)
    except LookupError:
        pass  # already finished (e.g. marked failed as dead)
    print(reason, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
