"""Appeals (申诉) on both backends: a reviewed unit appeals an indicator before the cycle's
deadline, with evidence; the assessor accepts (the points and totals follow) or rejects; no
result is final while an appeal waits or the window is open; every refusal is named and saves
nothing; two deciders at once get one decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.appeals import decide_appeal, file_appeal, set_appeal_window
from scoring.assessments.attachments import add_attachment, remove_attachment
from scoring.assessments.audit import history
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.models import (
    Appeal,
    AppealState,
    Assessment,
    AssessmentState,
    Attachment,
    Cycle,
    Entry,
)
from scoring.assessments.review import ReviewInput, complete_review, finalise, review_entries
from tenants.models import Role
from tests.factories.assessments import assessment_of, full_entries
from tests.factories.checks import count, problems_of
from tests.factories.templates import INDICATOR_CODES
from tests.factories.tenants import actor, add_user

D = Decimal
XJD = "330402901"
FILED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DUE = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
AFTER = DUE + timedelta(minutes=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def reviewed(world: Session, cycle: Cycle) -> Assessment:
    """Xiangjiadang's assessment, submitted and reviewed (1.1 cut to 5 points: "unsigned duty
    lists"), in a cycle taking appeals until DUE."""
    cycle.appeal_due = DUE
    xjd = assessment_of(world, cycle, XJD)
    clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
    save_entries(world, clerk, xjd, full_entries(), expected_version=1)
    submit(world, clerk, xjd, expected_version=xjd.version)
    reviews = [
        ReviewInput(code, points=D(5), reason="unsigned duty lists")
        if code == "1.1"
        else ReviewInput(code)
        for code in INDICATOR_CODES
    ]
    review_entries(world, office, xjd, reviews, expected_version=xjd.version)
    complete_review(world, office, xjd, expected_version=xjd.version)
    world.commit()
    return xjd


def appeal(session: Session, assessment: Assessment, code: str = "1.1", **changes) -> Appeal:
    values = {"item_code": code, "reason": "the lists were signed on 3 Nov", "now": FILED}
    return file_appeal(session, actor(session, "xjd-clerk"), assessment, **(values | changes))


def decide(session: Session, found: Appeal, who: str = "nanhu-office", **changes) -> Appeal:
    values = {"accept": True, "reason": "signed lists seen", "points": D(9), "now": FILED}
    return decide_appeal(session, actor(session, who), found, **(values | changes))


def test_an_accepted_appeal_sets_the_points_and_the_totals_follow(
    world: Session, reviewed: Assessment
):
    before = reviewed.reviewed_total
    filed = appeal(world, reviewed)
    world.commit()
    assert (filed.state, filed.points_before) == (AppealState.OPEN, D(5))
    # The result waits for the decision, and then for the window to close.
    with pytest.raises(DomainError) as error:
        finalise(world, actor(world, "nanhu-office"), reviewed, now=AFTER)
    assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]
    assert "1 appeal of the unit waits for a decision" in str(error.value)
    world.rollback()

    decided = decide(world, filed)
    world.commit()
    assert (decided.state, decided.points_after, decided.decision_reason) == (
        AppealState.ACCEPTED,
        D(9),
        "signed lists seen",
    )
    assert reviewed.reviewed_total == before + 4
    entry = world.scalars(
        select(Entry).where(Entry.assessment_id == reviewed.id, Entry.review_points.is_not(None))
    ).one()
    assert (entry.review_points, entry.review_reason) == (D(9), "signed lists seen")
    steps = [(e.action, e.item_code, e.field, e.old, e.new) for e in history(world, reviewed)]
    assert ("appeal", "1.1", "filed", "5", None) in steps
    assert ("appeal", "1.1", "review_points", "5", "9") in steps
    assert ("appeal", "1.1", "decision", "open", "accepted") in steps

    with pytest.raises(DomainError) as error:
        finalise(world, actor(world, "nanhu-office"), reviewed, now=DUE)
    assert "may appeal until 2027-03-10T09:00+00:00" in str(error.value)
    world.rollback()
    finalise(world, actor(world, "nanhu-office"), reviewed, now=AFTER)
    world.commit()
    assert reviewed.state is AssessmentState.FINAL


