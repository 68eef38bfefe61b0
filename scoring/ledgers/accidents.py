"""Accidents in a unit's ledger: recording them and correcting them (each change restated, its
class recomputed, its history kept)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ, local_date
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.versions import check_version, writing
from scoring.inputs import text_problem
from scoring.ledgers.access import require_keeper
from scoring.ledgers.classification import classify
from scoring.ledgers.effects import ledger_changed
from scoring.ledgers.history import NOTE_MAX, record
from scoring.ledgers.models import Accident, LedgerSubject, ReportStatus, Sector
from scoring.ledgers.reporting import hours_late, occurred_moment
from tenants.access import Actor, user_id_of
from tenants.models import TenantNode

TITLE_MAX = 300
DESCRIPTION_MAX = 4000
# More casualties than any accident on record: a typo, not a figure.
CASUALTIES_MAX = 100_000
# What the Amount column holds exactly: under 10^10, 4 decimal places.
LOSS_LIMIT = Decimal(10) ** 10
LOSS_EXPONENT = -4

E = TypeVar("E", Sector, ReportStatus)


@dataclass(frozen=True)
class AccidentInput:
    """An accident as its form states it (a correction restates all of it)."""

    occurred_on: date | None
    title: str
    sector: str  # a Sector value
    deaths: int
    serious_injuries: int
    direct_loss: Decimal  # yuan
    report_status: str  # a ReportStatus value
    reported_at: datetime | None = None
    discovered_on: date | None = None  # only for CONCEALED: the day it came to light
    description: str = ""
    occurred_time: time | None = None  # local time of day, when known


# --- recording and correcting ----------------------------------------------------------------


def _casualty_problem(value: object, field: str) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return Problem(field, "must be a whole number", ErrorCode.INVALID)
    if value < 0:
        return Problem(field, "must not be negative", ErrorCode.INVALID)
    if value > CASUALTIES_MAX:
        return Problem(field, f"must not be above {CASUALTIES_MAX}", ErrorCode.INVALID)
    return None


def _loss_problem(value: object) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return Problem("directLoss", "must be a number (yuan)", ErrorCode.INVALID)
    loss = Decimal(value)
    if not loss.is_finite():
        return Problem("directLoss", "must be a finite number", ErrorCode.INVALID)
    if loss < 0:
        return Problem("directLoss", "must not be negative", ErrorCode.INVALID)
    if loss >= LOSS_LIMIT:
        return Problem("directLoss", f"must be below {LOSS_LIMIT:,} yuan", ErrorCode.INVALID)
    if loss.as_tuple().exponent < LOSS_EXPONENT:  # type: ignore[operator]
        return Problem("directLoss", "has more than 4 decimal places", ErrorCode.INVALID)
    return None


def _known(kind: type[E], raw: str, what: str, field: str) -> E | Problem:
    if not raw:
        return Problem(field, f"choose the {what}", ErrorCode.REQUIRED)
    try:
        return kind(raw)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        return Problem(field, f"unknown {what} {raw!r}: use one of {known}", ErrorCode.INVALID)


def _date_problems(
    data: AccidentInput, report_status: ReportStatus | Problem, now: datetime
) -> list[Problem]:
    today = local_date(now)
    problems: list[Problem] = []
    occurred_on = data.occurred_on
    if occurred_on is None:
        problems.append(Problem("occurredOn", "give the day it happened", ErrorCode.REQUIRED))
    elif occurred_on > today:
        problems.append(Problem("occurredOn", f"is after today ({today})", ErrorCode.INVALID))
    if data.discovered_on is not None:
        if isinstance(report_status, ReportStatus) and report_status is not ReportStatus.CONCEALED:
            problems.append(
                Problem(
                    "discoveredOn",
                    "only a concealed accident comes to light later: leave it empty",
                    ErrorCode.INVALID,
                )
            )
        elif occurred_on is not None and data.discovered_on < occurred_on:
            problems.append(
                Problem("discoveredOn", "is before the accident happened", ErrorCode.INVALID)
            )
        elif data.discovered_on > today:
            problems.append(Problem("discoveredOn", f"is after today ({today})", ErrorCode.INVALID))
    if data.reported_at is not None:
        if data.reported_at.tzinfo is None:
            problems.append(
                Problem("reportedAt", "give the time with its time zone", ErrorCode.INVALID)
            )
        elif data.reported_at > now:
            problems.append(Problem("reportedAt", "is in the future", ErrorCode.INVALID))
        elif occurred_on is not None and data.reported_at < _start_of(occurred_on):
            problems.append(
                Problem("reportedAt", "is before the day it happened", ErrorCode.INVALID)
            )
        elif occurred_on is not None:
            problems.extend(_timing_problems(data, occurred_on, report_status))
    return problems


def _timing_problems(
    data: AccidentInput, occurred_on: date, report_status: ReportStatus | Problem
) -> list[Problem]:
    """A report against the time it happened: not before it, and marked late exactly when it
    came more than the regulation's hour after it."""
    moment = occurred_moment(occurred_on, data.occurred_time)
    if moment is None or data.reported_at is None:
        return []
    if data.reported_at < moment:
        return [
            Problem(
                "reportedAt", f"is before the accident happened ({moment:%H:%M})", ErrorCode.INVALID
            )
        ]
    late = hours_late(data.reported_at, moment) > 0
    if report_status is ReportStatus.ON_TIME and late:
        return [
            Problem(
                "reportStatus",
                f"reported more than an hour after the accident ({moment:%H:%M}): a report"
                " that late is late (迟报)",
                ErrorCode.INVALID,
            )
        ]
    if report_status is ReportStatus.LATE and not late:
        return [
            Problem(
                "reportStatus",
                f"reported within an hour of the accident ({moment:%H:%M}): that is on time",
                ErrorCode.INVALID,
            )
        ]
    return []


