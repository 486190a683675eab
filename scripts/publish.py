"""Publish one job: `python -m scripts.publish JOB_ID`, started by the console in the background.

Builds the training data from the database's entries into var/publish/<id>/, validates it
(`rasa data validate --fail-on-warnings`), trains a candidate at low priority with one thread per
library, then gates it: held-out accuracy (the installed model and the candidate, measured the
same way) must not drop, and the conversation tests must pass against a private action server on a
scratch database. Only then Rasa loads the candidate (PUT /model), and once Rasa has it, it is
installed atomically as models/changzheng.tar.gz for restarts. Any failure marks the job failed
with the failing step's last lines; the running model is left answering. The steps are
`scripts/publish_steps.py`, the gates `scripts/publish_gates.py`.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import httpx

from core.settings import ROOT, get_settings, rasa_auth_token
from knowledge.training_data import TrainingDataError, build, current_entries
from language.catalogue import say
from scripts import swap
from scripts.publish_gates import RASA, conversation_tests, heldout
from scripts.publish_steps import THREADS, StepFailed, run_step, scrub
from scripts.train_if_stale import inputs_hash, install, model_path, train_command
from store import publish_repo
from store.db import get_sessionmaker

WORK = ROOT / "var" / "publish"
KEEP = 5  # job folders kept (their logs and candidates)


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