def test_a_rejected_appeal_leaves_the_points_and_says_why(world: Session, reviewed: Assessment):
    before = reviewed.reviewed_total
    filed = appeal(world, reviewed)
    decided = decide(world, filed, accept=False, points=None, reason="signed after the review")
    world.commit()
    assert (decided.state, decided.points_after) == (AppealState.REJECTED, None)
    assert reviewed.reviewed_total == before
    # Decided, the indicator may be appealed again (with something new) before the deadline.
    again = appeal(world, reviewed, reason="the signing date is on the scan")
    assert again.state is AppealState.OPEN


def test_the_unit_gives_evidence_with_a_waiting_appeal_only(
    world: Session, reviewed: Assessment, store, settings
):
    filed = appeal(world, reviewed)
    world.commit()
    clerk = actor(world, "xjd-clerk")
    kwargs = {"filename": "签字.pdf", "content_type": "application/pdf", "data": PDF}
    kept = add_attachment(
        world, clerk, reviewed, "", store=store, settings=settings, appeal=filed, **kwargs
    )
    world.commit()
    assert (kept.appeal_id, kept.filename) == (filed.id, "签字.pdf")
    # The self-assessment's evidence is closed once reviewed; the appeal's is not.
    with pytest.raises(DomainError) as error:
        add_attachment(world, clerk, reviewed, "1.1", store=store, settings=settings, **kwargs)
    assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]
    world.rollback()
    remove_attachment(world, clerk, kept)
    world.commit()
    decide(world, filed, accept=False, points=None, reason="no signature")
    world.commit()
    with pytest.raises(DomainError) as error:
        add_attachment(
            world, clerk, reviewed, "", store=store, settings=settings, appeal=filed, **kwargs
        )
    assert problems_of(error) == [("appealId", ErrorCode.INVALID_STATE)]
    world.rollback()
    assert count(world, Attachment) == 0


def test_filing_refusals_are_named_and_save_nothing(world: Session, reviewed: Assessment):
    appeal(world, reviewed)
    world.commit()
    appeals, version = count(world, Appeal), reviewed.version
    cases = [
        ({"item_code": "9.9"}, [("itemCode", ErrorCode.NOT_FOUND)]),
        ({"item_code": "1"}, [("itemCode", ErrorCode.INVALID)]),  # a category
        ({"reason": "  "}, [("reason", ErrorCode.REQUIRED)]),
        ({"reason": "x" * 5000}, [("reason", ErrorCode.INVALID)]),
        ({}, [("itemCode", ErrorCode.DUPLICATE)]),  # 1.1 already waits
        ({"now": AFTER}, [("assessmentId", ErrorCode.INVALID_STATE)]),  # too late
    ]
    for changes, expected in cases:
        with pytest.raises(DomainError) as error:
            appeal(world, reviewed, **changes)
        assert problems_of(error) == expected, changes
        world.rollback()
    with pytest.raises(DomainError) as error:  # the reviewer is not the unit
        file_appeal(
            world, actor(world, "nanhu-office"), reviewed, item_code="1.2", reason="x", now=FILED
        )
    assert problems_of(error) == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    world.rollback()
    assert (count(world, Appeal), reviewed.version) == (appeals, version)


def test_no_appeal_before_the_review_or_without_a_window(world: Session, cycle: Cycle):
    xjd = assessment_of(world, cycle, XJD)
    clerk = actor(world, "xjd-clerk")
    save_entries(world, clerk, xjd, full_entries(), expected_version=1)
    submit(world, clerk, xjd, expected_version=xjd.version)
    world.commit()
    cycle.appeal_due = DUE
    with pytest.raises(DomainError) as error:  # submitted, not reviewed
        appeal(world, xjd)
    assert "appealing needs it reviewed" in str(error.value)
    world.rollback()
    cycle.appeal_due = None
    with pytest.raises(DomainError) as error:
        appeal(world, xjd)
    assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]
    world.rollback()


