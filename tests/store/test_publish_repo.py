"""Publish jobs' data layer: one at a time, progress, a dead runner marked failed, audited."""

from __future__ import annotations

import pytest

from store import audit_repo, publish_repo


def test_a_job_moves_through_its_states_and_is_audited(session_factory):
    with session_factory.begin() as session:
        job_id = publish_repo.start(session, actor="li").id
    with session_factory.begin() as session:
        publish_repo.set_pid(session, job_id, 4321)
        publish_repo.advance(session, job_id, state="validating", message="checking the data")
        publish_repo.advance(session, job_id, state="testing", message="held-out split",
                             running_accuracy=0.81, candidate_accuracy=0.82)  # fmt: skip
        publish_repo.finish(session, job_id)
    with session_factory.begin() as session:
        job = publish_repo.get(session, job_id)
        assert job.state == "done" and job.running is None and job.finished_at is not None
        assert [m["text"] for m in job.progress][:3] == ["queued", "checking the data",
                                                          "held-out split"]  # fmt: skip
        assert (job.running_accuracy, job.candidate_accuracy) == (0.81, 0.82)
        audit, _ = audit_repo.entries(session, object_type="publish_job")
        assert [a.action for a in audit] == ["publish_done", "publish_start"]
        assert {a.actor for a in audit} == {"li"}
        assert audit[0].after["candidate_accuracy"] == 0.82


def test_a_second_job_is_refused_while_one_runs(session_factory, monkeypatch):
    monkeypatch.setattr(publish_repo, "pid_alive", lambda pid: True)
    with session_factory.begin() as session:
        first = publish_repo.start(session, actor="li").id
        publish_repo.set_pid(session, first, 4321)
    with pytest.raises(publish_repo.PublishBusy), session_factory.begin() as session:
        publish_repo.start(session, actor="admin")
    with session_factory.begin() as session:
        publish_repo.fail(session, first, reason="training failed\nlast line")
    with session_factory.begin() as session:
        second = publish_repo.start(session, actor="admin")
        assert second.id != first and publish_repo.running_job(session).id == second.id


def test_a_job_whose_process_died_is_failed_and_no_longer_blocks(session_factory):
    with session_factory.begin() as session:
        job_id = publish_repo.start(session, actor="li").id
        publish_repo.set_pid(session, job_id, 4321)
    with session_factory.begin() as session:
        assert publish_repo.reap_dead(session, alive=lambda pid: False) == job_id
    with session_factory.begin() as session:
        job = publish_repo.get(session, job_id)
        assert job.state == "failed" and job.reason == publish_repo.DIED
        assert publish_repo.running_job(session) is None
        audit, _ = audit_repo.entries(session, object_type="publish_job")
        assert audit[0].action == "publish_failed"


def test_a_live_job_is_not_reaped_and_a_finished_one_cannot_move(session_factory):
    with session_factory.begin() as session:
        job_id = publish_repo.start(session, actor="li").id
        publish_repo.set_pid(session, job_id, 4321)
        assert publish_repo.reap_dead(session, alive=lambda pid: True) is None
        publish_repo.fail(session, job_id, reason="validation failed")
        with pytest.raises(LookupError):
            publish_repo.advance(session, job_id, state="training", message="late")
        with pytest.raises(ValueError):
            publish_repo.advance(session, job_id, state="done", message="not a running state")
        job = publish_repo.get(session, job_id)
        assert job.step == "failed while queued" and job.reason == "validation failed"
