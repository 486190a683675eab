"""Publish jobs: one at a time, their progress, the gates' results, why one failed. Audited.

The console starts a job (`start`) and the runner (scripts/publish.py) moves it through
queued → validating → training → testing → loading → done | failed. A running job whose process
is gone is marked failed by `reap_dead`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import audit_repo
from store.models import PublishJob, utcnow

STATES = ("queued", "validating", "training", "testing", "loading", "done", "failed")
FINISHED = ("done", "failed")
MAX_MESSAGES = 200
DIED = "the publishing process stopped before finishing; the running model was not changed"


class PublishBusy(RuntimeError):
    """Another publish is running."""


def pid_alive(pid: int | None) -> bool:
    """True when a process with this id runs on this machine."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_job(session: Session) -> PublishJob | None:
    """The job that runs now, if any."""
    return session.scalar(select(PublishJob).where(PublishJob.running == 1))


def recent(session: Session, *, limit: int = 10) -> list[PublishJob]:
    """The newest jobs first."""
    return list(session.scalars(select(PublishJob).order_by(PublishJob.id.desc()).limit(limit)))


def get(session: Session, job_id: int) -> PublishJob | None:
    return session.get(PublishJob, job_id)


def reap_dead(session: Session, *, alive: Callable[[int | None], bool] | None = None) -> int | None:
    """Mark failed the running job whose process died (or never started); return its id."""
    job = running_job(session)
    if job is None or (alive or pid_alive)(job.pid):
        return None
    if job.pid is None and (utcnow() - job.created_at).total_seconds() < 60:
        return None  # just queued: the console records the process id in a moment
    fail(session, job.id, reason=DIED)
    return job.id


def start(session: Session, *, actor: str) -> PublishJob:
    """Queue a new job; PublishBusy when one runs (a dead one is failed first). Audited."""
    reap_dead(session)
    if running_job(session) is not None:
        raise PublishBusy("a publish is running")
    job = PublishJob(state="queued", step="queued", requested_by=actor, running=1,
                     progress=[_message("queued", "queued")])  # fmt: skip
    session.add(job)
    try:
        session.flush()
    except IntegrityError as error:  # another request queued one at the same moment
        raise PublishBusy("a publish is running") from error  # (the transaction is rolled back)
    audit_repo.record(session, actor=actor, action="publish_start", object_type="publish_job",
                      object_id=job.id, after={"state": "queued"})  # fmt: skip
    return job


def set_pid(session: Session, job_id: int, pid: int) -> None:
    """Record the runner's process id (what `reap_dead` checks)."""
    session.get(PublishJob, job_id).pid = pid


def _message(text: str, key: str = "", args: dict | None = None) -> dict:
    """One progress line: the English text, and a key and values the console translates."""
    return {"at": utcnow().isoformat(timespec="seconds"), "text": text[:500], "key": key,
            "args": args or {}}  # fmt: skip


def advance(session: Session, job_id: int, *, state: str | None = None, message: str,
            key: str = "", args: dict | None = None, **results) -> PublishJob:  # fmt: skip
    """Record progress: maybe a new state, a message, results (accuracies, conversation tests)."""
    if state is not None and state not in STATES[:-2]:
        raise ValueError(f"not a running state: {state}")
    job = session.get(PublishJob, job_id)
    if job is None or job.state in FINISHED:
        raise LookupError(f"publish job {job_id} is not running")
    for name, value in results.items():
        if name not in ("running_accuracy", "candidate_accuracy", "conversation_result",
                        "model_fingerprint"):  # fmt: skip
            raise ValueError(f"not a result: {name}")
        setattr(job, name, value)
    if state:
        job.state = state
    job.step = message[:200]
    job.progress = [*(job.progress or []), _message(message, key, args)][-MAX_MESSAGES:]
    return job


def _finish(session: Session, job: PublishJob, state: str, action: str) -> PublishJob:
    job.state, job.running, job.finished_at = state, None, utcnow()
    audit_repo.record(
        session, actor=job.requested_by, action=action, object_type="publish_job",
        object_id=job.id,
        after={"state": state, "reason": job.reason[:500], "running_accuracy": job.running_accuracy,
               "candidate_accuracy": job.candidate_accuracy,
               "conversation_result": job.conversation_result,
               "model_fingerprint": job.model_fingerprint},
    )  # fmt: skip
    return job


def finish(session: Session, job_id: int, *, message: str = "published", key: str = "",
           args: dict | None = None) -> PublishJob:  # fmt: skip
    """The new model answers residents: done."""
    job = advance(session, job_id, message=message, key=key, args=args)
    return _finish(session, job, "done", "publish_done")


def fail(session: Session, job_id: int, *, reason: str) -> PublishJob:
    """The job failed (the running model unchanged): the reason is kept and shown."""
    job = session.get(PublishJob, job_id)
    if job is None or job.state in FINISHED:
        raise LookupError(f"publish job {job_id} is not running")
    job.reason = reason[-4000:]
    job.step = f"failed while {job.state}"[:200]
    first = reason.strip().splitlines()[0] if reason.strip() else ""
    job.progress = [*(job.progress or []), _message(f"failed: {first}", "failed", {"why": first})][
        -MAX_MESSAGES:
    ]
    return _finish(session, job, "failed", "publish_failed")
