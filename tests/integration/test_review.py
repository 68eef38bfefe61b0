"""The reviewer's side on both backends: who may review, confirming and adjusting with reasons,
not-applicable claims, spot checks, vetoes, conflicts between reviewers, the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.audit import history
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    Entry,
    SpotCheckFinding,
    VetoFlag,
)
from scoring.assessments.review import (
    ReviewInput,
    add_spot_check,
    complete_review,
    finalise,
    raise_veto,
    return_assessment,
    review_entries,
    withdraw_veto,
)
from scoring.assessments.scorecards import scorecards
from scoring.templates.models import TemplateItem
from tenants.models import Role, TenantLevel
from tenants.users import grant_role
from tests.factories.assessments import assessment_of, full_entries, open_sample_cycle
from tests.factories.checks import count, problems_of
from tests.factories.templates import INDICATOR_CODES
from tests.factories.tenants import actor, add_user, node

D = Decimal
XJD = "330402901"
NA_31 = EntryInput("3.1", not_applicable=True, not_applicable_reason="no coal mine in the region")


def submitted(session: Session, cycle: Cycle, code: str = XJD, **changes) -> Assessment:
    """The unit's assessment, filled in (``full_entries(**changes)``) and submitted."""
    assessment = assessment_of(session, cycle, code)
    clerk = actor(session, "xjd-clerk") if code == XJD else None
    save_entries(session, clerk, assessment, full_entries(**changes), expected_version=1)
    submit(session, clerk, assessment, expected_version=assessment.version)
    session.commit()
    return assessment


@pytest.fixture
def xjd(world: Session, cycle: Cycle) -> Assessment:
    return submitted(world, cycle)


def review(session: Session, who: str, assessment: Assessment, *reviews: ReviewInput):
    return review_entries(
        session, actor(session, who), assessment, list(reviews), expected_version=assessment.version
    )


def snapshot(session: Session, assessment: Assessment) -> tuple:
    """What a refused call must leave as it was."""
    session.rollback()
    return (
        assessment.state,
        assessment.version,
        assessment.reviewed_total,
        count(session, AuditEvent),
        count(session, SpotCheckFinding),
        count(session, VetoFlag),
        tuple(session.scalars(select(Entry.review_points).order_by(Entry.id))),
    )


# --- who reviews -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["nanhu-office", "jx-office", "zj-office"])
def test_an_assessor_above_the_unit_reviews_it(world: Session, xjd: Assessment, who: str):
    review(world, who, xjd, ReviewInput("1.1"))
    world.commit()
    [event] = [e for e in history(world, xjd, limit=500) if e.action == "review"]
    assert event.actor_id == actor(world, who).user_id


