"""Deduction realism on both backends: clauses fed by the accident ledger count each accident
once, at its most severe class, its deaths or its hours reported late (up to a cap), a repeat
deducting double; the accident ledger knowing when a report is late; the template refusing
what cannot be counted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.models import Cycle, Entry
from scoring.assessments.scorecards import scorecards
from scoring.engine import ClauseKind, Method
from scoring.ledgers.accidents import AccidentInput, record_accident
from scoring.ledgers.models import Accident, ReportStatus
from scoring.ledgers.reporting import lateness
from scoring.templates.document import ClauseInput, ItemInput
from scoring.templates.models import AccidentClass, AccidentMeasure, TemplateItem, ValueSource
from scoring.templates.validation import content_problems
from tests.factories.assessments import assessment_of, full_entries, open_sample_cycle
from tests.factories.ledgers import accident_row
from tests.factories.templates import published_template, sample_content
from tests.factories.tenants import actor, node

D = Decimal
XJD = "330402901"
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)

# 1.3 (10 points) fed by the accident ledger, as a provincial measure words it.
ACCIDENT_CLAUSES = (
    {
        "key": "a",
        "kind": "per_occurrence",
        "points": "1",
        "repeat_factor": "2",
        "accident_class": "general",
        "text": "每发生一起一般事故扣1分，再次发生的加倍扣分",
    },
    {
        "key": "b",
        "kind": "zero",
        "accident_class": "larger",
        "text": "发生较大及以上事故的，不得分",
    },
    {
        "key": "c",
        "kind": "per_occurrence",
        "points": "0.5",
        "cap": "3",
        "accident_measure": "late_report_hours",
        "text": "迟报的，每迟报1小时扣0.5分，最多扣3分",
    },
    {
        "key": "d",
        "kind": "per_occurrence",
        "points": "1",
        "accident_measure": "deaths",
        "text": "每死亡1人扣1分",
    },
)


@pytest.fixture
def cycle(world: Session) -> Cycle:
    template = published_template(world, node(world, "330000"))
    item = world.scalars(select(TemplateItem).where(TemplateItem.code == "1.3")).one()
    item.source = ValueSource.ACCIDENTS.value
    item.clauses = [dict(c) for c in ACCIDENT_CLAUSES]
    cycle = open_sample_cycle(world, template=template)
    world.commit()
    return cycle


def at(moment: str) -> datetime:
    """A moment in China time."""
    return datetime.fromisoformat(f"{moment}+08:00")


def accident(session: Session, on: str, deaths: int, **columns) -> Accident:
    return accident_row(session, XJD, date.fromisoformat(on), deaths, **columns)


def clause_inputs(session: Session, cycle: Cycle) -> dict[str, str]:
    cards = scorecards(session, assessment_of(session, cycle, XJD))
    lines = cards.self_card.indicators["1.3"].lines
    return {line.rule: line.input for line in lines if line.rule.startswith("clause")}


def test_general_accidents_repeat_double_their_deaths_and_late_hours_counted(
    world: Session, cycle: Cycle
):
    accident(world, "2026-03-02", 1)
    late = accident(
        world,
        "2026-06-10",
        1,
        report_status=ReportStatus.LATE,
        occurred_time=time(9, 10),
        reported_at=at("2026-06-10T14:30:00"),  # 5 h 20 min after: 4 h 20 min late -> 5 hours
    )
    accident(world, "2025-06-10", 2)  # another period
    world.commit()

    cards = scorecards(world, assessment_of(world, cycle, XJD))

    figure = cards.figures["1.3"]
    assert figure.value == 2
    assert "2 accidents in 2026-01-01..2026-12-31 (2 general; reported 5 hours late" in (
        figure.basis
    )
    assert lateness(late.occurred_on, late.occurred_time, late.reported_at).hours == 5
    item = cards.self_card.indicators["1.3"]
    # a: 1 + 1 x 2 = 3; c: 5 x 0.5 = 2.5; d: 2 deaths = 2; 10 - 7.5
    assert item.points == D("2.50")
    assert clause_inputs(world, cycle) == {
        "clause a": "count 2 x 1.00, 1 repeated x 2",
        "clause c": "count 5 x 0.50",
        "clause d": "count 2 x 1.00",
    }


def test_an_accident_counts_once_at_its_most_severe_class(world: Session, cycle: Cycle):
    accident(world, "2026-03-02", 1)
    accident(world, "2026-08-14", 3)  # larger: clause b, not clause a as well
    world.commit()

    inputs = clause_inputs(world, cycle)

    assert inputs["clause a"] == "count 1 x 1.00"
    assert inputs["clause b"] == "count 1"
    cards = scorecards(world, assessment_of(world, cycle, XJD))
    assert cards.self_card.indicators["1.3"].points == 0


def test_late_hours_stop_at_the_cap_and_an_untimed_late_report_counts_one_hour(
    world: Session, cycle: Cycle
):
    accident(
        world,
        "2026-05-27",
        0,
        report_status=ReportStatus.LATE,
        occurred_time=time(9, 0),
        reported_at=at("2026-05-29T11:00:00"),
    )
    accident(world, "2026-07-01", 0, report_status=ReportStatus.LATE)
    world.commit()

    cards = scorecards(world, assessment_of(world, cycle, XJD))

    assert clause_inputs(world, cycle)["clause c"] == "count 50 x 0.50, capped at 3.00"
    assert "1 late report(s) without the time of the accident: 1 hour each" in (
        cards.figures["1.3"].basis
    )
    # a: 1 + 2 = 3; c: the cap 3; 10 - 6
    assert cards.self_card.indicators["1.3"].points == D(4)


def test_a_submission_keeps_the_parts_it_was_scored_on(world: Session, cycle: Cycle):
    accident(world, "2026-03-02", 1)
    world.commit()
    draft = assessment_of(world, cycle, XJD)
    clerk = actor(world, "xjd-clerk")
    entries = [e for e in full_entries() if e.item_code != "1.3"]
    save_entries(world, clerk, draft, entries, expected_version=1)
    submit(world, clerk, draft, expected_version=2, now=NOW)
    world.commit()
    kept = world.scalars(select(Entry).join(TemplateItem).where(TemplateItem.code == "1.3")).one()
    assert kept.ledger_basis["parts"] == [["general", "accidents", 1], ["general", "deaths", 1]]

    # A larger accident recorded after submission moves nothing: the kept parts stand.
    accident(world, "2026-10-01", 4)
    world.commit()
    cards = scorecards(world, draft)
    assert not cards.figures_live
    assert cards.self_card.indicators["1.3"].points == D(8)  # 10 - 1 - 1


# --- the template refuses what cannot be counted ---------------------------------------------


def _with_13(source: str, *clauses: ClauseInput):
    def change(item: ItemInput) -> ItemInput:
        if item.code == "1.3":
            return replace(
                item,
                method=Method.DEDUCTION,
                source=source,
                clauses=clauses,
                target=None,
                floor=None,
            )
        return replace(item, children=tuple(change(c) for c in item.children))

    content = sample_content()
    return replace(content, items=tuple(change(i) for i in content.items))


def _clause(key: str, kind: str = "per_occurrence", points: str = "1", **fields) -> ClauseInput:
    return ClauseInput(key, ClauseKind(kind), f"clause {key}", D(points), **fields)


GENERAL = AccidentClass.GENERAL
LARGER = AccidentClass.LARGER


@pytest.mark.parametrize(
    ("source", "clauses", "field", "message"),
    [
        (
            "self",
            (_clause("a", accident_class=GENERAL),),
            "clauses[0].accidentMeasure",
            "only an indicator fed by the accident ledger",
        ),
        (
            "accidents",
            (_clause("a", accident_class=GENERAL), _clause("b")),
            "clauses[1].accidentClass",
            "give this one its class too",
        ),
        (
            "accidents",
            (_clause("a", accident_class=LARGER), _clause("b", accident_class=LARGER)),
            "clauses[1].accidentClass",
            "already counts larger accidents",
        ),
        (
            "self",
            (_clause("a", "fixed", cap=D(2)),),
            "clauses[0].cap",
            "only a per-occurrence clause",
        ),
        ("self", (_clause("a", cap=D(0)),), "clauses[0].cap", "the cap must be above 0"),
        (
            "self",
            (_clause("a", repeat_factor=D(1)),),
            "clauses[0].repeatFactor",
            "use a factor above 1",
        ),
    ],
)
def test_a_template_refuses_clauses_that_cannot_count(source, clauses, field, message):
    problems = content_problems(_with_13(source, *clauses))
    assert any(p.field.endswith(field) and message in p.message for p in problems), problems


def test_a_template_takes_accident_clauses_of_each_measure_and_class():
    clauses = (
        _clause("a", repeat_factor=D(2), accident_class=GENERAL),
        _clause("b", "zero", "0", accident_class=LARGER),
        _clause("c", accident_measure=AccidentMeasure.LATE_REPORT_HOURS, cap=D(3)),
        _clause("d", accident_measure=AccidentMeasure.DEATHS, accident_class=GENERAL),
        _clause("e", accident_measure=AccidentMeasure.DEATHS, accident_class=LARGER),
    )
    assert content_problems(_with_13("accidents", *clauses)) == []


# --- the accident ledger knows when a report is late ------------------------------------------


def _form(**changes) -> AccidentInput:
    base = AccidentInput(
        occurred_on=date(2026, 6, 10),
        occurred_time=time(9, 10),
        title="warehouse fire",
        sector="fire",
        deaths=0,
        serious_injuries=1,
        direct_loss=D(0),
        report_status="on_time",
        reported_at=at("2026-06-10T10:00:00"),
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reported_at": at("2026-06-10T11:00:00")}, "reportStatus", "a report that late is late"),
        ({"report_status": "late"}, "reportStatus", "reported within an hour"),
        ({"reported_at": at("2026-06-10T08:00:00")}, "reportedAt", "before the accident happened"),
    ],
)
def test_a_report_is_on_time_within_the_hour_and_late_after_it(
    world: Session, changes, field, message
):
    with pytest.raises(DomainError) as raised:
        record_accident(
            world, actor(world, "xjd-clerk"), node(world, XJD), _form(**changes), now=NOW
        )
    assert [(p.field, message in p.message) for p in raised.value.problems] == [(field, True)]
    assert world.scalars(select(Accident)).all() == []


def test_the_time_of_day_is_kept_and_a_late_report_counts_its_hours(world: Session):
    clerk, xjd = actor(world, "xjd-clerk"), node(world, XJD)
    late = _form(report_status="late", reported_at=at("2026-06-10T12:11:00"))
    accident = record_accident(world, clerk, xjd, late, now=NOW)
    world.commit()
    assert accident.occurred_time == time(9, 10)
    # 3 h 1 min after the accident: 2 h 1 min past the hour allowed -> 3 hours.
    assert lateness(accident.occurred_on, accident.occurred_time, accident.reported_at).hours == 3
