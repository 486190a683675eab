"""The daily summary of the queue: new and urgent suggestions of a day (Shanghai), open overdue
ones, and each assignee's open work; sent by e-mail when SMTP is configured."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from core.settings import get_settings
from store.models import StaffAccount, Suggestion
from store.suggestion_repo import ENDED, SHANGHAI


@dataclass
class Summary:
    day: date
    new: list[Suggestion]
    urgent: list[Suggestion]  # open urgent ones not acknowledged, and the day's urgent ones
    overdue: list[Suggestion]  # open at the day's end, answer date before it (as the queue)
    # (assignee, open, of them overdue, of them new that day); "" for nobody
    per_assignee: list[tuple[str, int, int, int]] = field(default_factory=list)


def _open():
    return Suggestion.status.not_in(ENDED)


def daily(session: Session, day: date) -> Summary:
    """What happened on `day` (Shanghai) and what is open at its end."""
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    end = start + timedelta(days=1)
    base = select(Suggestion).options(selectinload(Suggestion.assignee))
    new = list(session.scalars(base.where(Suggestion.created_at >= start,
                                          Suggestion.created_at < end)
                               .order_by(Suggestion.created_at)))  # fmt: skip
    urgent_query = base.where(
        Suggestion.urgent,
        ((Suggestion.created_at >= start) & (Suggestion.created_at < end))
        | (_open() & Suggestion.acknowledged_at.is_(None) & (Suggestion.created_at < end)),
    )
    urgent = list(session.scalars(urgent_query.order_by(Suggestion.created_at)))
    overdue = list(session.scalars(
        base.where(_open(), Suggestion.answer_due < day,
                   Suggestion.created_at < end).order_by(Suggestion.answer_due)
    ))  # fmt: skip
    rows = session.execute(
        select(
            StaffAccount.username,
            func.count(Suggestion.id),
            func.coalesce(func.sum(case((Suggestion.answer_due < day, 1), else_=0)), 0),
            func.coalesce(
                func.sum(
                    case(
                        ((Suggestion.created_at >= start) & (Suggestion.created_at < end), 1),
                        else_=0,
                    )
                ),
                0,
            ),
        )  # fmt: skip
        .select_from(Suggestion)
        .outerjoin(StaffAccount, StaffAccount.id == Suggestion.assignee_id)
        .where(_open(), Suggestion.created_at < end)
        .group_by(StaffAccount.username)
        .order_by(StaffAccount.username)
    ).all()
    per = [(name or "", int(n), int(late), int(fresh)) for name, n, late, fresh in rows]
    return Summary(day=day, new=new, urgent=urgent, overdue=overdue, per_assignee=per)


def mail_configured() -> bool:
    settings = get_settings()
    return bool(settings.smtp_host.strip() and settings.summary_to.strip())


def send_mail(subject: str, text: str, html: str) -> list[str]:
    """Send the summary to SUMMARY_TO through SMTP_HOST; returns the addresses."""
    settings = get_settings()
    recipients = [a.strip() for a in settings.summary_to.split(",") if a.strip()]
    message = EmailMessage()
    message["Subject"], message["From"] = subject, settings.smtp_from
    message["To"] = ", ".join(recipients)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message, to_addrs=recipients)
    return recipients
