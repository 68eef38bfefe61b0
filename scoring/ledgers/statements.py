"""The responsibility-statement ledger (安全生产责任书): statements a unit issues to the units
directly below it and to enterprises, their signing, and the coverage figures.

A statement belongs to the unit that issues it (``node_id``): the counterparty unit does not see
it in its own ledger. Every writing service checks the actor's role, the statement's state and
the version the caller read, then every input (one DomainError naming each problem), and only
then writes, in a savepoint, with one history event per statement. The caller commits."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.versions import check_version, writing
from scoring.inputs import text_problem
from scoring.ledgers import history
from scoring.ledgers.access import require_keeper
from scoring.ledgers.effects import ledger_changed
from scoring.ledgers.figures.statements import children_of
from scoring.ledgers.history import Subject, record
from scoring.ledgers.models import (
    LedgerSubject,
    ResponsibilityStatement,
    Sector,
    StatementParty,
    StatementState,
)
from tenants.access import Actor, user_id_of
from tenants.models import TenantNode

TITLE_MAX = 300
ENTERPRISE_MAX = 300
YEAR_FIRST = 2000
YEAR_LAST = 2100
ISSUE_MAX = 2000  # statements issued at once: every enterprise of a county, not a flood
# Only ASCII letters are folded: "ACME Ltd" and "acme ltd" are one enterprise, while full-width
# and Chinese characters stay as written.
_ASCII_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True)
class EnterpriseInput:
    """An enterprise to issue a statement to, as the office names it."""

    name: str
    sector: str | None = None  # a Sector value


def _enterprise_key(name: str) -> str:
    return name.strip().translate(_ASCII_FOLD)


# --- issuing ---------------------------------------------------------------------------------


def _year_problem(year: int) -> Problem | None:
    if isinstance(year, bool) or not isinstance(year, int):
        return Problem("year", "must be a whole number", ErrorCode.INVALID)
    if not YEAR_FIRST <= year <= YEAR_LAST:
        return Problem(
            "year", f"must be between {YEAR_FIRST} and {YEAR_LAST} (is {year})", ErrorCode.INVALID
        )
    return None


def _title_problem(title: str) -> Problem | None:
    if not title:
        return Problem(
            "title", "name the statement (e.g. 2026年度安全生产责任书)", ErrorCode.REQUIRED
        )
    return text_problem(title, "title", TITLE_MAX)


def _held(session: Session, node: TenantNode, year: int) -> list[ResponsibilityStatement]:
    """The statements ``node`` has issued for ``year``."""
    return list(
        session.scalars(
            select(ResponsibilityStatement)
            .where(ResponsibilityStatement.node_id == node.id, ResponsibilityStatement.year == year)
            .order_by(ResponsibilityStatement.id)
        )
    )


def _units_to_issue(
    node: TenantNode,
    year: int,
    codes: Sequence[str],
    children: Sequence[TenantNode],
    holders: set[int],
    problems: list[Problem],
) -> list[TenantNode]:
    """The named units directly below ``node``; each one's problem goes to ``problems``."""
    by_code = {child.code: child for child in children}
    first_named: dict[str, int] = {}
    units = []
    for index, raw in enumerate(codes):
        field = f"units.{index}"
        code = (raw or "").strip()
        if not code:
            problems.append(Problem(field, "name the unit by its code", ErrorCode.REQUIRED))
            continue
        if code in first_named:
            problems.append(
                Problem(
                    field,
                    f"{code} is named twice (also units.{first_named[code]})",
                    ErrorCode.DUPLICATE,
                )
            )
            continue
        first_named[code] = index
        child = by_code.get(code)
        if child is None:
            problems.append(
                Problem(field, f"{code} is not directly below {node.code}", ErrorCode.INVALID)
            )
        elif child.id in holders:
            problems.append(
                Problem(
                    field,
                    f"{code} already holds a statement for {year} from {node.code}",
                    ErrorCode.CONFLICT,
                )
            )
        else:
            units.append(child)
    return units


def _enterprises_to_issue(
    node: TenantNode,
    year: int,
    enterprises: Sequence[EnterpriseInput],
    holders: set[str],
    problems: list[Problem],
) -> list[tuple[str, Sector | None]]:
    """The named enterprises (name, sector); each one's problem goes to ``problems``."""
    first_named: dict[str, int] = {}
    found = []
    for index, enterprise in enumerate(enterprises):
        field = f"enterprises.{index}"
        name = (enterprise.name or "").strip()
        sector: Sector | None = None
        if enterprise.sector:
            try:
                sector = Sector(enterprise.sector)
            except ValueError:
                known = ", ".join(s.value for s in Sector)
                problems.append(
                    Problem(
                        f"{field}.sector",
                        f"unknown sector {enterprise.sector!r}: use one of {known}",
                        ErrorCode.INVALID,
                    )
                )
        key = _enterprise_key(name)
        if not name:
            problems.append(Problem(f"{field}.name", "name the enterprise", ErrorCode.REQUIRED))
        elif too_long := text_problem(name, f"{field}.name", ENTERPRISE_MAX):
            problems.append(too_long)
        elif key in first_named:
            problems.append(
                Problem(
                    f"{field}.name",
                    f"{name} is named twice (also enterprises.{first_named[key]})",
                    ErrorCode.DUPLICATE,
                )
            )
        elif key in holders:
            first_named[key] = index
            problems.append(
                Problem(
                    f"{field}.name",
                    f"{name} already holds a statement for {year} from {node.code}",
                    ErrorCode.CONFLICT,
                )
            )
        else:
            first_named[key] = index
            found.append((name, sector))
    return found


