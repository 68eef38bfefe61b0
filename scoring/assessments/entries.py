"""The unit's side of an assessment: filling in its entries and submitting it.

Every service here checks, in order, the actor's role, the workflow state and the version the
caller read, then every input (one DomainError naming each problem), and only then writes, in
a savepoint: nothing is saved when it fails. The caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from redline import versions
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.assessments import audit
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Cycle,
    Entry,
)
from scoring.assessments.scorecards import (
    LoadedTemplate,
    fed_input,
    ledger_facts,
    load_template_of,
    refresh_scores,
)
from scoring.assessments.workflow import (
    ASSESSMENT,
    EDITABLE,
    change,
    entries_by_item,
    entry_in,
    indicator_problem,
    require_open,
    require_state,
    touch,
)
from scoring.engine import ClauseKind, Method
from scoring.inputs import amount_problem, text_problem
from scoring.templates.document import plain_amount
from scoring.templates.models import TemplateItem, ValueSource
from tenants.access import Actor, user_id_of
from tenants.models import Role, TenantNode

MAX_ENTRIES = 500  # per call: a whole template fits, a flood does not
NOTE_MAX = 4000
REASON_MAX = 2000


# The input field each method reads (EntryInput attribute, GraphQL name).
METHOD_INPUT: dict[Method, tuple[str, str]] = {
    Method.MANUAL: ("points", "points"),
    Method.BONUS: ("points", "points"),
    Method.RATIO: ("value", "value"),
    Method.TIERS: ("value", "value"),
    Method.BOOLEAN: ("done", "done"),
    Method.DEDUCTION: ("counts", "counts"),
}
REVIEW_RESET_REASON = "the unit changed its input after the assessment was returned"


@dataclass(frozen=True)
class EntryInput:
    """The unit's whole entry for one indicator, as its form row shows it.

    Only the field the indicator's method reads may be given (points for manual and bonus,
    value for ratio and tiers, done for boolean, counts per clause key for deduction); a field
    left None is cleared, so saving a row states all of it.
    """

    item_code: str
    value: Decimal | None = None
    done: bool | None = None
    points: Decimal | None = None
    counts: Mapping[str, int] | None = None
    not_applicable: bool = False
    not_applicable_reason: str | None = None
    note: str | None = None


# --- the unit's services ---------------------------------------------------------------------


def unit_context(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    doing: str,
    field: str = "assessmentId",
) -> tuple[TenantNode, Cycle]:
    """The unit and the cycle, once the actor is known to submit for the unit and the
    assessment to take the unit's changes."""
    node = session.get_one(TenantNode, assessment.node_id)
    if actor is not None:
        actor.require(node, Role.SUBMITTER, field=field)
    cycle = session.get_one(Cycle, assessment.cycle_id)
    require_open(cycle, field)
    require_state(assessment, EDITABLE, doing, field)
    return node, cycle


