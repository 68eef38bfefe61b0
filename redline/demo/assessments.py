"""The demo's templates, cycles and assessments, replayed from redline/demo/data through the same
services the API calls.

The template versions come first (``redline.demo.versions``). cycles.csv lists the cycles; those
of one period are opened together, then played. assessment_steps.csv is each assessment's story
in order (``save`` the rows of assessment_entries.csv, ``submit``, ``return``, ``review``: every
indicator confirmed but those of assessment_reviews.csv, ``spot_check``: the findings of
spot_checks.csv, ``raise_rules``: the vetoes and yellow cards of raised_rules.csv,
``complete_review``, ``appeal``: the appeals of appeals.csv, ``decide_appeals``: those of them
with a decision, ``finalise``); assessments.csv the state each one reaches.

From 2026 the template takes indicators and vetoes from the ledgers, so the story runs after
``redline.demo.ledgers`` has recorded them: submitting keeps the figures the ledgers give then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from redline.db import unit_of_work
from redline.demo.people import People, create_story_clerks
from redline.demo.tables import Row, grouped, keyed, table
from redline.demo.versions import Version, archive_done, make_templates
from scoring.assessments.appeals import decide_appeal, file_appeal
from scoring.assessments.cycles import close_cycle, open_cycle
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.groups import GroupInput, set_groups
from scoring.assessments.models import Appeal, AppealState, Assessment, AssessmentState, Cycle
from scoring.assessments.review import (
    ReviewInput,
    add_spot_check,
    complete_review,
    finalise,
    raise_retroactive_veto,
    raise_veto,
    return_assessment,
    review_entries,
)
from scoring.followup import appeal_notices
from scoring.rankings import status
from scoring.templates.models import ItemKind, TemplateItem
from tenants.access import Actor
from tenants.models import TenantLevel

CYCLES = (
    "cycle name family_code template_year owner_code opened_by level period_start period_end "
    "self_due review_due appeal_due closed_at units"
)
ASSESSMENTS = "cycle unit_code state"
STEPS = "cycle unit_code action at by reason"
GROUPS = (
    "cycle code name grade_excellent grade_good grade_qualified commendation_quota set_by set_at "
    "units"
)
ENTRIES = "cycle unit_code indicator value done points counts not_applicable_reason note"
REVIEWS = "cycle unit_code indicator points reason not_applicable_confirmed"
SPOT_CHECKS = "cycle unit_code indicator points finding checked_on"
APPEALS = "cycle unit_code indicator reason decision points decision_reason"
RAISED_RULES = "cycle unit_code rule reason evidence"
LATE_VETOES = "cycle unit_code rule reason evidence at by"
DECISIONS = {"accept": True, "reject": False}

Key = tuple[str, str]  # (cycle, unit code): one assessment


@dataclass(frozen=True)
class Story:
    """What happens to one unit's assessment: the state it reaches, the reviewer's adjustments
    (indicator, points, reason) and the spot-check findings (indicator, points, finding)."""

    state: AssessmentState
    adjust: tuple[tuple[str, Decimal, str], ...] = ()
    spot_check: tuple[tuple[str, Decimal, str], ...] = ()


def stories(cycle: str) -> dict[str, Story]:
    """The stories of one cycle of cycles.csv, by unit code, in the order of assessments.csv."""
    reviews = grouped(table("assessment_reviews.csv", REVIEWS), "cycle", "unit_code")
    findings = grouped(table("spot_checks.csv", SPOT_CHECKS), "cycle", "unit_code")
    found = {}
    for row in table("assessments.csv", ASSESSMENTS):
        if row.text("cycle") != cycle:
            continue
        key = (cycle, row.text("unit_code"))
        adjust = tuple(
            (r.text("indicator"), r.decimal("points"), r.text("reason"))
            for r in reviews.get(key, ())
            if r.given("points")
        )
        spot_check = tuple(
            (r.text("indicator"), r.decimal("points"), r.text("finding"))
            for r in findings.get(key, ())
        )
        found[key[1]] = Story(row.choice("state", AssessmentState), adjust, spot_check)
    return found


def load_demo_assessments(session: Session) -> None:
    """Templates, cycles and assessments for the demo (after the places, the demo users and,
    for the ledger-fed figures, the ledgers)."""
    create_story_clerks(session)
    people = People(session)
    with unit_of_work(session):
        templates = make_templates(session, people)
    cycle_rows = table("cycles.csv", CYCLES)
    states = _states({cycle for (cycle,) in keyed(cycle_rows, "cycle")})
    _details("assessment_steps.csv", STEPS, states)  # every step is of a known assessment
    played: set[str] = set()
    for rows in grouped(cycle_rows, "period_start", "period_end").values():
        with unit_of_work(session):
            cycles = {row.text("cycle"): _open(session, people, templates, row) for row in rows}
            _group(session, people, cycles)
        _play(session, people, cycles, states)
        for row in rows:
            if row.given("closed_at"):
                with unit_of_work(session), row.applying():
                    close_cycle(
                        session,
                        people.actor(row, "opened_by"),
                        cycles[row.text("cycle")],
                        now=row.moment("closed_at"),
                    )
        played |= set(cycles)
        archive_done(session, people, templates, cycle_rows, played)


# --- cycles and assessments ------------------------------------------------------------------


def _group(session: Session, people: People, cycles: dict[str, Cycle]) -> None:
    """The groups (分类考核) of groups.csv of these cycles, set as soon as they are opened."""
    rows = [row for row in table("groups.csv", GROUPS) if row.text("cycle") in cycles]
    for name, given in grouped(tuple(rows), "cycle").items():
        with given[0].applying():
            set_groups(
                session,
                people.actor(given[0], "set_by"),
                cycles[name[0]],
                [
                    GroupInput(
                        code=row.text("code"),
                        name=row.text("name"),
                        unit_ids=tuple(node.id for node in people.nodes_of(row, "units")),
                        grade_excellent=row.maybe("grade_excellent", row.decimal),
                        grade_good=row.maybe("grade_good", row.decimal),
                        grade_qualified=row.maybe("grade_qualified", row.decimal),
                        commendation_quota=row.maybe("commendation_quota", row.integer),
                    )
                    for row in given
                ],
                now=given[0].moment("set_at"),
            )


def _open(
    session: Session, people: People, templates: dict[tuple[str, int], Version], row: Row
) -> Cycle:
    key = (row.text("family_code"), row.integer("template_year"))
    if key not in templates:
        raise row.fail("template_year", f"no version {key[1]} of {key[0]} in templates.csv")
    with row.applying():
        return open_cycle(
            session,
            people.actor(row, "opened_by"),
            template=templates[key].template,
            owner_node=people.node(row, "owner_code"),
            name=row.text("name"),
            level=row.choice("level", TenantLevel),
            period_start=row.day("period_start"),
            period_end=row.day("period_end"),
            self_due=row.moment("self_due"),
            review_due=row.moment("review_due"),
            appeal_due=row.maybe("appeal_due", row.moment),
            units=people.nodes_of(row, "units"),
        )


def _states(cycles: set[str]) -> dict[Key, tuple[Row, AssessmentState]]:
    """The state each assessment of assessments.csv reaches, by (cycle, unit code)."""
    states = {}
    for (cycle, unit), row in keyed(
        table("assessments.csv", ASSESSMENTS), "cycle", "unit_code"
    ).items():
        if cycle not in cycles:
            raise row.fail("cycle", f"no cycle {cycle!r} in cycles.csv")
        states[(cycle, unit)] = (row, row.choice("state", AssessmentState))
    return states


def _details(
    name: str, columns: str, states: dict[Key, tuple[Row, AssessmentState]]
) -> dict[Key, list[Row]]:
    """A detail table's rows by assessment; each must belong to one of assessments.csv."""
    groups = grouped(table(name, columns), "cycle", "unit_code")
    for key, rows in groups.items():
        if key not in states:
            raise rows[0].fail("unit_code", f"{key[1]} of {key[0]} is not in assessments.csv")
    return groups