@pytest.mark.parametrize("who", ["xjd-clerk", "qixing-clerk", "sc-office", "zj-leader"])
def test_nobody_else_reviews_it(world: Session, xjd: Assessment, who: str):
    before = snapshot(world, xjd)
    someone = actor(world, who)
    attempts = [
        lambda: review(world, who, xjd, ReviewInput("1.1")),
        lambda: return_assessment(world, someone, xjd, reason="no", expected_version=xjd.version),
        lambda: add_spot_check(
            world, someone, xjd, item_code="1.2", points=D(1), finding="x", checked_on=date.today()
        ),
        lambda: raise_veto(world, someone, xjd, rule_code="V1", reason="x"),
        lambda: complete_review(world, someone, xjd, expected_version=xjd.version),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            attempt()
        assert problems_of(error) == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    assert snapshot(world, xjd) == before


def test_an_assessor_never_reviews_the_unit_they_submit_for(world: Session, xjd: Assessment):
    """Assessor on the district, and submitter of one of its townships: not that township."""
    dual = add_user(
        world,
        "330402",
        "nanhu-dual",
        Role.ASSESSOR,
        display_name="Nanhu clerk seconded to Xiangjiadang",
        password="a long enough password",
    )
    grant_role(world, None, dual, node(world, XJD), Role.SUBMITTER)
    world.commit()
    with pytest.raises(DomainError) as error:
        review(world, "nanhu-dual", xjd, ReviewInput("1.1"))
    assert problems_of(error) == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    assert "own unit" in error.value.problems[0].message


def test_a_county_is_reviewed_by_its_city_not_by_itself(world: Session):
    cycle = open_sample_cycle(
        world, owner_code="330400", level=TenantLevel.COUNTY, name="2026 county assessment"
    )
    world.commit()
    nanhu = assessment_of(world, cycle, "330402")
    office = actor(world, "nanhu-office")  # assessor and submitter of Nanhu itself
    save_entries(world, office, nanhu, full_entries(), expected_version=1)
    submit(world, office, nanhu, expected_version=nanhu.version)
    world.commit()
    with pytest.raises(DomainError) as error:
        review(world, "nanhu-office", nanhu, ReviewInput("1.1"))
    assert problems_of(error) == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    review(world, "jx-office", nanhu, ReviewInput("1.1"))


# --- confirming and adjusting ----------------------------------------------------------------


def test_an_adjustment_needs_a_reason_and_is_audited(world: Session, xjd: Assessment):
    office = actor(world, "nanhu-office")
    before = snapshot(world, xjd)
    with pytest.raises(DomainError) as error:
        review(
            world,
            "nanhu-office",
            xjd,
            ReviewInput("1.1", points=D(5)),  # no reason
            ReviewInput("1.2", points=D(11), reason="too generous"),  # above the max of 10
            ReviewInput("1.3", confirm=False),  # neither confirmed nor adjusted
            ReviewInput("2", points=D(1), reason="a category"),
            ReviewInput("1.1", reason="twice"),
            ReviewInput("2.1", points=D(10), reason="   "),  # a blank reason is no reason
            ReviewInput("2.2", not_applicable_confirmed=True),  # nobody claimed N/A
        )
    assert problems_of(error) == [
        ("reviews[0].reason", ErrorCode.REQUIRED),
        ("reviews[1].points", ErrorCode.INVALID),
        ("reviews[2].points", ErrorCode.REQUIRED),
        ("reviews[3].itemCode", ErrorCode.INVALID),
        ("reviews[4].itemCode", ErrorCode.DUPLICATE),
        ("reviews[5].reason", ErrorCode.REQUIRED),
        ("reviews[6].notApplicableConfirmed", ErrorCode.INVALID),
    ]
    assert snapshot(world, xjd) == before

    reason = "the duty lists of 3 leaders are unsigned"
    review(world, "nanhu-office", xjd, ReviewInput("1.1", points=D(5), reason=reason))
    world.commit()
    assert (xjd.self_total, xjd.reviewed_total) == (D(91), D(87))
    events = [e for e in history(world, xjd, limit=500) if e.action == "review"]
    assert {(e.field, e.old, e.new) for e in events} == {
        ("reviewed", "false", "true"),
        ("review_points", None, "5"),
        ("review_reason", None, reason),
    }
    assert all(
        e.item_code == "1.1" and e.reason == reason and e.actor_id == office.user_id and e.at
        for e in events
    )
    cards = scorecards(world, xjd)
    assert cards.gap.indicators == {"1.1": D(-4)} and cards.gap.total == D(-4)
    assert cards.reviewed_card.indicators["1.1"].adjusted

    # Confirming as entered takes the adjustment back, on the record too.
    review(world, "nanhu-office", xjd, ReviewInput("1.1", reason="signed after all"))
    world.commit()
    assert xjd.reviewed_total == D(91)
    last = history(world, xjd, limit=500)[-2:]
    assert {(e.field, e.old, e.new) for e in last} == {
        ("review_points", "5", None),
        ("review_reason", reason, "signed after all"),
    }


def test_two_reviewers_cannot_overwrite_each_other(sessions, world: Session, xjd: Assessment):
    """Both read the same version; the one who writes second gets a conflict, whether their
    session still holds the old row or reads the new one."""
    read = xjd.version
    county, city = sessions(), sessions()
    by_county = county.get_one(Assessment, xjd.id)
    by_city = city.get_one(Assessment, xjd.id)
    city.commit()  # keep the row as read, end the read (SQLite cannot write from an old snapshot)
    review_entries(
        county,
        actor(county, "nanhu-office"),
        by_county,
        [ReviewInput("1.1", points=D(5), reason="unsigned duty lists")],
        expected_version=read,
    )
    county.commit()
    events = count(county, AuditEvent)
    for fresh in (False, True):
        # fresh: the rollback below expired the row, so this reads the county's version
        target = city.get_one(Assessment, xjd.id) if fresh else by_city
        with pytest.raises(DomainError) as error:
            review_entries(
                city,
                actor(city, "jx-office"),
                target,
                [ReviewInput("1.1", points=D(7), reason="mostly signed")],
                expected_version=read,
            )
        assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]
        city.rollback()
    county.rollback()
    assert county.scalars(
        select(Entry.review_points).where(Entry.review_points.is_not(None))
    ).all() == [D(5)]
    assert count(county, AuditEvent) == events
    county.close()
    city.close()


