"""The demo's ledgers of 2025 and 2026, replayed from redline/demo/data through the ledger
services by the people the tables name, all dated before the assessment story.

Each row is recorded, then followed at once by what happened to it: accidents.csv with
accident_corrections.csv; hazards.csv (in the order they were found) with hazard_steps.csv
(``list``, ``delist``, or a move of the workflow: ``rectifying``, ``rectified``, ``verified``,
``closed``; a move back to rectifying is the look-back sending it back); statements.csv, one
issuing unit after the other (each batch of one title and moment issued at once, then the
signatures recorded); action_plans.csv with plan_sections.csv and task_elements.csv (issued
whole, then the elements completed).

What the assessments get from them (the 2026 county and township cycles): 桐乡市 330483's larger
accident of August 2026 fires V1, 海盐县 330424's building-site accident of December 2025,
concealed until June 2026, V2, and 嘉善县 330421's listed major hazard left past its deadline
V3; every county and Nanhu's townships get rectification rates, overdue major hazards, task
completion and statement coverage that differ from one unit to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.config import Settings
from redline.db import unit_of_work
from redline.demo.evidence import evidence
from redline.demo.people import People, create_story_clerks
from redline.demo.tables import Row, grouped, keyed, table, tree
from scoring.evidence import EvidenceStore, evidence_store
from scoring.ledgers.accidents import AccidentInput, correct_accident, record_accident
from scoring.ledgers.hazards import (
    HazardInput,
    delist_hazard,
    list_hazard,
    move_hazard,
    record_hazard,
)
from scoring.ledgers.models import (
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    ReportStatus,
    ResponsibilityStatement,
    SectionKind,
    Sector,
    TaskElement,
)
from scoring.ledgers.statements import EnterpriseInput, issue_statements, sign_statement
from scoring.ledgers.tasks import (
    ElementInput,
    PlanInput,
    SectionInput,
    complete_element,
    create_plan,
)

R = TypeVar("R")

# The ledgers stop before the assessment story starts (its first entries: 2026-11-05).
LAST_DAY = date(2026, 11, 4)

ACCIDENT_COLUMNS = (
    "number unit_code occurred_on occurred_time title sector deaths serious_injuries direct_loss "
    "report_status reported_at discovered_on recorded_at recorded_by"
)
CORRECTIONS = "accident corrected_at corrected_by deaths serious_injuries reason"
HAZARDS = (
    "number unit_code title sector source severity found_on deadline place description "
    "recorded_at recorded_by"
)
HAZARD_STEPS = "hazard at action by note files"
STATEMENTS = (
    "issuer_code year title unit_code enterprise sector issued_at issued_by signed_on "
    "signature_recorded_at signature_recorded_by"
)
PLANS = "plan owner_code title period_start period_end issued_at issued_by"
SECTIONS = "plan code parent kind title"
ELEMENTS = "plan section code title unit_code deadline completed_at completed_by note files"
LISTING = ("list", "delist")
HAZARD_ACTIONS = (*LISTING, *(s.value for s in HazardState if s is not HazardState.OPEN))

ACCIDENTS = table("accidents.csv", ACCIDENT_COLUMNS)  # as the package ships them


def load_demo_ledgers(session: Session, *, settings: Settings | None = None) -> None:
    """Record the demo's ledgers (after the places and demo users, before the assessments).
    ``settings`` says where evidence files go (default: from the environment)."""
    settings = settings or Settings.from_env()
    create_story_clerks(session)  # the story's clerks exist before anything is recorded
    people = People(session)
    store = evidence_store(settings)
    with unit_of_work(session):
        _record_accidents(session, people)
    with unit_of_work(session):
        _record_hazards(session, people, store, settings)
    with unit_of_work(session):
        _issue_statements(session, people)
    with unit_of_work(session):
        _issue_plans(session, people, store, settings)


def _before_story(row: Row, column: str) -> datetime:
    """A moment of the ledgers: on or before their last day."""
    moment = row.moment(column)
    if local_date(moment) > LAST_DAY:
        raise row.fail(column, f"is after {LAST_DAY}: the ledgers end before the assessments")
    return moment


def _following(
    name: str, columns: str, key: str, rows: tuple[Row, ...], number: str
) -> dict[str, list[Row]]:
    """The rows of table ``name`` by the row of ``rows`` they follow (named in ``key``)."""
    known = {found for (found,) in keyed(rows, number)}
    following: dict[str, list[Row]] = {}
    for row in table(name, columns):
        if row.text(key) not in known:
            raise row.fail(key, f"no {row.text(key)!r} in {rows[0].file}")
        following.setdefault(row.text(key), []).append(row)
    return following


def _record(
    session: Session, people: People, row: Row, record: Callable[..., R], data: object
) -> R:
    """A ledger row recorded in its unit by its ``recorded_by`` at its ``recorded_at``."""
    with row.applying():
        return record(
            session,
            people.actor(row, "recorded_by"),
            people.node(row, "unit_code"),
            data,
            now=_before_story(row, "recorded_at"),
        )


# --- accidents -------------------------------------------------------------------------------


def _record_accidents(session: Session, people: People) -> None:
    accidents = table("accidents.csv", ACCIDENT_COLUMNS)
    corrections = _following(
        "accident_corrections.csv", CORRECTIONS, "accident", accidents, "number"
    )
    for row in accidents:
        data = AccidentInput(
            occurred_on=row.day("occurred_on"),
            title=row.text("title"),
            sector=row.choice("sector", Sector).value,
            deaths=row.integer("deaths"),
            serious_injuries=row.integer("serious_injuries"),
            direct_loss=row.decimal("direct_loss"),
            report_status=row.choice("report_status", ReportStatus).value,
            reported_at=row.maybe("reported_at", row.moment),
            discovered_on=row.maybe("discovered_on", row.day),
            occurred_time=row.maybe("occurred_time", row.clock),
        )
        accident = _record(session, people, row, record_accident, data)
        for fix in corrections.get(row.text("number"), []):
            corrected = replace(
                data,
                deaths=fix.integer("deaths"),
                serious_injuries=fix.integer("serious_injuries"),
            )
            with fix.applying():
                accident = correct_accident(
                    session,
                    people.actor(fix, "corrected_by"),
                    accident,
                    corrected,
                    expected_version=accident.version,
                    reason=fix.text("reason"),
                    now=_before_story(fix, "corrected_at"),
                )


# --- hidden hazards --------------------------------------------------------------------------


def _record_hazards(
    session: Session, people: People, store: EvidenceStore, settings: Settings
) -> None:
    rows = table("hazards.csv", HAZARDS)
    steps = _following("hazard_steps.csv", HAZARD_STEPS, "hazard", rows, "number")
    for row in rows:
        data = HazardInput(
            title=row.text("title"),
            sector=row.choice("sector", Sector).value,
            source=row.choice("source", HazardSource).value,
            severity=row.choice("severity", HazardSeverity).value,
            found_on=row.day("found_on"),
            deadline=row.day("deadline"),
            place=row.optional("place"),
            description=row.optional("description"),
        )
        hazard = _record(session, people, row, record_hazard, data)
        for step in steps.get(row.text("number"), []):
            with step.applying():
                _hazard_step(session, people, hazard, step, store, settings)


def _hazard_step(
    session: Session,
    people: People,
    hazard: Hazard,
    step: Row,
    store: EvidenceStore,
    settings: Settings,
) -> None:
    """A listing, a delisting or a move of the rectification workflow."""
    action = step.pick("action", {a: a for a in HAZARD_ACTIONS}, "action")
    actor, now, note = people.actor(step, "by"), _before_story(step, "at"), step.text("note")
    if action in LISTING:
        change = list_hazard if action == "list" else delist_hazard
        change(session, actor, hazard, note=note, expected_version=hazard.version, now=now)
        return
    move_hazard(
        session,
        actor,
        hazard,
        HazardState(action),
        note=note,
        files=evidence(step, "files", title=hazard.title, place=hazard.place),
        expected_version=hazard.version,
        store=store,
        settings=settings,
        now=now,
    )


# --- responsibility statements ---------------------------------------------------------------


def _issue_statements(session: Session, people: People) -> None:
    """Each issuing unit's statements: the batches issued, then the signatures recorded."""
    for rows in grouped(table("statements.csv", STATEMENTS), "issuer_code").values():
        node = people.node(rows[0], "issuer_code")
        parties = {row.number: _party(people, row) for row in rows}
        statements: dict[int, ResponsibilityStatement] = {}
        for batch in grouped(tuple(rows), "year", "title", "issued_at", "issued_by").values():
            first = batch[0]
            with first.applying():
                issued = issue_statements(
                    session,
                    people.actor(first, "issued_by"),
                    node,
                    year=first.integer("year"),
                    title=first.text("title"),
                    units=[row.text("unit_code") for row in batch if row.given("unit_code")],
                    enterprises=[_enterprise(row) for row in batch if not row.given("unit_code")],
                    now=_before_story(first, "issued_at"),
                )
            by_party = {s.counterparty_node_id or s.enterprise: s for s in issued}
            statements |= {row.number: by_party[parties[row.number]] for row in batch}
        for row in rows:
            if not row.given("signed_on"):
                continue
            statement = statements[row.number]
            with row.applying():
                sign_statement(
                    session,
                    people.actor(row, "signature_recorded_by"),
                    statement,
                    signed_on=row.day("signed_on"),
                    expected_version=statement.version,
                    now=_before_story(row, "signature_recorded_at"),
                )