def _values(data: AccidentInput, now: datetime) -> dict[str, object]:
    """The row's values from ``data``, or a DomainError naming every problem."""
    problems: list[Problem] = []
    title = (data.title or "").strip()
    if not title:
        problems.append(Problem("title", "name the accident", ErrorCode.REQUIRED))
    elif p := text_problem(title, "title", TITLE_MAX):
        problems.append(p)
    description = (data.description or "").strip()
    if p := text_problem(description, "description", DESCRIPTION_MAX):
        problems.append(p)
    sector = _known(Sector, data.sector, "sector", "sector")
    report_status = _known(ReportStatus, data.report_status, "report status", "reportStatus")
    for found in (sector, report_status):
        if isinstance(found, Problem):
            problems.append(found)
    for value, field in ((data.deaths, "deaths"), (data.serious_injuries, "seriousInjuries")):
        if p := _casualty_problem(value, field):
            problems.append(p)
    if p := _loss_problem(data.direct_loss):
        problems.append(p)
    problems.extend(_date_problems(data, report_status, now))
    if problems:
        raise DomainError(problems)
    assert isinstance(sector, Sector) and isinstance(report_status, ReportStatus)
    direct_loss = Decimal(data.direct_loss)
    return {
        "occurred_on": data.occurred_on,
        "occurred_time": data.occurred_time,
        "title": title,
        "description": description,
        "sector": sector,
        "deaths": data.deaths,
        "serious_injuries": data.serious_injuries,
        "direct_loss": direct_loss,
        "accident_class": classify(data.deaths, data.serious_injuries, direct_loss),
        "report_status": report_status,
        "reported_at": data.reported_at,
        "discovered_on": data.discovered_on,
    }


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def record_accident(
    session: Session,
    actor: Actor | None,
    node: TenantNode,
    data: AccidentInput,
    *,
    now: datetime | None = None,
) -> Accident:
    """Record an accident in ``node``'s ledger; its class follows from its figures."""
    require_keeper(actor, node, field="nodeId")
    now = now or utcnow()
    values = _values(data, now)
    session.flush()  # earlier work of the caller stays out of the savepoint
    with session.begin_nested():
        accident = Accident(
            customer_id=node.customer_id,
            node_id=node.id,
            recorded_by_id=user_id_of(actor),
            created_at=now,
            updated_at=now,
            **values,
        )
        session.add(accident)
        session.flush()
        record(session, accident, LedgerSubject.ACCIDENT, actor, action="recorded", at=now)
        ledger_changed(session, node)
    return accident


def correct_accident(
    session: Session,
    actor: Actor | None,
    accident: Accident,
    data: AccidentInput,
    *,
    expected_version: int,
    reason: str,
    now: datetime | None = None,
) -> Accident:
    """Restate an accident (deaths rising as the injured die, a concealment found out): each
    changed field is one correction in its history, with the reason; the class follows."""
    node = session.get_one(TenantNode, accident.node_id)
    require_keeper(actor, node, field="accidentId")
    check_version(accident.version, expected_version, "the accident")
    now = now or utcnow()
    text = (reason or "").strip()
    reason_problem = (
        Problem("reason", "say why the accident is corrected", ErrorCode.REQUIRED)
        if not text
        else text_problem(text, "reason", NOTE_MAX)
    )
    try:
        values = _values(data, now)
    except DomainError as exc:
        raise DomainError([p for p in (reason_problem, *exc.problems) if p]) from None
    if reason_problem:
        raise DomainError(reason_problem)
    changes = [
        (field, getattr(accident, field), new)
        for field, new in values.items()
        if getattr(accident, field) != new  # Decimal: 5.0000 read back equals the 5 entered
    ]
    if not changes:
        raise fail(None, "nothing to correct: the accident stands as recorded")
    with writing(session, expected_version, "the accident"):
        # Every field first: one UPDATE, one version step, before the events flush.
        for field, _, new in changes:
            setattr(accident, field, new)
        accident.updated_at = now
        for field, old, new in changes:
            record(
                session,
                accident,
                LedgerSubject.ACCIDENT,
                actor,
                action="correction",
                field=field,
                old=old,
                new=new,
                note=text,
                at=now,
            )
        ledger_changed(session, node)
    return accident