# --- not applicable --------------------------------------------------------------------------


def test_not_applicable_normalises_the_totals(world: Session, cycle: Cycle):
    """Self: 3.1 (15 points) out, 77 of 85 scaled to 100 = 90.59, plus the bonus of 2."""
    xjd = submitted(world, cycle, e3_1=NA_31)
    assert xjd.self_total == D("92.59")
    # Until the reviewer accepts the claim, the reviewed card scores 3.1 as empty: 77 + 2.
    assert xjd.reviewed_total == D("79")

    review(world, "nanhu-office", xjd, ReviewInput("3.1"))  # confirming accepts the claim
    world.commit()
    assert xjd.reviewed_total == D("92.59")
    card = scorecards(world, xjd).reviewed_card
    assert (card.earned, card.attainable, card.normalised) == (D(77), D(85), D("90.59"))
    assert card.indicators["3.1"].not_applicable

    with pytest.raises(DomainError) as error:
        review(world, "nanhu-office", xjd, ReviewInput("3.1", not_applicable_confirmed=False))
    assert problems_of(error) == [("reviews[0].reason", ErrorCode.REQUIRED)]
    with pytest.raises(DomainError) as error:
        review(
            world,
            "nanhu-office",
            xjd,
            ReviewInput("3.1", points=D(3), reason="x", not_applicable_confirmed=True),
        )
    assert problems_of(error) == [("reviews[0].points", ErrorCode.INVALID)]
    world.rollback()

    review(
        world,
        "nanhu-office",
        xjd,
        ReviewInput("3.1", reason="a coal yard operates", not_applicable_confirmed=False),
    )
    world.commit()
    assert xjd.reviewed_total == D("79")
    # Adjusting refuses the claim too, and scores the indicator.
    review(world, "nanhu-office", xjd, ReviewInput("3.1", points=D(10), reason="yard inspected"))
    world.commit()
    assert xjd.reviewed_total == D("89")
    assert xjd.self_total == D("92.59")
    entry = world.scalars(
        select(Entry)
        .join(TemplateItem, TemplateItem.id == Entry.item_id)
        .where(TemplateItem.code == "3.1")
    ).one()
    assert (entry.not_applicable, entry.not_applicable_confirmed) == (True, False)


# --- spot checks and vetoes ------------------------------------------------------------------


