"""The unit's side of the workflow on both backends: entries, submission, returns, late marks,
the audit trail, and the walls between units."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.audit import history
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    CycleState,
    Entry,
)
from scoring.assessments.review import (
    ReviewInput,
    complete_review,
    finalise,
    return_assessment,
    review_entries,
)
from scoring.assessments.scorecards import scorecards
from scoring.templates.models import TemplateItem
from tests.factories.assessments import full_entries
from tests.factories.checks import count, problems_of
from tests.factories.templates import INDICATOR_CODES, REQUIRED_CODES
from tests.factories.tenants import actor, scoped_session

D = Decimal
BEFORE_DUE = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
AFTER_DUE = datetime(2027, 2, 3, 8, 0, tzinfo=UTC)


def audit_count(session: Session) -> int:
    return count(session, AuditEvent)


def saved(session: Session, assessment: Assessment, who: str = "xjd-clerk", **changes):
    return save_entries(
        session,
        actor(session, who),
        assessment,
        full_entries(**changes),
        expected_version=assessment.version,
    )


def review_all(session: Session, assessment: Assessment, who: str = "nanhu-office") -> None:
    reviews = [ReviewInput(code) for code in INDICATOR_CODES]
    review_entries(
        session, actor(session, who), assessment, reviews, expected_version=assessment.version
    )


# --- the state machine ------------------------------------------------------------------------


def test_the_whole_way_with_two_returns(world: Session, xjd: Assessment):
    clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
    assert (xjd.state, xjd.version) == (AssessmentState.DRAFT, 1)

    saved(world, xjd)
    submit(world, clerk, xjd, expected_version=xjd.version, now=BEFORE_DUE)
    world.commit()
    assert xjd.state is AssessmentState.SUBMITTED
    assert xjd.submitted_by_id == clerk.user_id and xjd.submitted_at == BEFORE_DUE

    for round_ in (1, 2):
        reason = f"round {round_}: attach the meeting minutes"
        return_assessment(world, office, xjd, reason=reason, expected_version=xjd.version)
        world.commit()
        assert (xjd.state, xjd.returned_reason) == (AssessmentState.RETURNED, reason)
        saved(world, xjd, e1_1=EntryInput("1.1", points=D(8), note=f"corrected {round_}"))
        submit(world, clerk, xjd, expected_version=xjd.version, now=BEFORE_DUE)
        world.commit()
        assert xjd.state is AssessmentState.RESUBMITTED

    review_all(world, xjd)
    complete_review(world, office, xjd, expected_version=xjd.version)
    world.commit()
    assert xjd.state is AssessmentState.REVIEWED and xjd.reviewed_by_id == office.user_id
    finalise(world, office, xjd)
    world.commit()
    assert xjd.state is AssessmentState.FINAL and xjd.finalised_at is not None

    states = [
        (e.old, e.new, e.reason)
        for e in history(world, xjd, limit=500)
        if e.action == "state" and e.field == "state"
    ]
    assert states == [
        ("draft", "submitted", None),
        ("submitted", "returned", "round 1: attach the meeting minutes"),
        ("returned", "resubmitted", None),
        ("resubmitted", "returned", "round 2: attach the meeting minutes"),
        ("returned", "resubmitted", None),
        ("resubmitted", "reviewed", None),
        ("reviewed", "final", None),
    ]


ILLEGAL = [
    # (state the assessment is brought to, the action attempted)
    (AssessmentState.SUBMITTED, "submit"),
    (AssessmentState.SUBMITTED, "save"),
    (AssessmentState.RESUBMITTED, "save"),
    (AssessmentState.REVIEWED, "save"),
    (AssessmentState.FINAL, "save"),
    (AssessmentState.REVIEWED, "submit"),
    (AssessmentState.FINAL, "submit"),
    (AssessmentState.DRAFT, "review"),
    (AssessmentState.RETURNED, "review"),
    (AssessmentState.REVIEWED, "review"),
    (AssessmentState.DRAFT, "return"),
    (AssessmentState.REVIEWED, "return"),
    (AssessmentState.FINAL, "return"),
    (AssessmentState.DRAFT, "complete"),
    (AssessmentState.RETURNED, "complete"),
    (AssessmentState.DRAFT, "finalise"),
    (AssessmentState.SUBMITTED, "finalise"),
    (AssessmentState.FINAL, "finalise"),
]


PATHS = {
    AssessmentState.DRAFT: (),
    AssessmentState.SUBMITTED: ("submit",),
    AssessmentState.RETURNED: ("submit", "return"),
    AssessmentState.RESUBMITTED: ("submit", "return", "submit"),
    AssessmentState.REVIEWED: ("submit", "review"),
    AssessmentState.FINAL: ("submit", "review", "finalise"),
}


def bring_to(session: Session, assessment: Assessment, state: AssessmentState) -> None:
    """Fill the assessment in and walk it along the workflow up to ``state``."""
    clerk, office = actor(session, "xjd-clerk"), actor(session, "nanhu-office")
    saved(session, assessment)
    for step in PATHS[state]:
        if step == "submit":
            submit(session, clerk, assessment, expected_version=assessment.version)
        elif step == "return":
            return_assessment(
                session, office, assessment, reason="redo", expected_version=assessment.version
            )
        elif step == "review":
            review_all(session, assessment)
            complete_review(session, office, assessment, expected_version=assessment.version)
        else:
            finalise(session, office, assessment)
    session.commit()
    assert assessment.state is state


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s.value}-{a}" for s, a in ILLEGAL])
def test_illegal_transitions_are_refused_naming_the_state(
    world: Session, xjd: Assessment, state: AssessmentState, action: str
):
    bring_to(world, xjd, state)
    clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
    version, events = xjd.version, audit_count(world)
    attempts = {
        "submit": lambda: submit(world, clerk, xjd, expected_version=version),
        "save": lambda: save_entries(
            world, clerk, xjd, [EntryInput("1.1", points=D(1))], expected_version=version
        ),
        "review": lambda: review_entries(
            world, office, xjd, [ReviewInput("1.1")], expected_version=version
        ),
        "return": lambda: return_assessment(
            world, office, xjd, reason="again", expected_version=version
        ),
        "complete": lambda: complete_review(world, office, xjd, expected_version=version),
        "finalise": lambda: finalise(world, office, xjd),
    }
    with pytest.raises(DomainError) as error:
        attempts[action]()
    [problem] = error.value.problems
    assert problem.code is ErrorCode.INVALID_STATE
    assert f"is {state.value}" in problem.message
    world.rollback()
    assert (xjd.state, xjd.version, audit_count(world)) == (state, version, events)


# --- saving entries --------------------------------------------------------------------------


def test_saving_records_every_changed_field_and_scores(world: Session, xjd: Assessment):
    clerk = actor(world, "xjd-clerk")
    saved(world, xjd)
    world.commit()
    assert xjd.version == 2
    assert (xjd.self_total, xjd.reviewed_total, xjd.grade) == (D("91"), D("91"), "excellent")
    first = history(world, xjd, limit=500)
    assert {(e.item_code, e.field) for e in first} == {
        ("1.1", "points"),
        ("1.1", "note"),
        ("1.2", "done"),
        ("1.2", "note"),
        ("1.3", "counts"),
        ("2.1", "value"),
        ("2.2", "value"),
        ("3.1", "points"),
        ("3.2", "done"),
        ("B.1", "points"),
    }
    assert all(e.action == "entry" and e.actor_id == clerk.user_id for e in first)
    by_field = {(e.item_code, e.field): (e.old, e.new) for e in first}
    assert by_field[("1.1", "points")] == (None, "9")
    assert by_field[("1.2", "done")] == (None, "true")
    assert by_field[("1.3", "counts")] == ("{}", '{"b":1}')

    # Saving the same again changes nothing but the version; one change is one event.
    saved(world, xjd)
    world.commit()
    assert (xjd.version, len(history(world, xjd, limit=500))) == (3, len(first))
    save_entries(
        world, clerk, xjd, [EntryInput("2.1", value=D("100.5"))], expected_version=xjd.version
    )
    world.commit()
    [event] = history(world, xjd, after_id=first[-1].id)
    assert (event.item_code, event.field, event.old, event.new) == ("2.1", "value", "90", "100.5")
    assert event.at is not None and event.reason is None
    assert xjd.self_total == D("93")  # 2.1 now full: 20 instead of 18


def test_a_row_states_the_whole_entry(world: Session, xjd: Assessment):
    """Fields left out of a row are cleared: a saved row is what the form showed."""
    clerk = actor(world, "xjd-clerk")
    saved(world, xjd)
    save_entries(world, clerk, xjd, [EntryInput("1.1")], expected_version=xjd.version)
    world.commit()
    row = world.scalars(
        select(Entry)
        .join(TemplateItem, TemplateItem.id == Entry.item_id)
        .where(Entry.assessment_id == xjd.id, TemplateItem.code == "1.1")
    ).one()
    assert (row.points, row.note) == (None, "")
    assert xjd.self_total == D("82")  # 1.1 lost its 9 points


def test_every_bad_entry_is_named_and_nothing_is_saved(world: Session, xjd: Assessment):
    clerk = actor(world, "xjd-clerk")
    saved(world, xjd)
    world.commit()
    version, events, entries = xjd.version, audit_count(world), count(world, Entry)
    bad = [
        EntryInput("9.9", points=D(1)),  # 0 unknown code
        EntryInput("2", value=D(50)),  # 1 a category
        EntryInput("1.1", value=D(5)),  # 2 manual takes points, not a value
        EntryInput("3.1", points=D(16)),  # 3 above the max of 15
        EntryInput("2.1", value=D(-1)),  # 4 negative value
        EntryInput("1.3", counts={"c": -2}),  # 5 negative count
        EntryInput("1.2", done=True, counts={"a": 1}),  # 6 counts on a boolean
        EntryInput("B.1", points=D("1.23456")),  # 7 too many decimals
        EntryInput("3.2", not_applicable=True, not_applicable_reason="  "),  # 8 N/A, no reason
        EntryInput("1.1", points=D(1)),  # 9 given twice (2 is the first)
        EntryInput("2.2", value=D(90), points=D(3)),  # 10 points on a tiers item
    ]
    with pytest.raises(DomainError) as error:
        save_entries(world, clerk, xjd, bad, expected_version=version)
    assert problems_of(error) == [
        ("entries[0].itemCode", ErrorCode.NOT_FOUND),
        ("entries[1].itemCode", ErrorCode.INVALID),
        ("entries[2].value", ErrorCode.INVALID),
        ("entries[3].points", ErrorCode.INVALID),
        ("entries[4].value", ErrorCode.INVALID),
        ("entries[5].counts", ErrorCode.INVALID),
        ("entries[6].counts", ErrorCode.INVALID),
        ("entries[7].points", ErrorCode.INVALID),
        ("entries[8].notApplicableReason", ErrorCode.REQUIRED),
        ("entries[9].itemCode", ErrorCode.DUPLICATE),
        ("entries[10].points", ErrorCode.INVALID),
    ]
    with pytest.raises(DomainError) as error:
        save_entries(
            world, clerk, xjd, [EntryInput("1.3", counts={"z": 1})], expected_version=version
        )
    assert "no clause 'z'" in error.value.problems[0].message
    with pytest.raises(DomainError) as error:
        # A judgement's count is the points the assessor deducts: at most the clause's 3.
        save_entries(
            world, clerk, xjd, [EntryInput("1.3", counts={"d": 4})], expected_version=version
        )
    assert problems_of(error) == [("entries[0].counts", ErrorCode.INVALID)]
    assert "a judgement: its count is the points deducted, at most 3, not 4" in str(error.value)
    world.rollback()
    assert (xjd.version, audit_count(world), count(world, Entry)) == (version, events, entries)


def test_too_many_entries_at_once(world: Session, xjd: Assessment):
    rows = [EntryInput("1.1", points=D(1))] * 501
    with pytest.raises(DomainError) as error:
        save_entries(world, actor(world, "xjd-clerk"), xjd, rows, expected_version=1)
    assert problems_of(error) == [("entries", ErrorCode.TOO_LARGE)]


def test_a_stale_version_is_a_conflict(world: Session, xjd: Assessment):
    clerk = actor(world, "xjd-clerk")
    saved(world, xjd)
    world.commit()
    with pytest.raises(DomainError) as error:
        save_entries(world, clerk, xjd, [EntryInput("1.1", points=D(3))], expected_version=1)
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]
    assert "version 2" in error.value.problems[0].message
    with pytest.raises(DomainError) as error:
        submit(world, clerk, xjd, expected_version=1)
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]


def test_two_clerks_saving_at_once_cannot_overwrite_each_other(sessions, world, xjd):
    """Both read version 1; the second UPDATE finds version 2 and is refused."""
    first, second = sessions(), sessions()
    one = first.get_one(Assessment, xjd.id)
    other = second.get_one(Assessment, xjd.id)
    # End the read (keeping what it loaded): SQLite refuses to write from a stale snapshot
    # outright, so the version check would never be reached there.
    second.commit()
    save_entries(
        first, actor(first, "xjd-clerk"), one, [EntryInput("1.1", points=D(9))], expected_version=1
    )
    first.commit()
    events = audit_count(first)
    with pytest.raises(DomainError) as error:
        save_entries(
            second,
            actor(second, "xjd-clerk"),
            other,
            [EntryInput("1.1", points=D(2))],
            expected_version=1,
        )
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]
    second.rollback()
    first.expire_all()
    assert first.scalars(select(Entry.points)).all() == [D(9)]
    assert audit_count(first) == events
    first.close()
    second.close()


# --- submitting ------------------------------------------------------------------------------


def test_submit_lists_every_missing_required_indicator(world: Session, xjd: Assessment):
    clerk = actor(world, "xjd-clerk")
    save_entries(world, clerk, xjd, [EntryInput("1.1", points=D(5))], expected_version=1)
    world.commit()
    version, events = xjd.version, audit_count(world)
    with pytest.raises(DomainError) as error:
        submit(world, clerk, xjd, expected_version=version)
    missing = [c for c in REQUIRED_CODES if c != "1.1"]
    assert problems_of(error) == [("entries", ErrorCode.REQUIRED)] * len(missing)
    messages = [p.message for p in error.value.problems]
    for code, message in zip(missing, messages, strict=True):
        assert message.startswith(f"{code} ")
    assert "Hazard rectification rate" in messages[missing.index("2.1")]
    world.rollback()
    assert (xjd.state, xjd.version, audit_count(world)) == (AssessmentState.DRAFT, version, events)


def test_not_applicable_with_a_reason_counts_as_filled(world: Session, xjd: Assessment):
    clerk = actor(world, "xjd-clerk")
    rows = full_entries(
        e3_1=EntryInput("3.1", not_applicable=True, not_applicable_reason="no coal mine here")
    )
    rows = [r for r in rows if r.item_code != "1.3"]  # deduction: nothing to enter
    save_entries(world, clerk, xjd, rows, expected_version=1)
    submit(world, clerk, xjd, expected_version=xjd.version)
    world.commit()
    assert xjd.state is AssessmentState.SUBMITTED


def test_late_submissions_are_marked_and_stay_late(world: Session, xjd: Assessment):
    clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
    saved(world, xjd)
    submit(world, clerk, xjd, expected_version=xjd.version, now=AFTER_DUE)
    world.commit()
    assert xjd.late is True
    late = [e for e in history(world, xjd, limit=500) if e.field == "late"]
    assert [(e.old, e.new, e.at) for e in late] == [("false", "true", AFTER_DUE)]
    assert "deadline" in (late[0].reason or "")

    return_assessment(world, office, xjd, reason="fix 1.1", expected_version=xjd.version)
    submit(world, clerk, xjd, expected_version=xjd.version, now=BEFORE_DUE)
    world.commit()
    assert xjd.late is True


def test_on_time_is_not_late(world: Session, xjd: Assessment):
    saved(world, xjd)
    submit(world, actor(world, "xjd-clerk"), xjd, expected_version=xjd.version, now=BEFORE_DUE)
    assert xjd.late is False


def test_returned_edits_reset_the_reviewers_word_on_what_changed(world: Session, xjd: Assessment):
    clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
    saved(world, xjd)
    submit(world, clerk, xjd, expected_version=xjd.version)
    review_all(world, xjd)
    return_assessment(world, office, xjd, reason="1.1 is too high", expected_version=xjd.version)
    world.commit()
    save_entries(world, clerk, xjd, [EntryInput("1.1", points=D(6))], expected_version=xjd.version)
    world.commit()
    entries = {e.item_id: e for e in world.scalars(select(Entry))}
    reviewed = sorted(e.reviewed for e in entries.values())
    assert reviewed.count(False) == 1  # only 1.1 must be reviewed again
    reset = [
        e
        for e in history(world, xjd, limit=500)
        if e.action == "review" and e.reason and "changed its input" in e.reason
    ]
    assert [(e.item_code, e.field, e.old, e.new) for e in reset] == [
        ("1.1", "reviewed", "true", "false")
    ]


# --- who may touch it ------------------------------------------------------------------------


def test_a_sibling_township_cannot_touch_it(world: Session, xjd: Assessment):
    qixing = actor(world, "qixing-clerk")
    for attempt in (
        lambda: save_entries(world, qixing, xjd, full_entries(), expected_version=1),
        lambda: submit(world, qixing, xjd, expected_version=1),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert problems_of(error) == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    assert xjd.version == 1 and audit_count(world) == 0


def test_a_sibling_township_cannot_even_load_it(sessions, world: Session, xjd: Assessment):
    qixing = actor(world, "qixing-clerk")
    with scoped_session(sessions, qixing) as session:
        assert session.get(Assessment, xjd.id) is None
        seen = session.scalars(select(Assessment.node_id)).all()
        assert seen == [qixing.node_id]
        assert session.scalar(select(func.count()).select_from(Entry)) == 0


def test_the_whole_way_through_scoped_sessions(sessions, world: Session, xjd: Assessment):
    """As requests run it: each person in a session scoped to what they may see (on PostgreSQL
    under row-level security too)."""
    clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
    with scoped_session(sessions, clerk) as session:
        mine = session.get_one(Assessment, xjd.id)
        save_entries(session, clerk, mine, full_entries(), expected_version=1)
        submit(session, clerk, mine, expected_version=mine.version)
        session.commit()
    with scoped_session(sessions, office) as session:
        theirs = session.get_one(Assessment, xjd.id)
        reviews = [ReviewInput(c) for c in INDICATOR_CODES]
        review_entries(session, office, theirs, reviews, expected_version=theirs.version)
        complete_review(session, office, theirs, expected_version=theirs.version)
        finalise(session, office, theirs)
        session.commit()
        cards = scorecards(session, theirs)
    assert cards.reviewed_card.total == D("91") and cards.gap.total == 0
    world.rollback()  # a fresh read
    assert world.get_one(Assessment, xjd.id).state is AssessmentState.FINAL


def test_a_closed_cycle_takes_no_entries(world: Session, cycle: Cycle, xjd: Assessment):
    cycle.state = CycleState.CLOSED  # as closing leaves it (closing itself: test_cycles.py)
    world.commit()
    with pytest.raises(DomainError) as error:
        saved(world, xjd)
    assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]
    assert "closed" in error.value.problems[0].message