def _party(people: People, row: Row) -> int | str:
    """Whom the row's statement is to: a unit (its id) or an enterprise (its name)."""
    if row.given("unit_code") == row.given("enterprise"):
        raise row.fail("enterprise", "name a unit (unit_code) or an enterprise, not both")
    if row.given("unit_code"):
        return people.node(row, "unit_code").id
    return row.text("enterprise")


def _enterprise(row: Row) -> EnterpriseInput:
    sector = row.maybe("sector", lambda column: row.choice(column, Sector).value)
    return EnterpriseInput(row.text("enterprise"), sector)


# --- task lists ------------------------------------------------------------------------------


def _issue_plans(
    session: Session, people: People, store: EvidenceStore, settings: Settings
) -> None:
    """Each plan issued whole, then its elements completed in file order."""
    plans = table("action_plans.csv", PLANS)
    sections = _following("plan_sections.csv", SECTIONS, "plan", plans, "plan")
    elements = _following("task_elements.csv", ELEMENTS, "plan", plans, "plan")
    for row in plans:
        key = row.text("plan")
        data = PlanInput(
            row.text("title"),
            row.day("period_start"),
            row.day("period_end"),
            **_content(sections.get(key, []), elements.get(key, [])),
        )
        with row.applying():
            plan = create_plan(
                session,
                people.actor(row, "issued_by"),
                people.node(row, "owner_code"),
                data,
                now=_before_story(row, "issued_at"),
            )
        created = {
            element.code: element
            for element in session.scalars(
                select(TaskElement).where(TaskElement.plan_id == plan.id)
            )
        }
        for done in elements.get(key, []):
            if not done.given("completed_at"):
                continue
            element = created[done.text("code")]
            now = _before_story(done, "completed_at")
            files = evidence(
                done, "files", title=element.title, unit=done.text("unit_code"), day=local_date(now)
            )
            with done.applying():
                complete_element(
                    session,
                    people.actor(done, "completed_by"),
                    element,
                    note=done.text("note"),
                    files=files,
                    expected_version=element.version,
                    store=store,
                    settings=settings,
                    now=now,
                )


def _content(sections: list[Row], elements: list[Row]) -> dict[str, tuple]:
    """A plan's topics and projects holding its elements, in file order; elements of no section
    are the plan's own."""
    children = tree(sections)
    held: dict[str, list[ElementInput]] = {code: [] for code in children}
    for row in elements:
        if row.optional("section") not in held:
            raise row.fail("section", f"no section {row.optional('section')!r} of the plan")
        element = ElementInput(
            row.text("code"), row.text("title"), row.text("unit_code"), row.day("deadline")
        )
        held[row.optional("section")].append(element)

    def section(row: Row) -> SectionInput:
        code = row.text("code")
        return SectionInput(
            code,
            row.text("title"),
            row.choice("kind", SectionKind).value,
            sections=tuple(section(child) for child in children[code]),
            elements=tuple(held[code]),
        )

    return {
        "sections": tuple(section(row) for row in children[""]),
        "elements": tuple(held[""]),
    }