def test_a_spot_check_deducts_from_the_named_indicator(world: Session, xjd: Assessment):
    office = actor(world, "jx-office")
    before = snapshot(world, xjd)
    with pytest.raises(DomainError) as error:
        add_spot_check(
            world, office, xjd, item_code="1.2", points=D(11), finding=" ", checked_on=date.today()
        )
    assert problems_of(error) == [("points", ErrorCode.INVALID), ("finding", ErrorCode.REQUIRED)]
    for bad_points in (D(0), D(-1)):
        with pytest.raises(DomainError) as error:
            add_spot_check(
                world,
                office,
                xjd,
                item_code="1.2",
                points=bad_points,
                finding="f",
                checked_on=date.today(),
            )
        assert problems_of(error) == [("points", ErrorCode.INVALID)]
    with pytest.raises(DomainError) as error:
        add_spot_check(
            world, office, xjd, item_code="1", points=D(1), finding="f", checked_on=date.today()
        )
    assert problems_of(error) == [("itemCode", ErrorCode.INVALID)]
    assert snapshot(world, xjd) == before

    finding = "四不两直: the committee's minutes for Q3 were written afterwards"
    check = add_spot_check(
        world,
        office,
        xjd,
        item_code="1.2",
        points=D(2),
        finding=finding,
        checked_on=date(2026, 10, 9),
    )
    world.commit()
    assert (check.points, check.raised_by_id) == (D(2), office.user_id)
    assert (xjd.self_total, xjd.reviewed_total) == (D(91), D(89))
    lines = scorecards(world, xjd).reviewed_card.indicators["1.2"].lines
    assert [line.rule for line in lines][-1] == "spot check" and lines[-1].text == finding
    [event] = [e for e in history(world, xjd, limit=500) if e.action == "spot_check"]
    assert (event.item_code, event.new, event.actor_id) == ("1.2", "-2", office.user_id)
    assert finding in (event.reason or "")


def test_a_spot_check_may_come_before_submission(world: Session, cycle: Cycle):
    draft = assessment_of(world, cycle, "330402015")
    add_spot_check(
        world,
        actor(world, "nanhu-office"),
        draft,
        item_code="2.1",
        points=D(4),
        finding="two hazards found open",
        checked_on=date(2026, 6, 1),
    )
    world.commit()
    assert draft.state is AssessmentState.DRAFT and draft.version == 2


def test_a_veto_fails_the_unit_whatever_its_score(world: Session, xjd: Assessment):
    office = actor(world, "nanhu-office")
    assert (xjd.grade, xjd.vetoed) == ("excellent", False)
    with pytest.raises(DomainError) as error:
        raise_veto(world, office, xjd, rule_code="V9", reason="")
    assert problems_of(error) == [("ruleCode", ErrorCode.NOT_FOUND), ("reason", ErrorCode.REQUIRED)]
    world.rollback()

    flag = raise_veto(
        world,
        office,
        xjd,
        rule_code="V1",
        reason="较大事故 on 2026-08-02: 3 deaths",
        evidence="accident report 2026-017",
    )
    world.commit()
    assert (xjd.grade, xjd.vetoed, xjd.reviewed_total) == ("unqualified", True, D(91))
    card = scorecards(world, xjd).reviewed_card
    assert card.vetoed and [v.rule for v in card.vetoes] == ["V1"]
    assert not scorecards(world, xjd).self_card.vetoed
    with pytest.raises(DomainError) as error:
        raise_veto(world, office, xjd, rule_code="V1", reason="again")
    assert problems_of(error) == [("ruleCode", ErrorCode.DUPLICATE)]
    world.rollback()

    with pytest.raises(DomainError) as error:
        withdraw_veto(world, office, flag, reason=" ")
    assert problems_of(error) == [("reason", ErrorCode.REQUIRED)]
    withdraw_veto(world, office, flag, reason="the accident was in the neighbouring town")
    world.commit()
    assert (xjd.grade, xjd.vetoed) == ("excellent", False)
    assert flag.withdrawn_at is not None and flag.withdrawn_reason
    with pytest.raises(DomainError) as error:
        withdraw_veto(world, office, flag, reason="again")
    assert problems_of(error) == [("vetoFlagId", ErrorCode.INVALID_STATE)]
    events = [(e.field, e.old, e.new) for e in history(world, xjd, limit=500) if e.action == "veto"]
    assert events == [("rule", None, "V1"), ("rule", "V1", None)]


# --- completing, finalising, the record ------------------------------------------------------


