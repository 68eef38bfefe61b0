"""The demo's ledgers: what they hold, the assessments they feed (figures with the rows they came
from, the vetoes they fire), and the same ledgers every time they are loaded."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.demo import tables
from redline.demo.ledgers import ACCIDENTS, LAST_DAY, load_demo_ledgers
from redline.demo.run import load_demo_data
from scoring.assessments.models import Assessment, AssessmentState, Cycle, Entry, VetoFlag
from scoring.assessments.scorecards import scorecards
from scoring.evidence import EvidenceStore, FolderStore
from scoring.ledgers.figures.accidents import accident_statistics
from scoring.ledgers.figures.hazards import hazard_tally
from scoring.ledgers.models import (
    Accident,
    AccidentClass,
    ActionPlan,
    Hazard,
    HazardSeverity,
    HazardState,
    LedgerAttachment,
    LedgerEvent,
    LedgerSubject,
    PlanSection,
    ReportStatus,
    ResponsibilityStatement,
    SectionKind,
    StatementState,
    TaskElement,
    TaskState,
)
from scoring.ledgers.year_on_year import Change
from scoring.templates.models import TemplateItem
from tenants.models import TenantNode
from tenants.scope import in_subtree

D = Decimal
LEDGER_TABLES = (
    LedgerAttachment,
    LedgerEvent,
    TaskElement,
    PlanSection,
    ActionPlan,
    ResponsibilityStatement,
    Hazard,
    Accident,
)


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return FolderStore(tmp_path / "attachments")


@pytest.fixture
def ledgers(world: Session, store: EvidenceStore) -> Session:
    load_demo_ledgers(world, settings=Settings(attachment_dir=store.root))
    return world


@pytest.fixture
def demo(read_only_demo: Session) -> Session:
    return read_only_demo


def _node(session: Session, code: str) -> TenantNode:
    return session.scalars(select(TenantNode).where(TenantNode.code == code)).one()


def _county_assessment(session: Session, code: str, year: int = 2026) -> Assessment:
    county_cycle = session.scalars(
        select(Cycle).where(Cycle.period_start == date(year, 1, 1)).order_by(Cycle.id)
    ).first()
    assert county_cycle is not None
    return session.scalars(
        select(Assessment).where(
            Assessment.cycle_id == county_cycle.id, Assessment.node_id == _node(session, code).id
        )
    ).one()


def _larger_accident(session: Session) -> Accident:
    return session.scalars(
        select(Accident).where(Accident.accident_class != AccidentClass.GENERAL)
    ).one()


# --- what the ledgers hold -----------------------------------------------------------------------


def test_the_accidents_compare_two_years(demo: Session):
    accidents = demo.scalars(select(Accident)).all()
    assert len(accidents) == len(ACCIDENTS)
    larger = _larger_accident(demo)
    assert (larger.deaths, larger.occurred_on.year, larger.occurred_on.month) == (3, 2026, 8)
    assert demo.get_one(TenantNode, larger.node_id).code == "330483"
    statuses = Counter(a.report_status for a in accidents)
    assert statuses[ReportStatus.LATE] == statuses[ReportStatus.CONCEALED] == 1
    concealed = next(a for a in accidents if a.report_status is ReportStatus.CONCEALED)
    assert concealed.occurred_on.year == 2025 and concealed.discovered_on.year == 2026

    statistics = accident_statistics(
        demo, _node(demo, "330400"), date(2026, 1, 1), date(2026, 12, 31)
    )
    assert statistics.totals.count == Change(13, 22, -9, D("-40.9"))
    assert statistics.totals.deaths == Change(15, 19, -4, D("-21.1"))
    corrected = demo.scalars(
        select(LedgerEvent).where(
            LedgerEvent.subject == LedgerSubject.ACCIDENT, LedgerEvent.action == "correction"
        )
    ).all()
    assert {(e.field, e.old, e.new) for e in corrected} == {
        ("deaths", "1", "2"),
        ("serious_injuries", "1", "0"),
    }


def test_the_hazards_of_nanhu_are_in_every_state(demo: Session):
    nanhu = _node(demo, "330402")
    hazards = demo.scalars(
        select(Hazard)
        .join(TenantNode, TenantNode.id == Hazard.node_id)
        .where(in_subtree(TenantNode.path, nanhu.path))
    ).all()
    assert {h.state for h in hazards} == set(HazardState)
    assert {h.severity for h in hazards} == set(HazardSeverity)
    for hazard in hazards:
        # The look-back is never the rectifier's.
        assert hazard.verified_by_id is None or hazard.verified_by_id != hazard.rectified_by_id
        assert hazard.recorded_by_id is not None
    listed_now = [h for h in hazards if h.listed]
    delisted = [h for h in hazards if h.delisted_at is not None]
    assert listed_now and delisted
    assert all(h.state is HazardState.CLOSED for h in delisted)


def test_rectifications_carry_their_evidence(ledgers: Session, store: EvidenceStore):
    rectified = ledgers.scalars(
        select(LedgerEvent).where(
            LedgerEvent.subject == LedgerSubject.HAZARD, LedgerEvent.new == "rectified"
        )
    ).all()
    files = ledgers.scalars(select(LedgerAttachment)).all()
    by_event = Counter(f.event_id for f in files)
    assert rectified and all(by_event[e.id] >= 1 for e in rectified)
    for file in files:
        assert store.path(file.sha256).stat().st_size == file.size


def test_the_plans_and_statements(demo: Session):
    plans = {p.title: p for p in demo.scalars(select(ActionPlan))}
    assert len(plans) == 2
    guangyuan = next(p for title, p in plans.items() if title.startswith("广元市"))
    sections = demo.scalars(select(PlanSection).where(PlanSection.plan_id == guangyuan.id)).all()
    assert Counter(s.kind for s in sections) == {SectionKind.TOPIC: 2, SectionKind.PROJECT: 13}
    elements = demo.scalars(select(TaskElement)).all()
    assert {e.state for e in elements} == set(TaskState)
    today = datetime(2026, 11, 5, tzinfo=UTC)
    assert any(e.state is TaskState.PENDING and e.deadline < today.date() for e in elements)

    statements = demo.scalars(select(ResponsibilityStatement)).all()
    assert {s.year for s in statements} == {2026}
    states = Counter(s.state for s in statements)
    assert states[StatementState.SIGNED] > 5 * states[StatementState.ISSUED] > 0
    issuers = {demo.get_one(TenantNode, s.node_id).code for s in statements}
    assert {"330000", "330400", "330402"} <= issuers


def test_everything_happened_before_the_assessment_story(demo: Session):
    events = demo.scalars(select(LedgerEvent)).all()
    assert events
    assert max(e.at for e in events) < datetime(2026, 11, 5, tzinfo=UTC)
    assert all(e.actor_id is not None for e in events)  # people, not the system
    for model, column in (
        (Accident, Accident.id),
        (Hazard, Hazard.id),
        (TaskElement, TaskElement.id),
        (ResponsibilityStatement, ResponsibilityStatement.id),
    ):
        subject = {
            Accident: LedgerSubject.ACCIDENT,
            Hazard: LedgerSubject.HAZARD,
            TaskElement: LedgerSubject.TASK_ELEMENT,
            ResponsibilityStatement: LedgerSubject.STATEMENT,
        }[model]
        recorded = set(
            demo.scalars(
                select(LedgerEvent.subject_id).where(
                    LedgerEvent.subject == subject, LedgerEvent.action == "recorded"
                )
            )
        )
        assert recorded == set(demo.scalars(select(column))), model
    assert max(h.found_on for h in demo.scalars(select(Hazard))) <= LAST_DAY


# --- what the assessments get --------------------------------------------------------------------


def test_a_county_rectification_rate_and_its_basis_come_from_the_hazards(demo: Session):
    # Submitted: the figure as it stood at submission, kept in the entry.
    submitted = _county_assessment(demo, "330411")
    assert submitted.state is AssessmentState.SUBMITTED
    entry = demo.scalars(
        select(Entry)
        .join(TemplateItem, TemplateItem.id == Entry.item_id)
        .where(Entry.assessment_id == submitted.id, TemplateItem.code == "2.1")
    ).one()
    county = _node(demo, "330411")
    tally = hazard_tally(
        demo, [county], date(2026, 1, 1), date(2026, 12, 31), as_of=submitted.submitted_at
    )[county.id]
    assert entry.value == tally.rectification_rate
    kept = entry.ledger_basis
    assert D(kept["value"]) == tally.rectification_rate
    assert kept["basis"].startswith(f"{tally.rectified} of {tally.found} hazards found")
    assert [r["id"] for r in kept["rows"]] == [h.id for h in tally.hazards_found]

    # A draft reads the ledgers live: Nanhu's figure counts its townships' hazards.
    draft = _county_assessment(demo, "330402")
    assert draft.state is AssessmentState.DRAFT
    cards = scorecards(demo, draft)
    nanhu = _node(demo, "330402")
    live = hazard_tally(
        demo, [nanhu], date(2026, 1, 1), date(2026, 12, 31), as_of=datetime.now(UTC)
    )[nanhu.id]
    figure = cards.figures["2.1"]
    assert cards.figures_live and figure.value == live.rectification_rate
    assert {r.id for r in figure.rows} == {h.id for h in live.hazards_found}
    assert len({h.node_id for h in live.hazards_found}) > 10  # its townships' ledgers
    assert cards.figures["2.2"].value == live.overdue_major


def test_tongxiang_is_vetoed_by_its_larger_accident_kept_at_finalisation(demo: Session):
    accident = _larger_accident(demo)
    assessment = _county_assessment(demo, "330483")
    assert assessment.state is AssessmentState.FINAL
    flags = demo.scalars(
        select(VetoFlag).where(VetoFlag.assessment_id == assessment.id).order_by(VetoFlag.id)
    ).all()
    # The veto (V1) and, for its 3 deaths, a yellow card (Y2): both kept from the same fact.
    assert [f.fact for f in flags] == [f"accident:{accident.id}"] * 2
    assert all(accident.title in flag.reason for flag in flags)
    cards = scorecards(demo, assessment)
    # Final: the kept flags count, nothing live on top.
    assert cards.ledger_vetoes == ()
    assert cards.reviewed_card.vetoed and assessment.grade == "unqualified"
    assert [v.rule for v in cards.reviewed_card.vetoes] == ["V1"]
    assert [v.rule for v in cards.reviewed_card.yellow_cards] == ["Y2"]
    assert assessment.yellow_cards == 1


def test_open_assessments_are_vetoed_live(demo: Session):
    concealed = demo.scalars(
        select(Accident).where(Accident.report_status == ReportStatus.CONCEALED)
    ).one()
    listed = demo.scalars(
        select(Hazard).where(Hazard.listed.is_(True), Hazard.state != HazardState.CLOSED)
    ).all()
    fired = {
        code: [
            (v.rule_code, v.fact)
            for v in scorecards(demo, _county_assessment(demo, code)).ledger_vetoes
        ]
        for code in ("330424", "330421", "330402", "330411")
    }
    jiashan = _node(demo, "330421")
    overdue = next(h for h in listed if h.node_id == jiashan.id)
    haiyan_2025 = _county_assessment(demo, "330424", year=2025)
    assert fired == {
        # Haiyan was vetoed in 2025 too: unqualified last cycle is a yellow card (Y3).
        "330424": [("V2", f"accident:{concealed.id}"), ("Y3", f"assessment:{haiyan_2025.id}")],
        "330421": [("V3", f"hazard:{overdue.id}")],
        "330402": [],
        "330411": [],
    }


# --- the same every time -------------------------------------------------------------------------


def _snapshot(session: Session) -> dict[str, Any]:
    """The ledgers without their ids: what a person reading them sees."""
    codes = {n.id: n.code for n in session.scalars(select(TenantNode))}
    return {
        "accidents": sorted(
            (codes[a.node_id], a.occurred_on, a.title, a.deaths, a.accident_class, a.version)
            for a in session.scalars(select(Accident))
        ),
        "hazards": sorted(
            (
                codes[h.node_id],
                h.found_on,
                h.deadline,
                h.title,
                h.state,
                h.listed,
                h.rectified_at,
                h.verified_by_id,
            )
            for h in session.scalars(select(Hazard))
        ),
        "elements": sorted(
            (codes[e.node_id], e.code, e.title, e.deadline, e.state, e.completed_at)
            for e in session.scalars(select(TaskElement))
        ),
        "statements": sorted(
            (
                codes[s.node_id],
                s.counterparty_node_id or 0,
                s.enterprise or "",
                s.state,
                s.signed_on,
            )
            for s in session.scalars(select(ResponsibilityStatement))
        ),
        "events": sorted(
            (e.subject, codes[e.node_id], e.action, e.field or "", e.new or "", e.at, e.actor_id)
            for e in session.scalars(select(LedgerEvent))
        ),
        "files": sorted((f.filename, f.sha256) for f in session.scalars(select(LedgerAttachment))),
    }


def test_the_ledger_loader_is_deterministic(ledgers: Session, store: EvidenceStore):
    first = _snapshot(ledgers)
    for table in LEDGER_TABLES:
        ledgers.execute(delete(table))
    ledgers.commit()
    load_demo_ledgers(ledgers, settings=Settings(attachment_dir=store.root))
    assert _snapshot(ledgers) == first


# --- a bad row -----------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the demo's data folder that the loaders read instead."""
    folder = tmp_path / "data"
    shutil.copytree(tables.data_file("places.csv").parent, folder)
    monkeypatch.setattr(tables, "data_file", lambda name: folder / name)
    tables.table.cache_clear()
    yield folder
    tables.table.cache_clear()


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    records[row - 1][records[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(records)


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "problem"),
    [
        ("hazards.csv", 5, "found_on", "2026-02-30", "is not a day (YYYY-MM-DD)"),
        ("hazard_steps.csv", 3, "by", "nobody", "no user 'nobody' in users.csv"),
        ("hazard_steps.csv", 4, "at", "2026-11-05 10:00", "is after 2026-11-04"),
        ("statements.csv", 2, "unit_code", "339999", "no unit '339999'"),
        ("accidents.csv", 3, "occurred_on", "2027-01-01", "refused: occurredOn"),
        ("task_elements.csv", 4, "section", "P9", "no section 'P9' of the plan"),
    ],
)
def test_a_bad_row_fails_the_load_naming_its_file_row_and_column(
    session: Session,
    store: EvidenceStore,
    data_copy: Path,
    file: str,
    row: int,
    column: str,
    value: str,
    problem: str,
):
    load_demo_data(session)
    _set_cell(data_copy / file, row, column, value)
    with pytest.raises(tables.DemoDataError) as failed:
        load_demo_ledgers(session, settings=Settings(attachment_dir=store.root))
    message = str(failed.value)
    assert message.startswith(f"{file}, row {row}, column {column}: "), message
    assert problem in message, message
