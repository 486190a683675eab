"""Typed ORM models of the project's database, one module per area; every model is importable from
here (`from store.models import Suggestion`), and importing this package registers every table
(Alembic's env.py relies on it)."""

from store.models.columns import UtcDateTime, utcnow
from store.models.conversation import AnswerRating, ConversationTurn, Handoff
from store.models.knowledge import FaqEntry, FaqEntryVersion
from store.models.outbox import OutboxMessage
from store.models.residents import DeletionRequest, RateEvent
from store.models.staff import AppSetting, AuditEntry, PublishJob, StaffAccount, StaffNotification
from store.models.suggestion import (
    HeldContact,
    Suggestion,
    SuggestionCategory,
    SuggestionNote,
    SuggestionReply,
    SuggestionStatusChange,
    SuggestionToken,
)
from store.models.templates import ReplyTemplate

__all__ = [
    "AnswerRating", "AppSetting", "AuditEntry", "ConversationTurn", "DeletionRequest", "FaqEntry",
    "FaqEntryVersion", "Handoff", "HeldContact", "OutboxMessage", "PublishJob", "RateEvent",
    "ReplyTemplate", "StaffAccount", "StaffNotification", "Suggestion", "SuggestionCategory",
    "SuggestionNote", "SuggestionReply", "SuggestionStatusChange", "SuggestionToken",
    "UtcDateTime", "utcnow",
]  # fmt: skip