def test_complete_review_names_each_unreviewed_indicator(world: Session, xjd: Assessment):
    office = actor(world, "nanhu-office")
    review(world, "nanhu-office", xjd, ReviewInput("1.1"), ReviewInput("1.2"))
    world.commit()
    before = snapshot(world, xjd)
    with pytest.raises(DomainError) as error:
        complete_review(world, office, xjd, expected_version=xjd.version)
    left = [c for c in INDICATOR_CODES if c not in ("1.1", "1.2")]
    assert problems_of(error) == [("reviews", ErrorCode.REQUIRED)] * len(left)
    assert [p.message.split(" ")[0] for p in error.value.problems] == left
    assert snapshot(world, xjd) == before

    review(world, "nanhu-office", xjd, *(ReviewInput(c) for c in left))
    complete_review(world, office, xjd, expected_version=xjd.version)
    world.commit()
    assert xjd.state is AssessmentState.REVIEWED


def test_a_review_completed_after_the_review_deadline_is_marked_late(
    world: Session, xjd: Assessment
):
    office = actor(world, "nanhu-office")
    review(world, "nanhu-office", xjd, *(ReviewInput(c) for c in INDICATOR_CODES))
    cycle = world.get_one(Cycle, xjd.cycle_id)
    complete_review(
        world, office, xjd, expected_version=xjd.version, now=cycle.review_due + timedelta(hours=1)
    )
    world.commit()
    assert xjd.review_late and not xjd.late
    [event] = [e for e in history(world, xjd) if e.field == "review_late"]
    assert (event.old, event.new) == ("false", "true")
    assert "deadline" in event.reason


def test_a_review_on_time_is_not_late(world: Session, xjd: Assessment):
    office = actor(world, "nanhu-office")
    review(world, "nanhu-office", xjd, *(ReviewInput(c) for c in INDICATOR_CODES))
    cycle = world.get_one(Cycle, xjd.cycle_id)
    complete_review(world, office, xjd, expected_version=xjd.version, now=cycle.review_due)
    world.commit()
    assert not xjd.review_late


def test_the_office_that_opened_the_cycle_finalises(world: Session):
    cycle = open_sample_cycle(world, owner_code="330400", name="Jiaxing townships 2026")
    world.commit()
    xjd = submitted(world, cycle)
    office = actor(world, "nanhu-office")
    review(world, "nanhu-office", xjd, *(ReviewInput(c) for c in INDICATOR_CODES))
    complete_review(world, office, xjd, expected_version=xjd.version)
    world.commit()
    with pytest.raises(DomainError) as error:
        finalise(world, office, xjd)
    assert problems_of(error) == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    finalise(world, actor(world, "jx-office"), xjd)
    world.commit()
    assert xjd.state is AssessmentState.FINAL
    for attempt in (
        lambda: add_spot_check(
            world,
            office,
            xjd,
            item_code="1.1",
            points=D(1),
            finding="late find",
            checked_on=date.today(),
        ),
        lambda: raise_veto(world, office, xjd, rule_code="V2", reason="late find"),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]


def test_returning_needs_a_reason(world: Session, xjd: Assessment):
    before = snapshot(world, xjd)
    with pytest.raises(DomainError) as error:
        return_assessment(
            world, actor(world, "nanhu-office"), xjd, reason="  ", expected_version=xjd.version
        )
    assert problems_of(error) == [("reason", ErrorCode.REQUIRED)]
    assert snapshot(world, xjd) == before


def test_history_pages_by_id_newest_last(world: Session, xjd: Assessment):
    everything = history(world, xjd, limit=500)
    assert [e.id for e in everything] == sorted(e.id for e in everything)
    assert len(everything) > 5
    pages, after = [], None
    while page := history(world, xjd, after_id=after, limit=3):
        pages.append(page)
        after = page[-1].id
    assert [e.id for page in pages for e in page] == [e.id for e in everything]
    assert all(len(page) <= 3 for page in pages)
    assert everything[-1].action == "state" and everything[-1].new == "submitted"