def test_deciding_refusals_are_named_and_a_decision_is_made_once(
    world: Session, reviewed: Assessment
):
    filed = appeal(world, reviewed)
    world.commit()
    cases = [
        ({"points": None}, [("points", ErrorCode.REQUIRED)]),
        ({"points": D(11)}, [("points", ErrorCode.INVALID)]),  # 1.1 is worth 10
        ({"reason": ""}, [("reason", ErrorCode.REQUIRED)]),
        ({"accept": False}, [("points", ErrorCode.INVALID)]),  # a rejection with points
    ]
    for changes, expected in cases:
        with pytest.raises(DomainError) as error:
            decide(world, filed, **changes)
        assert problems_of(error) == expected, changes
        world.rollback()
    with pytest.raises(DomainError) as error:  # the unit cannot decide its own appeal
        decide(world, filed, who="xjd-clerk")
    assert problems_of(error) == [("appealId", ErrorCode.PERMISSION_DENIED)]
    world.rollback()
    assert world.get_one(Appeal, filed.id).state is AppealState.OPEN
    decide(world, filed)
    world.commit()
    with pytest.raises(DomainError) as error:
        decide(world, filed, points=D(10))
    assert problems_of(error) == [("appealId", ErrorCode.INVALID_STATE)]


def test_two_assessors_deciding_at_once_make_one_decision(
    sessions, world: Session, reviewed: Assessment
):
    """Both read the waiting appeal; the second to write is told, whether its session still
    holds the old rows or reads the new ones; one decision and one points change are kept."""
    with world.begin_nested():
        add_user(world, "330400", "jx-assessor", Role.ASSESSOR)
    filed = appeal(world, reviewed)
    world.commit()
    county, city = sessions(), sessions()
    by_county = county.get_one(Appeal, filed.id)
    county.get_one(Assessment, reviewed.id)
    by_city = city.get_one(Appeal, filed.id)
    city.get_one(Assessment, reviewed.id)
    city.commit()  # keep the rows as read, end the read (SQLite cannot write from an old snapshot)
    decide(county, by_county)
    county.commit()
    for fresh in (False, True):
        target = city.get_one(Appeal, filed.id) if fresh else by_city
        with pytest.raises(DomainError) as error:
            decide(city, target, who="jx-assessor", accept=False, points=None, reason="no")
        assert problems_of(error)[0][1] in (ErrorCode.CONFLICT, ErrorCode.INVALID_STATE)
        city.rollback()
    county.rollback()
    assert county.get_one(Appeal, filed.id).state is AppealState.ACCEPTED
    decisions = [e for e in history(county, reviewed) if e.field == "decision"]
    assert len(decisions) == 1
    county.close()
    city.close()


def test_the_office_opens_moves_and_closes_the_window(world: Session, reviewed: Assessment):
    cycle = world.get_one(Cycle, reviewed.cycle_id)
    with pytest.raises(DomainError) as error:  # an assessor of the owner is not its admin
        set_appeal_window(world, actor(world, "nanhu-office"), cycle, DUE)
    assert problems_of(error) == [("cycleId", ErrorCode.PERMISSION_DENIED)]
    world.rollback()
    with pytest.raises(DomainError) as error:
        set_appeal_window(world, None, cycle, datetime(2027, 3, 20, 9, 0))
    assert problems_of(error) == [("appealDue", ErrorCode.INVALID)]
    world.rollback()
    later = DUE + timedelta(days=5)
    assert set_appeal_window(world, None, cycle, later).appeal_due == later
    appeal(world, reviewed, now=DUE + timedelta(days=1))
    world.commit()
    with pytest.raises(DomainError) as error:  # an appeal waits
        set_appeal_window(world, None, cycle, None)
    assert problems_of(error) == [("appealDue", ErrorCode.INVALID_STATE)]
    world.rollback()
    assert world.get_one(Cycle, cycle.id).appeal_due == later