def _entry_problems(
    index: int, entry: EntryInput, loaded: LoadedTemplate, seen: dict[str, int]
) -> list[Problem]:
    at = f"entries[{index}]"
    found = indicator_problem(loaded, entry.item_code, f"{at}.itemCode")
    if isinstance(found, Problem):
        return [found]
    item = found
    if item.code in seen:
        return [
            Problem(
                f"{at}.itemCode",
                f"{item.code} is already given in entries[{seen[item.code]}]",
                ErrorCode.DUPLICATE,
            )
        ]
    seen[item.code] = index
    assert item.method is not None
    wanted, wanted_name = METHOD_INPUT[item.method]
    problems: list[Problem] = []
    given = {
        "value": entry.value is not None,
        "done": entry.done is not None,
        "points": entry.points is not None,
        "counts": bool(entry.counts),
    }
    for name, present in given.items():
        if present and item.source != ValueSource.SELF.value:
            problems.append(
                Problem(
                    f"{at}.{name}",
                    f"{item.code} takes its {wanted_name} from the ledgers ({item.source}): it "
                    "is not entered by hand (a not-applicable claim and a note may be given)",
                    ErrorCode.INVALID,
                )
            )
        elif present and name != wanted:
            problems.append(
                Problem(
                    f"{at}.{name}",
                    f"{item.code} is scored by {item.method.value}: give {wanted_name}, not {name}",
                    ErrorCode.INVALID,
                )
            )
    if wanted == "points" and entry.points is not None:
        what = "bonus points" if item.method is Method.BONUS else "points"
        p = amount_problem(
            entry.points, f"{at}.points", low=Decimal(0), high=item.max_points, what=what
        )
        problems.extend([p] if p else [])
    if wanted == "value" and entry.value is not None:
        p = amount_problem(entry.value, f"{at}.value", low=Decimal(0), high=None, what="value")
        problems.extend([p] if p else [])
    if entry.done is not None and wanted == "done" and not isinstance(entry.done, bool):
        problems.append(Problem(f"{at}.done", "must be true or false", ErrorCode.INVALID))
    if entry.counts and wanted == "counts":
        keys = [c.get("key") for c in item.clauses]
        judged = {
            c.get("key"): Decimal(c.get("points") or 0)
            for c in item.clauses
            if c.get("kind") == ClauseKind.JUDGEMENT
        }
        for key, number in entry.counts.items():
            if key not in keys:
                problems.append(
                    Problem(
                        f"{at}.counts",
                        f"{item.code} has no clause {key!r} (its clauses: {', '.join(keys)})",
                        ErrorCode.INVALID,
                    )
                )
            elif isinstance(number, bool) or not isinstance(number, int) or number < 0:
                problems.append(
                    Problem(
                        f"{at}.counts",
                        f"the count of clause {key!r} must be a whole number, 0 or more",
                        ErrorCode.INVALID,
                    )
                )
            elif key in judged and number > judged[key]:
                problems.append(
                    Problem(
                        f"{at}.counts",
                        f"clause {key!r} is a judgement: its count is the points deducted, at"
                        f" most {plain_amount(judged[key])}, not {number}",
                        ErrorCode.INVALID,
                    )
                )
    if entry.not_applicable and not (entry.not_applicable_reason or "").strip():
        problems.append(
            Problem(
                f"{at}.notApplicableReason",
                f"say why {item.code} does not apply to the unit",
                ErrorCode.REQUIRED,
            )
        )
    for field, value, limit in (
        ("notApplicableReason", entry.not_applicable_reason, REASON_MAX),
        ("note", entry.note, NOTE_MAX),
    ):
        if p := text_problem(value, f"{at}.{field}", limit):
            problems.append(p)
    return problems


def _entry_values(entry: EntryInput) -> dict[str, object]:
    reason = (entry.not_applicable_reason or "").strip()
    return {
        "value": entry.value,
        "done": entry.done,
        "points": entry.points,
        # Zero counts are "no occurrence", the same as no count: store them the one way.
        "counts": {k: n for k, n in sorted((entry.counts or {}).items()) if n},
        "not_applicable": entry.not_applicable,
        "not_applicable_reason": reason if entry.not_applicable else None,
        "note": entry.note or "",
    }


