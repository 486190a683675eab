"""A person takes over a conversation: the live queue of residents who asked for one.

waiting (the resident asked during office hours) → active (a staff member took it: the console
pauses Rasa for the resident) → ended (the staff member ended it: Rasa resumes). A request nobody
takes within `handoff_wait_minutes` (settings_repo: the admins' value, else the environment's) expires: the assistant goes on, and the resident gets an
apology. What the resident is told goes through the outbox (every channel delivers it); every
step is audited. Office hours: `HANDOFF_HOURS` ("1-5 09:00-17:00": ISO weekdays, Asia/Shanghai),
which admins can override (`set_hours`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.settings import get_settings
from language import catalogue
from store import audit_repo, settings_repo
from store.models import AppSetting, Handoff, OutboxMessage, utcnow

OPEN = ("waiting", "active")
HOURS_KEY = "handoff_hours"
_HOURS = re.compile(r"^([1-7])-([1-7]) (\d\d):(\d\d)-(\d\d):(\d\d)$")

EVENTS = ("taken", "ended", "expired")  # what the resident is told of, through the outbox


class _Told(Mapping[str, dict[str, str]]):
    """`TOLD[event][lang]`: what the resident is told when staff take or end their request, or
    nobody took it in time (the catalogue's `handoff_told_<event>`, read when asked)."""

    def __getitem__(self, event: str) -> dict[str, str]:
        if event not in EVENTS:
            raise KeyError(event)
        return catalogue.texts(f"handoff_told_{event}")

    def __iter__(self) -> Iterator[str]:
        return iter(EVENTS)

    def __len__(self) -> int:
        return len(EVENTS)


TOLD = _Told()


@dataclass(frozen=True)
class Hours:
    """Office hours: ISO weekdays `first`..`last`, from `opens` to `closes` (Asia/Shanghai)."""

    first: int
    last: int
    opens: time
    closes: time  # 24:00 is read as the end of the day

    @classmethod
    def parse(cls, text: str) -> Hours:
        match = _HOURS.match(text.strip())
        if not match:
            raise ValueError(f"office hours {text!r}: expected e.g. '1-5 09:00-17:00'")
        first, last, oh, om, ch, cm = map(int, match.groups())
        closes = time.max if (ch, cm) == (24, 0) else time(ch, cm)
        if first > last or oh > 23 or om > 59 or (ch, cm) != (24, 0) and (ch > 23 or cm > 59):
            raise ValueError(f"office hours {text!r}: out of range")
        if time(oh, om) >= closes:
            raise ValueError(f"office hours {text!r}: opens after it closes")
        return cls(first, last, time(oh, om), closes)

    def open_at(self, moment: datetime) -> bool:
        local = moment.astimezone(clock.SHANGHAI)
        return self.first <= local.isoweekday() <= self.last and (
            self.opens <= local.time() < self.closes
        )

    def next_opening(self, moment: datetime) -> datetime:
        """The next moment (Asia/Shanghai, aware) the office opens, after `moment`."""
        local = moment.astimezone(clock.SHANGHAI)
        for days in range(8):
            day = (local + timedelta(days=days)).date()
            start = datetime.combine(day, self.opens, tzinfo=clock.SHANGHAI)
            if self.first <= day.isoweekday() <= self.last and start > local:
                return start
        raise AssertionError("office hours without an opening")  # parse() forbids this


def describe(hours: Hours, lang: str) -> str:
    """Office hours as residents read them ("周一至周五 09:00–17:00")."""
    days = _weekdays(lang)
    closes = (
        "24:00"
        if hours.closes.hour == 23 and hours.closes.minute == 59
        else f"{hours.closes:%H:%M}"
    )
    return catalogue.say(
        "office_hours",
        lang,
        first=days[hours.first - 1],
        last=days[hours.last - 1],
        opens=f"{hours.opens:%H:%M}",
        closes=closes,
    )


def when(moment, lang: str) -> str:
    """The next opening as residents read it ("12月8日（周一）09:00")."""
    month = catalogue.say("month_names", lang).split()[moment.month - 1]
    return catalogue.say(
        "next_opening",
        lang,
        weekday=_weekdays(lang)[moment.isoweekday() - 1],
        day=moment.day,
        month=month,
        time=f"{moment:%H:%M}",
    )


def _weekdays(lang: str) -> list[str]:
    """Monday's to Sunday's short names in `lang` ("一" … "日", "Mon" … "Sun")."""
    return catalogue.say("weekday_names", lang).split()


def hours_text(session: Session) -> str:
    """The office hours in force as written ("1-5 09:00-17:00"): the admins', else the
    environment's."""
    stored = session.get(AppSetting, HOURS_KEY)
    return stored.value if stored else get_settings().handoff_hours


def hours(session: Session) -> Hours:
    """The office hours in force."""
    return Hours.parse(hours_text(session))


def wait_minutes(session: Session) -> int:
    """How long a request for a person waits before the assistant carries on."""
    return settings_repo.get_int(session, "handoff_wait_minutes")


def set_hours(session: Session, text: str, *, by: str) -> None:
    """Change the office hours (audited); refuses what does not parse."""
    Hours.parse(text)
    before = hours_text(session)
    stored = session.get(AppSetting, HOURS_KEY)
    if stored is None:
        session.add(AppSetting(key=HOURS_KEY, value=text, updated_by=by))
    else:
        stored.value, stored.updated_by, stored.updated_at = text, by, utcnow()
    audit_repo.record(session, actor=by, action="setting", object_type="setting",
                      object_id=HOURS_KEY, before={"value": before}, after={"value": text})  # fmt: skip


def _tell(session: Session, handoff: Handoff, text: str) -> OutboxMessage:
    message = OutboxMessage(channel=handoff.channel, address=handoff.sender_id, text=text)
    session.add(message)
    session.flush()
    return message


def _audit(session: Session, handoff: Handoff, action: str, by: str, **after) -> None:
    audit_repo.record(session, actor=by, action=action, object_type="handoff",
                      object_id=handoff.id, after={"state": handoff.state, **after})  # fmt: skip


def open_for(session: Session, sender_id: str) -> Handoff | None:
    """The resident's waiting or active request, if any."""
    return session.scalar(
        select(Handoff).where(Handoff.sender_id == sender_id, Handoff.state.in_(OPEN))
    )


def paused(session: Session, sender_id: str) -> bool:
    """Whether a staff member holds the resident's conversation (Rasa answers nothing)."""
    found = open_for(session, sender_id)
    return found is not None and found.state == "active"


def request(session: Session, *, sender_id: str, channel: str, language: str) -> Handoff:
    """Put the resident on the live queue (once: asking again keeps their place)."""
    existing = open_for(session, sender_id)
    if existing is not None:
        return existing
    handoff = Handoff(sender_id=sender_id, channel=channel, language=language, state="waiting")
    session.add(handoff)
    session.flush()
    _audit(session, handoff, "handoff_request", "resident", channel=channel)
    return handoff


def queue(session: Session) -> list[Handoff]:
    """Open requests: waiting ones first (oldest first), then those being answered."""
    rows = session.scalars(select(Handoff).where(Handoff.state.in_(OPEN)).order_by(Handoff.id))
    return sorted(rows, key=lambda h: h.state != "waiting")


def take(session: Session, handoff_id: int, *, by: str) -> Handoff:
    """A staff member takes a waiting request; the resident is told. Refuses a taken one."""
    handoff = session.get(Handoff, handoff_id, with_for_update=True)
    if handoff is None or handoff.state != "waiting":
        raise ValueError("this request is no longer waiting")
    handoff.state, handoff.taken_by, handoff.taken_at = "active", by, utcnow()
    _tell(session, handoff, catalogue.say("handoff_told_taken", handoff.language))
    _audit(session, handoff, "handoff_take", by)
    return handoff


def say(session: Session, handoff_id: int, text: str, *, by: str) -> OutboxMessage:
    """The staff member's message to the resident, through the outbox (audited)."""
    handoff = session.get(Handoff, handoff_id)
    text = text.strip()
    if handoff is None or handoff.state != "active" or handoff.taken_by != by:
        raise ValueError("only the staff member who took the conversation writes in it")
    if not text:
        raise ValueError("the message is empty")
    message = _tell(session, handoff, text[:2000])
    _audit(session, handoff, "handoff_say", by, text=text[:2000])
    return message


def said(session: Session, handoff: Handoff) -> list[OutboxMessage]:
    """What staff sent the resident since the request (the console's transcript)."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.channel == handoff.channel,
                OutboxMessage.address == handoff.sender_id,
                OutboxMessage.created_at >= handoff.requested_at,
            )
            .order_by(OutboxMessage.id)
        )
    )


def end(session: Session, handoff_id: int, *, by: str) -> Handoff:
    """End an active conversation (the console resumes Rasa); the resident is told."""
    handoff = session.get(Handoff, handoff_id, with_for_update=True)
    if handoff is None or handoff.state != "active":
        raise ValueError("this conversation is not active")
    handoff.state, handoff.closed_by, handoff.closed_at = "ended", by, utcnow()
    _tell(session, handoff, catalogue.say("handoff_told_ended", handoff.language))
    _audit(session, handoff, "handoff_end", by)
    return handoff


def expire(session: Session, *, now: datetime | None = None) -> list[Handoff]:
    """Requests nobody took within `handoff_wait_minutes` fall back to the assistant, with an
    apology to the resident; returns them."""
    now = now or utcnow()
    limit = now - timedelta(minutes=wait_minutes(session))
    due = list(
        session.scalars(
            select(Handoff)
            .where(Handoff.state == "waiting", Handoff.requested_at < limit)
            .with_for_update(skip_locked=True)
        )
    )
    for handoff in due:
        handoff.state, handoff.closed_by, handoff.closed_at = "expired", "system", now
        _tell(session, handoff, catalogue.say("handoff_told_expired", handoff.language))
        _audit(session, handoff, "handoff_expire", "system")
    return due
