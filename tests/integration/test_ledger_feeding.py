"""Ledgers feeding assessments on both backends: ledger-fed indicators live while the unit edits,
kept at submission; ledger vetoes live until final, kept as flags then; re-scoring after a ledger
change without a version conflict; templates refusing a figure on a method it cannot feed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.cycles import open_cycle
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    Entry,
    VetoFlag,
)
from scoring.assessments.review import (
    ReviewInput,
    complete_review,
    finalise,
    raise_veto,
    return_assessment,
    review_entries,
)
from scoring.assessments.scorecards import rescore_above, scorecards, scorecards_many
from scoring.ledgers.models import (
    Accident,
    Hazard,
    HazardState,
    ReportStatus,
    TaskState,
)
from scoring.templates.document import ItemInput, TemplateContent
from scoring.templates.models import Template, TemplateItem, ValueSource, VetoKind, VetoRule
from scoring.templates.validation import content_problems
from tenants.models import TenantLevel
from tests.factories.assessments import assessment_of, full_entries, open_sample_cycle
from tests.factories.ledgers import accident_row, hazard_row, task_row
from tests.factories.templates import INDICATOR_CODES, published_template, sample_content
from tests.factories.tenants import actor, add_user, node

D = Decimal
XJD = "330402901"
QIXING = "330402015"
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


@pytest.fixture
def cycle(world: Session) -> Cycle:
    """The sample template with 2.1 fed by the hazard rectification rate, 2.2 by the task
    completion rate, and V1/V2 firing from accidents; a township cycle under Nanhu."""
    template = published_template(world, node(world, "330000"))
    items = {i.code: i for i in world.scalars(select(TemplateItem))}
    items["2.1"].source = ValueSource.HAZARD_RECTIFICATION_RATE.value
    items["2.2"].source = ValueSource.TASK_COMPLETION_RATE.value
    rules = {r.code: r for r in world.scalars(select(VetoRule))}
    rules["V1"].kind = VetoKind.LARGER_ACCIDENT
    rules["V2"].kind = VetoKind.CONCEALED_ACCIDENT
    cycle = open_sample_cycle(world, template=template)
    world.commit()
    return cycle


def hazard(session: Session, code: str, found: str, *, rectified: datetime | None = None):
    found_on = date.fromisoformat(found)
    return hazard_row(
        session,
        code,
        title=f"hazard found {found}",
        found_on=found_on,
        deadline=found_on.replace(day=28),
        state=HazardState.RECTIFIED if rectified else HazardState.OPEN,
        rectified_at=rectified,
    )


def accident(session: Session, code: str, on: str, deaths: int, **extra) -> Accident:
    return accident_row(session, code, date.fromisoformat(on), deaths, **extra)


def task(session: Session, code: str, deadline: str, *, done: datetime | None = None):
    return task_row(
        session,
        code,
        date.fromisoformat(deadline),
        plan_owner="330400",
        plan_title="Jiaxing 2026 plan",
        element_code=f"T{deadline}",
        title=f"task due {deadline}",
        position=1,
        state=TaskState.DONE if done else TaskState.PENDING,
        completed_at=done,
    )


def entries_without_fed(**changes: EntryInput) -> list[EntryInput]:
    return [e for e in full_entries(**changes) if e.item_code not in ("2.1", "2.2")]


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T04:00:00+00:00")


# --- figures ---------------------------------------------------------------------------------


def test_a_draft_reads_its_ledger_figures_live(world: Session, cycle: Cycle):
    hazard(world, XJD, "2026-03-02", rectified=at("2026-03-20"))
    hazard(world, XJD, "2026-05-02", rectified=at("2026-05-10"))
    hazard(world, XJD, "2026-09-02")
    hazard(world, XJD, "2025-09-02")  # another period
    hazard(world, QIXING, "2026-09-02")  # another unit
    task(world, XJD, "2026-06-30", done=at("2026-06-01"))
    world.commit()
    draft = assessment_of(world, cycle, XJD)

    cards = scorecards(world, draft)

    rate = cards.figures["2.1"]
    assert rate.value == D("66.7")
    assert rate.source is ValueSource.HAZARD_RECTIFICATION_RATE
    assert "2 of 3 hazards found in 2026-01-01..2026-12-31 rectified" in rate.basis
    assert len(rate.rows) == 3
    assert cards.figures_live
    assert cards.self_card.indicators["2.1"].points == D("13.34")  # 20 x 66.7%
    assert cards.figures["2.2"].value == D("100.0")
    assert cards.self_card.indicators["2.2"].points == D(20)


def test_a_figure_is_not_entered_by_hand(world: Session, cycle: Cycle):
    draft = assessment_of(world, cycle, XJD)
    clerk = actor(world, "xjd-clerk")
    with pytest.raises(DomainError) as error:
        save_entries(world, clerk, draft, [EntryInput("2.1", value=D(100))], expected_version=1)
    [problem] = error.value.problems
    assert (problem.field, problem.code) == ("entries[0].value", ErrorCode.INVALID)
    assert "hazard_rectification_rate" in problem.message
    claim = EntryInput("2.1", not_applicable=True, not_applicable_reason="no enterprises")
    save_entries(world, clerk, draft, [claim], expected_version=1)
    assert scorecards(world, draft).self_card.indicators["2.1"].not_applicable


def test_submission_keeps_the_figures_and_a_return_reads_them_live_again(
    world: Session, cycle: Cycle
):
    hazard(world, XJD, "2026-03-02", rectified=at("2026-03-20"))
    hazard(world, XJD, "2026-05-02")
    world.commit()
    draft = assessment_of(world, cycle, XJD)
    clerk = actor(world, "xjd-clerk")
    save_entries(world, clerk, draft, entries_without_fed(), expected_version=1)
    submit(world, clerk, draft, expected_version=2, now=NOW)
    world.commit()
    assert draft.version == 3  # one step per write, keeping the figures included

    kept = world.scalars(select(Entry).join(TemplateItem).where(TemplateItem.code == "2.1")).one()
    assert kept.value == D("50.0")
    assert kept.ledger_basis["source"] == "hazard_rectification_rate"
    assert len(kept.ledger_basis["rows"]) == 2
    assert (
        world.scalars(
            select(AuditEvent.reason).where(
                AuditEvent.action == "ledger", AuditEvent.item_code == "2.1"
            )
        )
        .one()
        .startswith("1 of 2 hazards")
    )

    # The unit rectifies after submitting: the submitted figure stands.
    later = world.scalars(select(Hazard).where(Hazard.rectified_at.is_(None))).one()
    later.rectified_at, later.state = at("2026-11-21"), HazardState.RECTIFIED
    version = draft.version
    rescore_above(world, node(world, XJD))
    world.commit()
    cards = scorecards(world, draft)
    assert cards.figures["2.1"].value == D("50.0")
    assert not cards.figures_live
    assert draft.version == version

    return_assessment(
        world, actor(world, "nanhu-office"), draft, reason="recount", expected_version=version
    )
    world.commit()
    assert scorecards(world, draft).figures["2.1"].value == D("100.0")


def test_a_submitter_who_sees_only_its_own_unit_keeps_the_figures_of_its_territory(
    world: Session, cycle: Cycle, sessions
):
    """A county's figures count its townships' rows. Its submitter's scope is the county's
    own rows only, yet what the submission keeps (and the totals stored with it) must be the
    county's figures, the same whoever submits: they are read with the system's view."""
    from tenants.models import Role
    from tests.factories.tenants import scoped_session

    nanhu = node(world, "330402")
    counties = open_sample_cycle(
        world,
        template=world.get_one(Template, cycle.template_id),
        owner_code="330400",
        level=TenantLevel.COUNTY,
        name="counties",
    )
    add_user(world, nanhu, "nanhu-submitter", Role.SUBMITTER, display_name="南湖区 submitter")
    hazard(world, "330402", "2026-03-02", rectified=at("2026-03-20"))  # the county's own
    hazard(world, XJD, "2026-05-02")  # a township's, open: out of the submitter's sight
    world.commit()
    submitter = actor(world, "nanhu-submitter")
    assessment_id = assessment_of(world, counties, "330402").id

    with scoped_session(sessions, submitter) as session:
        mine = session.get_one(Assessment, assessment_id)
        assert len(session.scalars(select(Hazard)).all()) == 1  # the county's, not the township's
        save_entries(session, submitter, mine, entries_without_fed(), expected_version=1)
        submit(session, submitter, mine, expected_version=2, now=NOW)
        session.commit()

    world.rollback()
    kept = world.scalars(
        select(Entry)
        .join(TemplateItem)
        .where(Entry.assessment_id == assessment_id, TemplateItem.code == "2.1")
    ).one()
    assert kept.value == D("50.0")  # 1 of the territory's 2 hazards, not 1 of 1
    assert len(kept.ledger_basis["rows"]) == 2
    stored = assessment_of(world, counties, "330402")
    assert stored.self_total == scorecards(world, stored).self_card.total


# --- vetoes ----------------------------------------------------------------------------------


def test_a_larger_accident_vetoes_the_unit_and_its_ancestors_live(world: Session, cycle: Cycle):
    draft = assessment_of(world, cycle, XJD)
    other = assessment_of(world, cycle, QIXING)
    version = draft.version
    accident(world, XJD, "2026-08-14", 3)
    accident(world, QIXING, "2026-08-15", 2)  # general: no veto
    rescore_above(world, node(world, XJD))
    world.commit()

    assert draft.vetoed and draft.version == version
    cards = scorecards(world, draft)
    [veto] = cards.ledger_vetoes
    assert veto.rule_code == "V1" and veto.fact.startswith("accident:")
    assert "larger or worse accident" in veto.reason
    assert cards.reviewed_card.vetoed
    assert not scorecards(world, other).reviewed_card.vetoed


def test_a_concealed_accident_counts_when_it_comes_to_light(world: Session, cycle: Cycle):
    draft = assessment_of(world, cycle, XJD)
    accident(
        world,
        XJD,
        "2025-06-01",
        1,
        report_status=ReportStatus.CONCEALED,
        discovered_on=date(2026, 4, 2),
    )
    accident(
        world,
        XJD,
        "2026-06-01",
        1,
        report_status=ReportStatus.CONCEALED,
        discovered_on=date(2027, 1, 5),
    )
    world.commit()
    [veto] = scorecards(world, draft).ledger_vetoes
    assert veto.rule_code == "V2" and "2025-06-01" in veto.reason


def test_a_ledger_veto_is_not_raised_by_hand(world: Session, cycle: Cycle):
    draft = assessment_of(world, cycle, XJD)
    with pytest.raises(DomainError) as error:
        raise_veto(world, actor(world, "nanhu-office"), draft, rule_code="V1", reason="x")
    [problem] = error.value.problems
    assert (problem.field, problem.code) == ("ruleCode", ErrorCode.INVALID)


def test_finalising_keeps_the_ledger_vetoes_as_flags(world: Session):
    template = published_template(world, node(world, "330000"))
    rule = world.scalars(select(VetoRule).where(VetoRule.code == "V1")).one()
    rule.kind = VetoKind.LARGER_ACCIDENT
    cycle = open_sample_cycle(world, template=template, owner_code="330400", name="Jiaxing")
    world.commit()
    xjd = assessment_of(world, cycle, XJD)
    clerk = actor(world, "xjd-clerk")
    save_entries(world, clerk, xjd, full_entries(), expected_version=1)
    submit(world, clerk, xjd, expected_version=xjd.version)
    office = actor(world, "nanhu-office")
    review_entries(
        world, office, xjd, [ReviewInput(c) for c in INDICATOR_CODES], expected_version=xjd.version
    )
    complete_review(world, office, xjd, expected_version=xjd.version)
    crash = accident(world, XJD, "2026-08-14", 4)
    world.commit()

    version = xjd.version
    finalise(world, actor(world, "jx-office"), xjd, now=NOW)
    world.commit()
    assert xjd.version == version + 1  # the kept flags and the new state: one step

    [flag] = world.scalars(select(VetoFlag)).all()
    assert flag.fact == f"accident:{crash.id}" and flag.raised_by_id is None
    assert xjd.state is AssessmentState.FINAL and xjd.vetoed
    cards = scorecards(world, xjd)
    assert cards.ledger_vetoes == () and cards.reviewed_card.vetoed
    # A final result no longer moves with the ledger.
    world.delete(crash)
    world.commit()
    assert scorecards(world, xjd).reviewed_card.vetoed


# --- re-scoring --------------------------------------------------------------------------------


def test_a_ledger_change_rescores_open_assessments_of_the_unit_and_its_ancestors(world: Session):
    template = published_template(world, node(world, "330000"))
    item = world.scalars(select(TemplateItem).where(TemplateItem.code == "2.1")).one()
    item.source = ValueSource.HAZARD_RECTIFICATION_RATE.value
    counties = open_sample_cycle(
        world, template=template, owner_code="330400", level=TenantLevel.COUNTY, name="c"
    )
    townships = open_sample_cycle(world, template=template, name="t")
    world.commit()
    nanhu = assessment_of(world, counties, "330402")
    xjd = assessment_of(world, townships, XJD)
    qixing = assessment_of(world, townships, QIXING)
    assert (nanhu.self_total, xjd.self_total, qixing.self_total) == (None, None, None)
    versions = (nanhu.version, xjd.version, qixing.version)

    hazard(world, XJD, "2026-05-02")
    touched = rescore_above(world, node(world, XJD))
    world.commit()

    assert {a.id for a in touched} == {nanhu.id, xjd.id}
    # Scored now: a rectification rate of 0% earns none of 2.1's 20 points.
    for assessment in (nanhu, xjd):
        assert scorecards(world, assessment).self_card.indicators["2.1"].points == 0
        assert assessment.self_total is not None
    assert qixing.self_total is None
    assert (nanhu.version, xjd.version, qixing.version) == versions


# --- templates -----------------------------------------------------------------------------------


def _with_source(code: str, source: str) -> TemplateContent:
    """The sample template with item ``code`` taking its input from ``source``."""

    def change(item: ItemInput) -> ItemInput:
        if item.code == code:
            return replace(item, source=source)
        return replace(item, children=tuple(change(c) for c in item.children))

    content = sample_content()
    return replace(content, items=tuple(change(i) for i in content.items))


@pytest.mark.parametrize(
    ("code", "source", "message"),
    [
        ("1.3", "hazard_rectification_rate", "a ledger figure feeds a value or counts"),
        ("2", "accidents", "only an indicator takes a ledger figure"),
        ("2.1", "rumours", "unknown value source"),
    ],
)
def test_a_template_refuses_a_figure_where_it_cannot_feed(code: str, source: str, message: str):
    problems = content_problems(_with_source(code, source))
    assert any(message in p.message and p.field.endswith(".source") for p in problems), problems


def test_a_template_takes_a_figure_on_ratio_tiers_and_deduction():
    for code, source in (("1.2", "statement_coverage"), ("2.1", "hazard_rectification_rate")):
        assert content_problems(_with_source(code, source)) == []
    assert content_problems(_with_source("1.1", "overdue_major_hazards")) == []


def test_one_unit_in_two_cycles_reads_each_cycles_period(world: Session, cycle: Cycle):
    template = world.get_one(Template, cycle.template_id)
    earlier = open_cycle(
        world,
        None,
        template=template,
        owner_node=node(world, "330400"),
        name="2025 townships",
        level=TenantLevel.TOWNSHIP,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        self_due=datetime(2027, 1, 31, tzinfo=UTC),
        review_due=datetime(2027, 2, 28, tzinfo=UTC),
    )
    hazard(world, XJD, "2025-03-02", rectified=at("2025-03-20"))
    hazard(world, XJD, "2026-03-02")
    world.commit()
    both = [assessment_of(world, cycle, XJD), assessment_of(world, earlier, XJD)]

    cards = scorecards_many(world, both)

    assert cards[both[0].id].figures["2.1"].value == D("0.0")
    assert cards[both[1].id].figures["2.1"].value == D("100.0")