def save_entries(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    entries: Sequence[EntryInput],
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Assessment:
    """Save the unit's entries (a draft, any time before submission or after a return)."""
    _, cycle = unit_context(session, actor, assessment, "editing")
    versions.check_version(assessment.version, expected_version, ASSESSMENT)
    if len(entries) > MAX_ENTRIES:
        raise fail(
            "entries",
            f"at most {MAX_ENTRIES} entries at once (got {len(entries)})",
            ErrorCode.TOO_LARGE,
        )
    loaded = load_template_of(session, cycle.template_id)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        problems.extend(_entry_problems(index, entry, loaded, seen))
    if problems:
        raise DomainError(problems)

    existing = entries_by_item(session, assessment)
    with versions.writing(session, expected_version, ASSESSMENT):
        for entry in entries:
            item = loaded.items_by_code[entry.item_code.strip()]
            row = entry_in(session, existing, assessment, item)
            changes = change(row, _entry_values(entry))
            audit.record_changes(
                session,
                assessment,
                actor,
                changes,
                action="entry",
                item_code=item.code,
                at=now,
            )
            if changes and _has_review(row):
                # The reviewer's word was about the old input: it has to be given again.
                reset = change(
                    row,
                    {
                        "reviewed": False,
                        "review_points": None,
                        "review_reason": None,
                        "not_applicable_confirmed": None,
                    },
                )
                audit.record_changes(
                    session,
                    assessment,
                    actor,
                    reset,
                    action="review",
                    item_code=item.code,
                    reason=REVIEW_RESET_REASON,
                    at=now,
                )
        refresh_scores(session, assessment, loaded=loaded, entries=list(existing.values()))
        touch(assessment, now)
    return assessment


def _has_review(row: Entry) -> bool:
    return (
        row.reviewed
        or row.review_points is not None
        or row.review_reason is not None
        or row.not_applicable_confirmed is not None
    )


def filled(item: TemplateItem, entry: Entry | None) -> bool:
    """Whether the unit has given what the indicator needs (or marked it not applicable)."""
    if item.method is Method.DEDUCTION or item.source != ValueSource.SELF.value:
        return True  # no counts: no occurrence, full points; ledger figures fill themselves
    if entry is None:
        return False
    if entry.not_applicable and (entry.not_applicable_reason or "").strip():
        return True
    if item.method in (Method.MANUAL, Method.BONUS):
        return entry.points is not None
    if item.method in (Method.RATIO, Method.TIERS):
        return entry.value is not None
    return entry.done is not None


def submit(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Assessment:
    """Hand the self-assessment to the reviewer: draft -> submitted, returned -> resubmitted.

    Refused with one problem per required indicator left empty. Marked late after the
    self-assessment deadline (and late it stays).
    """
    now = now or utcnow()
    _, cycle = unit_context(session, actor, assessment, "submitting")
    versions.check_version(assessment.version, expected_version, ASSESSMENT)
    loaded = load_template_of(session, cycle.template_id)
    entries = entries_by_item(session, assessment)
    problems = [
        Problem("entries", f"{item.code} {item.title}: nothing entered yet", ErrorCode.REQUIRED)
        for item in loaded.indicators
        if item.required and not filled(item, entries.get(item.id))
    ]
    if problems:
        raise DomainError(problems)

    with versions.writing(session, expected_version, ASSESSMENT):
        _keep_figures(session, actor, assessment, loaded, entries, now)
        old_state = assessment.state
        new_state = (
            AssessmentState.SUBMITTED
            if old_state is AssessmentState.DRAFT
            else AssessmentState.RESUBMITTED
        )
        session.flush()  # the kept figures; the assessment row changes once, below
        audit.transition(session, assessment, actor, new_state, at=now)
        with session.no_autoflush:
            refresh_scores(session, assessment, loaded=loaded, entries=list(entries.values()))
        assessment.submitted_at = now
        assessment.submitted_by_id = user_id_of(actor)
        audit.mark_late(
            session,
            assessment,
            actor,
            flag="late",
            deadline=cycle.self_due,
            done="submitted",
            at=now,
        )
        touch(assessment, now)
    return assessment


def _keep_figures(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    loaded: LoadedTemplate,
    entries: dict[int, Entry],
    now: datetime,
) -> None:
    """Write each ledger-fed indicator's figure, as it stands at submission, into its entry:
    from then on the reviewer scores what the unit submitted, and the entry says where the
    figure came from. Every figure that changes is in the audit trail with its basis."""
    if not loaded.fed_indicators:
        return
    figures = ledger_facts(session, [assessment], now=now, snapshot=True).figures_of(assessment.id)
    for item in loaded.fed_indicators:
        figure = figures[item.id]
        row = entry_in(session, entries, assessment, item)
        fed = fed_input(item, figure)
        audit.record_changes(
            session,
            assessment,
            actor,
            change(row, {"value": fed.value, "counts": dict(fed.counts)}),
            action="ledger",
            item_code=item.code,
            reason=figure.basis,
            at=now,
        )
        row.ledger_basis = figure.as_document()
