"""The hidden-hazard ledger (隐患排查治理): recording, the rectification workflow with its
look-back, listing for supervision, the overdue flag and the figures per subtree and period.

Every writing service checks, in order, the actor's role, the workflow state and the version the
caller read, then every input (one DomainError naming each problem), and only then writes, in a
savepoint, with one history event per step. The caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.config import Settings
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.versions import check_version, writing
from scoring.evidence import EvidenceStore, evidence_store
from scoring.ledgers import history
from scoring.ledgers.access import SUPERVISORS, require_keeper, require_supervisor
from scoring.ledgers.effects import ledger_changed
from scoring.ledgers.history import EvidenceFile
from scoring.ledgers.models import (
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    LedgerSubject,
    Sector,
)
from tenants.access import Actor, user_id_of
from tenants.models import TenantNode

TITLE_MAX = 300
PLACE_MAX = 300
DESCRIPTION_MAX = 4000

# The moves of the workflow from each state; a failed look-back sends a hazard back.
MOVES: dict[HazardState, tuple[HazardState, ...]] = {
    HazardState.OPEN: (HazardState.RECTIFYING, HazardState.RECTIFIED),
    HazardState.RECTIFYING: (HazardState.RECTIFIED,),
    HazardState.RECTIFIED: (HazardState.VERIFIED, HazardState.RECTIFYING),
    HazardState.VERIFIED: (HazardState.CLOSED,),
    HazardState.CLOSED: (),
}
# The look-back: verifying a rectification or sending it back, never by the rectifier.
LOOK_BACK = {
    (HazardState.RECTIFIED, HazardState.VERIFIED),
    (HazardState.RECTIFIED, HazardState.RECTIFYING),
}
# Moves for the offices supervising the unit; the unit's keepers make the others.
SUPERVISED = LOOK_BACK | {(HazardState.VERIFIED, HazardState.CLOSED)}
LOOKED_BACK = (HazardState.VERIFIED, HazardState.CLOSED)


@dataclass(frozen=True)
class HazardInput:
    """A hazard as the unit records it; values of Sector, HazardSource and HazardSeverity."""

    title: str
    sector: str
    source: str
    severity: str
    found_on: date | None
    deadline: date | None
    place: str = ""  # the enterprise or site
    description: str = ""


# --- recording -------------------------------------------------------------------------------


def _enum_problem(
    enum_class: type[Sector] | type[HazardSource] | type[HazardSeverity],
    value: str,
    field: str,
    what: str,
) -> Problem | None:
    if not value:
        return Problem(field, f"give the {what}", ErrorCode.REQUIRED)
    try:
        enum_class(value)
    except ValueError:
        known = ", ".join(member.value for member in enum_class)
        return Problem(field, f"unknown {what} {value!r} (known: {known})", ErrorCode.INVALID)
    return None


def _input_problems(data: HazardInput, today: date) -> list[Problem]:
    problems: list[Problem] = []
    title = (data.title or "").strip()
    if not title:
        problems.append(Problem("title", "name the hazard", ErrorCode.REQUIRED))
    elif len(title) > TITLE_MAX:
        problems.append(Problem("title", f"at most {TITLE_MAX} characters", ErrorCode.INVALID))
    for enum_class, value, field, what in (
        (Sector, data.sector, "sector", "sector"),
        (HazardSource, data.source, "source", "source"),
        (HazardSeverity, data.severity, "severity", "severity"),
    ):
        if problem := _enum_problem(enum_class, value, field, what):
            problems.append(problem)
    if data.found_on is None:
        problems.append(Problem("foundOn", "give the day it was found", ErrorCode.REQUIRED))
    elif data.found_on > today:
        problems.append(
            Problem("foundOn", f"{data.found_on} is after today ({today})", ErrorCode.INVALID)
        )
    if data.deadline is None:
        problems.append(Problem("deadline", "give the rectification deadline", ErrorCode.REQUIRED))
    elif data.found_on is not None and data.deadline < data.found_on:
        problems.append(
            Problem(
                "deadline",
                f"the deadline {data.deadline} is before the day found ({data.found_on})",
                ErrorCode.INVALID,
            )
        )
    for field, value, limit in (
        ("place", data.place, PLACE_MAX),
        ("description", data.description, DESCRIPTION_MAX),
    ):
        if len((value or "").strip()) > limit:
            problems.append(Problem(field, f"at most {limit} characters", ErrorCode.INVALID))
    return problems


@dataclass(frozen=True)
class FindingRef:
    """The spot-check finding a hazard comes from: its id, and the path of the unit checked
    (the hazard goes in that unit's ledger or one below it). The assessments side finds it."""

    id: int
    unit_path: str


def _finding_problem(node: TenantNode, source: str, finding: FindingRef) -> Problem | None:
    field = "spotCheckFindingId"
    if source != HazardSource.SPOT_CHECK:
        return Problem(
            field, "only a hazard found by a spot check comes from a finding", ErrorCode.INVALID
        )
    if not node.path.startswith(finding.unit_path):
        return Problem(
            field,
            f"the finding is about another unit: a hazard from it goes in that unit's ledger "
            f"or one below it, not in {node.code}'s",
            ErrorCode.INVALID,
        )
    return None


def record_hazard(
    session: Session,
    actor: Actor | None,
    node: TenantNode,
    data: HazardInput,
    *,
    now: datetime | None = None,
    finding: FindingRef | None = None,
) -> Hazard:
    """Record a hazard found in ``node``'s territory (open), for its keepers."""
    now = now or utcnow()
    require_keeper(actor, node, "nodeId")
    problems = _input_problems(data, local_date(now))
    if finding is not None and (problem := _finding_problem(node, data.source, finding)):
        problems.append(problem)
    if problems:
        raise DomainError(problems)
    assert data.found_on is not None and data.deadline is not None

    session.flush()
    with session.begin_nested():
        hazard = Hazard(
            customer_id=node.customer_id,
            node_id=node.id,
            title=data.title.strip(),
            description=(data.description or "").strip(),
            place=(data.place or "").strip(),
            sector=Sector(data.sector),
            source=HazardSource(data.source),
            severity=HazardSeverity(data.severity),
            found_on=data.found_on,
            deadline=data.deadline,
            state=HazardState.OPEN,
            listed=False,
            spot_check_finding_id=finding.id if finding is not None else None,
            recorded_by_id=user_id_of(actor),
            created_at=now,
            updated_at=now,
        )
        session.add(hazard)
        session.flush()
        history.record(session, hazard, LedgerSubject.HAZARD, actor, action="recorded", at=now)
        ledger_changed(session, node)
    return hazard


# --- the workflow ----------------------------------------------------------------------------


def _moves_text(state: HazardState) -> str:
    allowed = MOVES[state]
    if not allowed:
        return f"the hazard is {state.value}: it moves no further"
    return f"the hazard is {state.value}: it can move to {' or '.join(s.value for s in allowed)}"


def _check_move(actor: Actor | None, node: TenantNode, hazard: Hazard, to: HazardState) -> None:
    """INVALID_STATE unless the workflow allows the move; PERMISSION_DENIED unless the actor
    may make it."""
    old = hazard.state
    if to not in MOVES[old]:
        raise fail("to", f"{_moves_text(old)}, not to {to.value}", ErrorCode.INVALID_STATE)
    if (old, to) == (HazardState.OPEN, HazardState.RECTIFIED) and (
        hazard.severity is not HazardSeverity.GENERAL
    ):
        raise fail(
            "to",
            "only a general hazard is rectified on the spot; a major one moves to rectifying "
            "(under a plan) first",
            ErrorCode.INVALID_STATE,
        )
    if (old, to) in SUPERVISED:
        require_supervisor(actor, node, "hazardId")
    if (old, to) in LOOK_BACK and actor is not None and actor.user_id == hazard.rectified_by_id:
        raise fail(
            "hazardId",
            "the look-back must be done by someone other than the rectifier",
            ErrorCode.PERMISSION_DENIED,
        )


def _step(hazard: Hazard, to: HazardState, actor: Actor | None, now: datetime) -> None:
    """Set the state and what the step records beside it."""
    old, hazard.state = hazard.state, to
    user_id = user_id_of(actor)
    if to is HazardState.RECTIFIED:
        hazard.rectified_at, hazard.rectified_by_id = now, user_id
    elif to is HazardState.VERIFIED:
        hazard.verified_at, hazard.verified_by_id = now, user_id
    elif to is HazardState.CLOSED:
        hazard.closed_at = now
    elif old is HazardState.RECTIFIED:  # the look-back failed: rectify again
        hazard.rectified_at, hazard.rectified_by_id = None, None
    hazard.updated_at = now


def move_hazard(
    session: Session,
    actor: Actor | None,
    hazard: Hazard,
    to: HazardState,
    *,
    note: str,
    files: Sequence[EvidenceFile] = (),
    expected_version: int,
    store: EvidenceStore | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Hazard:
    """Take one step of the rectification workflow, with its note and evidence files.

    The unit's keepers start the rectification (the note is the plan) and report it done (with
    evidence); a general hazard may be rectified on the spot. The offices supervising the unit
    look back (verify, or send it back to rectifying) and close it; never the rectifier.
    ``settings`` gives the upload limits and, without ``store``, where files go.
    """
    now = now or utcnow()
    node = session.get_one(TenantNode, hazard.node_id)
    require_keeper(actor, node, "hazardId")
    to = HazardState(to)
    _check_move(actor, node, hazard, to)
    check_version(hazard.version, expected_version, f"hazard {hazard.id}")
    settings = settings or Settings.from_env()
    problems: list[Problem] = []
    if problem := history.note_problem(note):
        problems.append(problem)
    problems.extend(history.file_problems(files, settings))
    if to is HazardState.RECTIFIED and not files:
        problems.append(
            Problem(
                "files",
                "attach the evidence of the rectification (a photo, an acceptance report)",
                ErrorCode.REQUIRED,
            )
        )
    if problems:
        raise DomainError(problems)

    old = hazard.state
    with writing(session, expected_version, f"hazard {hazard.id}"):
        _step(hazard, to, actor, now)
        event = history.record(
            session,
            hazard,
            LedgerSubject.HAZARD,
            actor,
            action="state",
            field="state",
            old=old,
            new=to,
            note=note,
            at=now,
        )
        if files:
            history.attach(session, event, files, store or evidence_store(settings), actor)
        ledger_changed(session, node)
    return hazard


# --- listing for supervision -----------------------------------------------------------------


def _supervising_office(actor: Actor | None, node: TenantNode) -> int:
    """The office listing a hazard of ``node``: the actor's closest supervising grant (the
    unit above for the system)."""
    if actor is None:
        return node.parent_id if node.parent_id is not None else node.id
    grants = [g for g in actor.grants if g.role in SUPERVISORS and g.covers(node)]
    return max(grants, key=lambda g: len(g.path)).node_id


def list_hazard(
    session: Session,
    actor: Actor | None,
    hazard: Hazard,
    *,
    note: str,
    expected_version: int,
    now: datetime | None = None,
) -> Hazard:
    """List a major hazard for supervision (挂牌督办) by the actor's office, saying why."""
    now = now or utcnow()
    node = session.get_one(TenantNode, hazard.node_id)
    require_supervisor(actor, node, "hazardId")
    if hazard.severity is not HazardSeverity.MAJOR:
        raise fail(
            "hazardId", "only major hazards are listed for supervision", ErrorCode.INVALID_STATE
        )
    if hazard.listed:
        raise fail("hazardId", "the hazard is already listed", ErrorCode.INVALID_STATE)
    if hazard.state in LOOKED_BACK:
        raise fail(
            "hazardId",
            f"the hazard is {hazard.state.value}: its rectification is verified already",
            ErrorCode.INVALID_STATE,
        )
    _set_listed(session, actor, hazard, node, True, note, expected_version, now)
    return hazard


def delist_hazard(
    session: Session,
    actor: Actor | None,
    hazard: Hazard,
    *,
    note: str,
    expected_version: int,
    now: datetime | None = None,
) -> Hazard:
    """Delist a listed hazard (销号), only once its rectification is verified, by the office
    that listed it or one above that office (a district does not delist the province's)."""
    now = now or utcnow()
    node = session.get_one(TenantNode, hazard.node_id)
    require_supervisor(actor, node, "hazardId")
    if not hazard.listed:
        raise fail("hazardId", "the hazard is not listed", ErrorCode.INVALID_STATE)
    if hazard.listed_by_node_id is not None:
        require_supervisor(actor, session.get_one(TenantNode, hazard.listed_by_node_id), "hazardId")
    if hazard.state not in LOOKED_BACK:
        raise fail(
            "hazardId",
            f"delisted only after verified rectification (the hazard is {hazard.state.value})",
            ErrorCode.INVALID_STATE,
        )
    _set_listed(session, actor, hazard, node, False, note, expected_version, now)
    return hazard


def _set_listed(
    session: Session,
    actor: Actor | None,
    hazard: Hazard,
    node: TenantNode,
    listed: bool,
    note: str,
    expected_version: int,
    now: datetime,
) -> None:
    """List or delist the hazard, with the note in its history; a CONFLICT if it changed."""
    check_version(hazard.version, expected_version, f"hazard {hazard.id}")
    if problem := history.note_problem(note):
        raise DomainError(problem)
    with writing(session, expected_version, f"hazard {hazard.id}"):
        hazard.listed = listed
        if listed:
            hazard.listed_at = now
            hazard.listed_by_node_id = _supervising_office(actor, node)
        else:
            hazard.delisted_at = now
        hazard.updated_at = now
        history.record(
            session,
            hazard,
            LedgerSubject.HAZARD,
            actor,
            action="listed" if listed else "delisted",
            field="listed",
            old=not listed,
            new=listed,
            note=note,
            at=now,
        )
        ledger_changed(session, node)