def _play(
    session: Session,
    people: People,
    cycles: dict[str, Cycle],
    states: dict[Key, tuple[Row, AssessmentState]],
) -> None:
    """Replay the steps of ``cycles`` in file order, then check each assessment's state."""
    entries = _details("assessment_entries.csv", ENTRIES, states)
    reviews = _details("assessment_reviews.csv", REVIEWS, states)
    findings = _details("spot_checks.csv", SPOT_CHECKS, states)
    appeals = _details("appeals.csv", APPEALS, states)
    raised = _details("raised_rules.csv", RAISED_RULES, states)
    for row in table("assessment_steps.csv", STEPS):
        if row.text("cycle") not in cycles:
            continue
        key = (row.text("cycle"), row.text("unit_code"))
        assessment = _assessment(session, people, cycles[key[0]], row)
        act = row.pick("action", STEP_ACTIONS, "action")
        step = _Step(
            session,
            row,
            assessment,
            people.actor(row, "by"),
            row.moment("at"),
            entries.get(key, []),
            reviews.get(key, []),
            findings.get(key, []),
            appeals.get(key, []),
            raised.get(key, []),
        )
        with unit_of_work(session), row.applying():
            act(step)
    for key, (row, state) in states.items():
        if key[0] in cycles:
            assessment = _assessment(session, people, cycles[key[0]], row)
            if assessment.state is not state:
                raise row.fail("state", f"the steps leave it {assessment.state.value}")