def issue_statements(
    session: Session,
    actor: Actor | None,
    node: TenantNode,
    *,
    year: int,
    title: str,
    units: Sequence[str] = (),
    all_units: bool = False,
    enterprises: Sequence[EnterpriseInput] = (),
    now: datetime | None = None,
) -> list[ResponsibilityStatement]:
    """Issue ``node``'s statements for ``year``: to the units directly below it named by code
    (``all_units``: to every one not yet holding one), and to ``enterprises``. Each is issued,
    waiting for its signature, with a "recorded" event. Returns them, units first."""
    require_keeper(actor, node, field="nodeId")
    if len(units) > ISSUE_MAX:
        raise fail("units", f"at most {ISSUE_MAX} statements at once", ErrorCode.TOO_LARGE)
    if len(enterprises) > ISSUE_MAX:
        raise fail("enterprises", f"at most {ISSUE_MAX} statements at once", ErrorCode.TOO_LARGE)
    now = now or utcnow()
    problems: list[Problem] = []
    year_problem = _year_problem(year)
    if year_problem:
        problems.append(year_problem)
    text = (title or "").strip()
    if p := _title_problem(text):
        problems.append(p)
    if all_units and units:
        problems.append(
            Problem(
                "allUnits",
                "issue to all units below or name them in units, not both",
                ErrorCode.INVALID,
            )
        )
    held = [] if year_problem else _held(session, node, year)
    unit_holders = {s.counterparty_node_id for s in held if s.party is StatementParty.UNIT}
    enterprise_holders = {_enterprise_key(s.enterprise) for s in held if s.enterprise is not None}
    children = children_of(session, node) if (units or all_units) else []
    if all_units and not units:
        to_units = [child for child in children if child.id not in unit_holders]
    else:
        to_units = _units_to_issue(node, year, units, children, unit_holders, problems)
    to_enterprises = _enterprises_to_issue(node, year, enterprises, enterprise_holders, problems)
    if not problems and not (to_units or to_enterprises):
        message = "name the units or enterprises to issue statements to"
        if all_units and children:
            message = f"every unit directly below {node.code} already holds a statement for {year}"
        elif all_units:
            message = f"no unit is directly below {node.code}: name enterprises instead"
        problems.append(Problem("units", message, ErrorCode.REQUIRED))
    if len(to_units) + len(to_enterprises) > ISSUE_MAX:
        problems.append(
            Problem("units", f"at most {ISSUE_MAX} statements at once", ErrorCode.TOO_LARGE)
        )
    if problems:
        raise DomainError(problems)
    recorded_by = user_id_of(actor)
    common = {
        "customer_id": node.customer_id,
        "node_id": node.id,
        "year": year,
        "title": text,
        "state": StatementState.ISSUED,
        "recorded_by_id": recorded_by,
        "created_at": now,
        "updated_at": now,
    }
    statements = [
        ResponsibilityStatement(party=StatementParty.UNIT, counterparty_node_id=u.id, **common)
        for u in to_units
    ] + [
        ResponsibilityStatement(
            party=StatementParty.ENTERPRISE, enterprise=name, sector=sector, **common
        )
        for name, sector in to_enterprises
    ]
    session.flush()  # earlier work of the caller stays out of the savepoint
    try:
        with session.begin_nested():
            session.add_all(statements)
            session.flush()
            history.record_many(
                session,
                [Subject(s.customer_id, s.node_id, s.id) for s in statements],
                LedgerSubject.STATEMENT,
                actor,
                action="recorded",
                at=now,
            )
            ledger_changed(session, node)
    except IntegrityError:
        # Issued by someone else for the same counterparty and year at the same moment.
        raise fail(
            "units",
            f"statements for {year} were issued by someone else at the same time: reload and "
            "issue the ones still missing",
            ErrorCode.CONFLICT,
        ) from None
    return statements


# --- signing ---------------------------------------------------------------------------------


def sign_statement(
    session: Session,
    actor: Actor | None,
    statement: ResponsibilityStatement,
    *,
    signed_on: date | None,
    expected_version: int,
    now: datetime | None = None,
) -> ResponsibilityStatement:
    """Record the counterparty's signature of an issued statement on ``signed_on`` (a day from
    Jan 1 of the year before the statement's year up to today): issued -> signed."""
    node = session.get_one(TenantNode, statement.node_id)
    require_keeper(actor, node, field="statementId")
    if statement.state is not StatementState.ISSUED:
        raise fail(
            "statementId",
            f"the statement is {statement.state.value}: only an issued one can be signed",
            ErrorCode.INVALID_STATE,
        )
    check_version(statement.version, expected_version, "the statement")
    now = now or utcnow()
    today = local_date(now)
    earliest = date(statement.year - 1, 1, 1)
    if signed_on is None:
        raise fail("signedOn", "give the day it was signed", ErrorCode.REQUIRED)
    if signed_on > today:
        raise fail("signedOn", f"is after today ({today})", ErrorCode.INVALID)
    if signed_on < earliest:
        raise fail(
            "signedOn",
            f"is before {earliest}: a statement for {statement.year} is signed from the year "
            "before it on",
            ErrorCode.INVALID,
        )
    with writing(session, expected_version, "the statement"):
        statement.state = StatementState.SIGNED
        statement.signed_on = signed_on
        statement.updated_at = now
        session.flush()
        record(
            session,
            statement,
            LedgerSubject.STATEMENT,
            actor,
            action="signed",
            field="signed_on",
            new=signed_on,
            at=now,
        )
        ledger_changed(session, node)
    return statement
