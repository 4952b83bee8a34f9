"""Tables of supervision (督查督办) and allocation feedback, kept apart from the core schema.

Milestones split a task's deadline into steps; reminders (督办单) are what a supervisor sends a
department about a task; inbox messages are what each user is told; allocation decisions are
the confirmed or corrected lead/cooperating units the suggester learns from. Times are set by
the services from their clock (luoshi.services.clock), never by a column default, so tests can
move time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.storage.models import Base, Versioned


class Milestone(Versioned, Base):
    """A dated step of a task (阶段节点); done when `done_on` is set."""

    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("task_assignments.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class Reminder(Versioned, Base):
    """A reminder (督办单) a supervisor issues to the department of a task, until closed."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("task_assignments.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    reply_by: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | answered | closed
    reply: Mapped[str] = mapped_column(Text, default="")
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    close_note: Mapped[str] = mapped_column(Text, default="")


class InboxMessage(Base):
    """One message to one user; also e-mailed when SMTP is configured and they gave an address."""

    __tablename__ = "inbox_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column()
    read_at: Mapped[datetime | None] = mapped_column()
    email_status: Mapped[str] = mapped_column(String(20), default="")  # "" | sent | failed
    email_error: Mapped[str] = mapped_column(Text, default="")


class NotificationAddress(Versioned, Base):
    """The e-mail address a user wants inbox messages delivered to."""

    __tablename__ = "notification_addresses"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254))


class AllocationDecision(Base):
    """Units people confirmed or corrected for a measure: the suggester's feedback."""

    __tablename__ = "allocation_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )
    node_path: Mapped[str | None] = mapped_column(String(200))
    catalog: Mapped[str] = mapped_column(String(100), index=True)
    task: Mapped[str] = mapped_column(Text)
    lead: Mapped[list[Any]] = mapped_column(JSON)
    cooperate: Mapped[list[Any]] = mapped_column(JSON)
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column()