def _assessment(session: Session, people: People, cycle: Cycle, row: Row) -> Assessment:
    node = people.node(row, "unit_code")
    found = session.scalars(
        select(Assessment).where(Assessment.cycle_id == cycle.id, Assessment.node_id == node.id)
    ).one_or_none()
    if found is None:
        raise row.fail("unit_code", f"{node.code} is not assessed in {cycle.name}")
    return found


@dataclass(frozen=True)
class _Step:
    """One row of assessment_steps.csv, with the rows of the detail tables of its assessment."""

    session: Session
    row: Row
    assessment: Assessment
    actor: Actor
    now: datetime
    entries: list[Row]
    reviews: list[Row]
    findings: list[Row]
    appeals: list[Row]
    raised: list[Row]


def _save(step: _Step) -> None:
    a = step.assessment
    entries = [_entry(row) for row in step.entries]
    save_entries(step.session, step.actor, a, entries, expected_version=a.version, now=step.now)


def _submit(step: _Step) -> None:
    a = step.assessment
    submit(step.session, step.actor, a, expected_version=a.version, now=step.now)


def _return(step: _Step) -> None:
    a = step.assessment
    reason = step.row.text("reason")
    return_assessment(
        step.session, step.actor, a, reason=reason, expected_version=a.version, now=step.now
    )


def _review(step: _Step) -> None:
    """Every indicator confirmed as entered, but those assessment_reviews.csv names."""
    a = step.assessment
    written = {row.text("indicator"): row for row in step.reviews}
    template_id = step.session.get_one(Cycle, a.cycle_id).template_id
    codes = step.session.scalars(
        select(TemplateItem.code)
        .where(TemplateItem.template_id == template_id, TemplateItem.kind == ItemKind.INDICATOR)
        .order_by(TemplateItem.position)
    ).all()
    for code, row in written.items():
        if code not in codes:
            raise row.fail("indicator", f"no indicator {code} in the cycle's template")
    reviews = [_review_input(written[c]) if c in written else ReviewInput(c) for c in codes]
    review_entries(step.session, step.actor, a, reviews, expected_version=a.version, now=step.now)


def _spot_check(step: _Step) -> None:
    for row in step.findings:
        with row.applying():
            add_spot_check(
                step.session,
                step.actor,
                step.assessment,
                item_code=row.text("indicator"),
                points=row.decimal("points"),
                finding=row.text("finding"),
                checked_on=row.day("checked_on"),
                now=step.now,
            )


def _raise_rules(step: _Step) -> None:
    """The vetoes and yellow cards raised_rules.csv names, as the reviewer raises them."""
    for row in step.raised:
        with row.applying():
            raise_veto(
                step.session,
                step.actor,
                step.assessment,
                rule_code=row.text("rule"),
                reason=row.text("reason"),
                evidence=row.optional("evidence"),
                now=step.now,
            )


def _complete_review(step: _Step) -> None:
    a = step.assessment
    complete_review(step.session, step.actor, a, expected_version=a.version, now=step.now)


def _appeal(step: _Step) -> None:
    for row in step.appeals:
        with row.applying():
            filed = file_appeal(
                step.session,
                step.actor,
                step.assessment,
                item_code=row.text("indicator"),
                reason=row.text("reason"),
                now=step.now,
            )
            appeal_notices.write_notice(
                step.session, filed.id, appeal_notices.AppealEvent.FILED, now=step.now
            )


def _decide_appeals(step: _Step) -> None:
    """The appeals of appeals.csv with a decision, in file order, as the reviewer decides."""
    waiting = list(
        step.session.scalars(
            select(Appeal)
            .where(Appeal.assessment_id == step.assessment.id, Appeal.state == AppealState.OPEN)
            .order_by(Appeal.id)
        )
    )
    for row in step.appeals:
        if not row.given("decision"):
            continue
        code = row.text("indicator")
        found = [a for a in waiting if step.session.get_one(TemplateItem, a.item_id).code == code]
        if not found:
            raise row.fail("indicator", f"no appeal on {code} waits for a decision")
        with row.applying():
            decided = decide_appeal(
                step.session,
                step.actor,
                found[0],
                accept=row.pick("decision", DECISIONS, "decision"),
                reason=row.text("decision_reason"),
                points=row.maybe("points", row.decimal),
                now=step.now,
            )
            appeal_notices.write_notice(
                step.session, decided.id, appeal_notices.AppealEvent.DECIDED, now=step.now
            )


def _finalise(step: _Step) -> None:
    finalise(step.session, step.actor, step.assessment, now=step.now)


STEP_ACTIONS: dict[str, Callable[[_Step], None]] = {
    "save": _save,
    "submit": _submit,
    "return": _return,
    "review": _review,
    "spot_check": _spot_check,
    "raise_rules": _raise_rules,
    "complete_review": _complete_review,
    "appeal": _appeal,
    "decide_appeals": _decide_appeals,
    "finalise": _finalise,
}


def _entry(row: Row) -> EntryInput:
    reason = row.optional("not_applicable_reason")
    return EntryInput(
        row.text("indicator"),
        value=row.maybe("value", row.decimal),
        done=row.maybe("done", row.flag),
        points=row.maybe("points", row.decimal),
        counts=row.maybe("counts", lambda column: _counts(row, column)),
        not_applicable=bool(reason),
        not_applicable_reason=reason or None,
        note=row.optional("note") or None,
    )


def _counts(row: Row, column: str) -> dict[str, int]:
    """``a=1;b=0``: occurrences per clause key."""
    counts = {}
    for word in row.words(column):
        key, _, count = word.partition("=")
        if not key.strip() or not count.strip().isdigit():
            raise row.fail(column, f"{word!r} is not clause=count (such as a=1)")
        counts[key.strip()] = int(count)
    return counts


def _review_input(row: Row) -> ReviewInput:
    points = row.maybe("points", row.decimal)
    return ReviewInput(
        row.text("indicator"),
        confirm=points is None,
        points=points,
        reason=row.optional("reason") or None,
        not_applicable_confirmed=row.maybe("not_applicable_confirmed", row.flag),
    )


def load_demo_late_vetoes(session: Session) -> None:
    """The vetoes found after a cycle closed (late_vetoes.csv), raised on the final results once
    the first rankings are out: the worker then republishes them as a new version."""
    people = People(session)
    names = {row.text("cycle"): row.text("name") for row in table("cycles.csv", CYCLES)}
    for row in table("late_vetoes.csv", LATE_VETOES):
        cycle = session.scalars(
            select(Cycle).where(Cycle.name == row.pick("cycle", names, "cycle", "cycles.csv"))
        ).one()
        assessment = _assessment(session, people, cycle, row)
        with unit_of_work(session), row.applying():
            raise_retroactive_veto(
                session,
                people.actor(row, "by"),
                assessment,
                rule_code=row.text("rule"),
                reason=row.text("reason"),
                evidence=row.optional("evidence"),
                now=row.moment("at"),
            )


def publish_demo_rankings(sessions: sessionmaker[Session]) -> None:
    """Publish every cycle's rankings now, the earliest period first, as the jobs would: a
    cycle's previous ranks are read from the cycle before it."""
    with sessions() as session:
        cycle_ids = list(session.scalars(select(Cycle.id).order_by(Cycle.period_end, Cycle.id)))
    for cycle_id in cycle_ids:
        status.publish_rankings(sessions, cycle_id, force=True)
