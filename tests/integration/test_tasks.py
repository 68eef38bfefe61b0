"""Task lists on both backends: a Guangyuan-shaped plan issued, every refused input, completion
and reopening with history and files, conflicts, and the figures (tally and statistics)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.calendar import end_of_day
from redline.config import Settings
from redline.errors import DomainError, ErrorCode
from scoring.evidence import FolderStore
from scoring.ledgers import tasks
from scoring.ledgers.figures.tasks import is_overdue, overdue_clause, task_statistics, task_tally
from scoring.ledgers.history import EvidenceFile, history
from scoring.ledgers.models import (
    ActionPlan,
    LedgerAttachment,
    LedgerEvent,
    LedgerSubject,
    PlanSection,
    SectionKind,
    TaskElement,
    TaskState,
)
from scoring.ledgers.rates import FULL, percent
from scoring.ledgers.tasks import (
    ElementInput,
    PlanInput,
    SectionInput,
    complete_element,
    create_plan,
    plan_input,
    reopen_element,
)
from tenants.importer import import_rows
from tenants.models import TenantNode
from tests.factories.checks import count, problems_of
from tests.factories.ledgers import GUANGYUAN, GUANGYUAN_UNITS, big_plan, element
from tests.factories.tenants import actor, add_sichuan_users, node, scoped_session

D = Decimal
PDF = b"%PDF-1.4\n% minutes of the hazardous-chemicals inspection\n%%EOF\n"
H1 = (date(2026, 1, 1), date(2026, 6, 30))
# Noon in Guangyuan on 2026-06-30.
JUNE_30_NOON = datetime(2026, 6, 30, 4, 0, tzinfo=UTC)


def issue(session: Session, data: PlanInput = GUANGYUAN, **kwargs) -> ActionPlan:
    """The plan issued by the Guangyuan office (committed)."""
    plan = create_plan(
        session, actor(session, "gy-office"), node(session, "510800"), data, **kwargs
    )
    session.commit()
    return plan


def elements_of(session: Session, plan: ActionPlan) -> dict[str, TaskElement]:
    rows = session.scalars(select(TaskElement).where(TaskElement.plan_id == plan.id))
    return {e.code: e for e in rows}


# --- issuing a plan --------------------------------------------------------------------------


def test_the_guangyuan_office_issues_its_plan(world: Session, sessions) -> None:
    gy = actor(world, "gy-office")
    with scoped_session(sessions, gy) as session:
        now = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
        plan = create_plan(session, gy, node(session, "510800"), GUANGYUAN, now=now)
        session.commit()
        plan_id = plan.id

    world.rollback()  # a fresh snapshot: what the office committed
    plan = world.get_one(ActionPlan, plan_id)
    assert (plan.title, plan.period_start, plan.period_end) == (
        GUANGYUAN.title,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert plan.owner_node_id == node(world, "510800").id
    assert plan.created_by_id == gy.user_id
    sections = world.scalars(
        select(PlanSection).where(PlanSection.plan_id == plan.id).order_by(PlanSection.position)
    ).all()
    codes = {s.id: s.code for s in sections}
    assert [(s.code, s.kind, codes.get(s.parent_id)) for s in sections] == [
        ("一", SectionKind.TOPIC, None),
        ("1-1", SectionKind.PROJECT, "一"),
        ("二", SectionKind.TOPIC, None),
        ("2-1", SectionKind.PROJECT, "二"),
        ("2-2", SectionKind.PROJECT, "二"),
        ("2-3", SectionKind.PROJECT, "二"),
    ]
    elements = world.scalars(
        select(TaskElement).where(TaskElement.plan_id == plan.id).order_by(TaskElement.position)
    ).all()
    units = {n.id: n.code for n in world.scalars(select(TenantNode))}
    # In plan order: a topic's own elements before its projects'.
    assert [(e.code, units[e.node_id], codes.get(e.section_id)) for e in elements] == [
        ("1.1", "510800-YJJ", "一"),
        ("1.2", "510802", "一"),  # named 利州区
        ("1.3", "510802", "1-1"),
        ("1.4", "510811", "1-1"),
        ("2.1", "510823", "2-1"),
        ("2.2", "510823100", "2-1"),
        ("2.3", "510824", "2-1"),
        ("2.4", "510821", "2-2"),
        ("2.5", "510822", "2-2"),
        ("2.6", "510812", "2-3"),
        ("2.7", "510823120", "2-3"),
    ]
    assert {e.state for e in elements} == {TaskState.PENDING}
    assert {e.version for e in elements} == {1}
    assert {e.customer_id for e in elements} == {plan.customer_id}
    # Sections and elements share one order.
    positions = [s.position for s in sections] + [e.position for e in elements]
    assert len(set(positions)) == len(positions)
    # One "recorded" event per element, in its unit's ledger.
    events = world.scalars(select(LedgerEvent).order_by(LedgerEvent.id)).all()
    assert [(e.subject, e.subject_id, e.node_id) for e in events] == [
        (LedgerSubject.TASK_ELEMENT, e.id, e.node_id) for e in elements
    ]
    assert {(e.action, e.actor_id, e.at) for e in events} == {("recorded", gy.user_id, now)}


def test_a_stored_plan_reads_back_as_its_input(world: Session) -> None:
    plan = issue(world)
    again = plan_input(world, plan)
    named = GUANGYUAN.sections[0].elements[1]
    assert again.sections[0].elements[1] == ElementInput(
        named.code, named.title, "510802", named.deadline
    )
    # Everything else as it was given.
    assert again == PlanInput(
        title=GUANGYUAN.title,
        period_start=GUANGYUAN.period_start,
        period_end=GUANGYUAN.period_end,
        sections=(
            SectionInput(
                "一",
                GUANGYUAN.sections[0].title,
                "topic",
                sections=GUANGYUAN.sections[0].sections,
                elements=(GUANGYUAN.sections[0].elements[0], again.sections[0].elements[1]),
            ),
            GUANGYUAN.sections[1],
        ),
    )


def test_a_plan_without_topics_holds_projects_and_elements(world: Session) -> None:
    flat = PlanInput(
        title="剑阁县汛期安全工作清单",
        period_start=date(2026, 5, 1),
        period_end=date(2026, 9, 30),
        elements=(element("1", "汛前隐患排查", "510823100", date(2026, 5, 31)),),
        sections=(
            SectionInput(
                "A",
                "地质灾害防范专项",
                "project",
                elements=(element("2", "地灾点巡查", "510823120", date(2026, 7, 31)),),
            ),
        ),
    )
    plan = create_plan(world, actor(world, "sc-office"), node(world, "510823"), flat)
    world.commit()
    assert plan_input(world, plan) == flat
    loose = world.scalars(select(TaskElement).where(TaskElement.section_id.is_(None))).one()
    assert loose.code == "1"


def test_a_plan_of_291_elements_is_written_in_a_few_statements(
    world: Session, statement_counter: list[str]
) -> None:
    gy, owner = actor(world, "gy-office"), node(world, "510800")
    statement_counter.clear()
    create_plan(world, gy, owner, GUANGYUAN)
    world.commit()
    small = len(statement_counter)

    statement_counter.clear()
    plan = create_plan(world, gy, owner, big_plan())
    world.commit()
    large = len(statement_counter)

    assert count(world, TaskElement) == 11 + 291
    assert (
        world.scalar(
            select(func.count()).select_from(LedgerEvent).where(LedgerEvent.action == "recorded")
        )
        == 11 + 291
    )
    assert len(world.scalars(select(PlanSection).where(PlanSection.plan_id == plan.id)).all()) == 15
    # The same units: the same statements, whatever the number of elements.
    assert large <= small + 2, f"{small} statements for 11 elements, {large} for 291"


def test_issuing_re_scores_the_deepest_responsible_units_once(world: Session, monkeypatch) -> None:
    changed: list[str] = []
    monkeypatch.setattr(tasks, "ledger_changed", lambda session, n: changed.append(n.code))
    issue(world)
    # 510823 is left out: its towns' re-scoring covers it (and every ancestor).
    assert sorted(changed) == sorted(set(GUANGYUAN_UNITS) - {"510823"})


def test_only_offices_of_the_owner_issue_plans(world: Session) -> None:
    add_sichuan_users(world)
    guangyuan, sichuan = node(world, "510800"), node(world, "510000")
    for username, owner in (
        ("jiange-clerk", guangyuan),  # a submitter
        ("gy-office", sichuan),  # above its grant
        ("jx-office", guangyuan),  # another province
    ):
        with pytest.raises(DomainError) as error:
            create_plan(world, actor(world, username), owner, GUANGYUAN)
        assert problems_of(error) == [("ownerNodeId", ErrorCode.PERMISSION_DENIED)], username
    # The province issues plans for Guangyuan's units too.
    create_plan(world, actor(world, "sc-office"), sichuan, GUANGYUAN)
    world.commit()
    assert count(world, ActionPlan) == 1


def test_every_bad_input_is_named(world: Session) -> None:
    # A second 嘉陵街道, under 昭化区: the name no longer names one unit.
    import_rows(
        world,
        [
            {
                "code": "510811001",
                "parent_code": "510811",
                "name_zh": "嘉陵街道",
                "name_en": "Jialing Subdistrict (Zhaohua)",
                "level": "township",
                "kind": "street",
            }
        ],
    )
    june = date(2026, 6, 30)
    bad = PlanInput(
        title=" ",
        period_start=date(2026, 12, 31),
        period_end=date(2026, 1, 1),
        elements=(element("0.1", "不在专题里的要素", "510802", june),),
        sections=(
            SectionInput("", "无编号专题", "topic", elements=(element("E0", "x", "510802", june),)),
            SectionInput("T", "", "chapter"),
            SectionInput(
                "T",
                "重复编号的专题",
                "topic",
                sections=(
                    SectionInput("TT", "专题里的专题", "topic"),
                    SectionInput(
                        "P",
                        "专项",
                        "project",
                        sections=(SectionInput("PP", "专项里的专项", "project"),),
                    ),
                ),
                elements=(
                    element("", "无编号要素", "510802", june),
                    element("E1", "", "330499", june),
                    element("E1", "重复编号", "510000", june),
                    element("E2", "同名单位", "嘉陵街道", june),
                    element("E3", "没有责任单位", " ", june),
                    ElementInput("E4", "没有时限", "510802", None),
                ),
            ),
            SectionInput("P2", "专题之外的专项", "project"),
        ),
    )
    with pytest.raises(DomainError) as error:
        create_plan(world, None, node(world, "510800"), bad)
    assert sorted(problems_of(error), key=str) == sorted(
        [
            ("title", ErrorCode.REQUIRED),
            ("periodEnd", ErrorCode.INVALID),
            ("elements.0", ErrorCode.INVALID),
            ("sections.0.code", ErrorCode.REQUIRED),
            ("sections.1.title", ErrorCode.REQUIRED),
            ("sections.1.kind", ErrorCode.INVALID),
            ("sections.2.code", ErrorCode.DUPLICATE),
            ("sections.2.sections.0.kind", ErrorCode.INVALID),
            ("sections.2.sections.1.sections", ErrorCode.INVALID),
            ("sections.2.elements.0.code", ErrorCode.REQUIRED),
            ("sections.2.elements.1.title", ErrorCode.REQUIRED),
            ("sections.2.elements.1.responsible", ErrorCode.INVALID),
            ("sections.2.elements.2.code", ErrorCode.DUPLICATE),
            ("sections.2.elements.2.responsible", ErrorCode.INVALID),
            ("sections.2.elements.3.responsible", ErrorCode.INVALID),
            ("sections.2.elements.4.responsible", ErrorCode.REQUIRED),
            ("sections.2.elements.5.deadline", ErrorCode.REQUIRED),
            ("sections.3.kind", ErrorCode.INVALID),
        ],
        key=str,
    )
    messages = {p.field: p.message for p in error.value.problems}
    assert messages["sections.2.elements.1.responsible"] == "no unit 330499 under 510800"
    assert messages["sections.2.elements.2.responsible"] == "no unit 510000 under 510800"
    assert (
        "2 units under 510800 are named 嘉陵街道" in messages["sections.2.elements.3.responsible"]
    )
    assert messages["sections.2.code"] == "T repeats sections.1"
    assert count(world, ActionPlan) == 0


def test_periods_and_deadlines(world: Session) -> None:
    owner = node(world, "510800")
    missing = PlanInput(
        "清单", None, None, elements=(element("1", "x", "510802", date(2026, 1, 1)),)
    )
    with pytest.raises(DomainError) as error:
        create_plan(world, None, owner, missing)
    assert problems_of(error) == [
        ("periodStart", ErrorCode.REQUIRED),
        ("periodEnd", ErrorCode.REQUIRED),
    ]

    outside = PlanInput(
        "清单",
        date(2026, 1, 1),
        date(2026, 12, 31),
        elements=(
            element("1", "first day", "510802", date(2026, 1, 1)),
            element("2", "last day", "510802", date(2026, 12, 31)),
            element("3", "too late", "510802", date(2027, 1, 15)),
            element("4", "too early", "510802", date(2025, 12, 31)),
        ),
    )
    with pytest.raises(DomainError) as error:
        create_plan(world, None, owner, outside)
    assert problems_of(error) == [
        ("elements.2.deadline", ErrorCode.INVALID),
        ("elements.3.deadline", ErrorCode.INVALID),
    ]
    assert "outside the plan's period 2026-01-01..2026-12-31" in error.value.problems[0].message

    empty = PlanInput(
        "清单", date(2026, 1, 1), date(2026, 12, 31), sections=(SectionInput("1", "专题", "topic"),)
    )
    with pytest.raises(DomainError) as error:
        create_plan(world, None, owner, empty)
    assert problems_of(error) == [("elements", ErrorCode.REQUIRED)]


def test_a_plan_has_at_most_5000_elements(world: Session) -> None:
    with pytest.raises(DomainError) as error:
        create_plan(world, None, node(world, "510800"), big_plan(5001))
    assert problems_of(error) == [(None, ErrorCode.TOO_LARGE)]
    assert count(world, ActionPlan) == 0


# --- completing and reopening ----------------------------------------------------------------


@pytest.fixture
def guangyuan(world: Session) -> ActionPlan:
    add_sichuan_users(world)
    return issue(world)


def evidence(tmp_path: Path) -> dict:
    return {"store": FolderStore(tmp_path), "settings": Settings(attachment_dir=tmp_path)}


def test_the_unit_completes_its_element_with_evidence(
    world: Session, sessions, guangyuan: ActionPlan, tmp_path: Path
) -> None:
    clerk = actor(world, "jiange-clerk")
    at = datetime(2026, 3, 20, 6, 30, tzinfo=UTC)
    with scoped_session(sessions, clerk) as session:
        done = elements_of(session, guangyuan)["2.1"]
        files = [EvidenceFile("检查记录.pdf", "application/pdf", PDF)]
        complete_element(
            session,
            clerk,
            done,
            note="已完成全市12家重大危险源企业检查",
            files=files,
            expected_version=1,
            now=at,
            **evidence(tmp_path),
        )
        session.commit()
        assert (done.state, done.completed_at, done.completed_by_id, done.version) == (
            TaskState.DONE,
            at,
            clerk.user_id,
            2,
        )
        element_id = done.id

    world.rollback()  # a fresh snapshot: what the clerk committed
    events = history(world, LedgerSubject.TASK_ELEMENT, element_id)
    assert [(e.action, e.field, e.old, e.new, e.actor_id) for e in events] == [
        ("recorded", None, None, None, actor(world, "gy-office").user_id),
        ("completed", "state", "pending", "done", clerk.user_id),
    ]
    assert events[1].note == "已完成全市12家重大危险源企业检查"
    assert events[1].at == at
    attachment = world.scalars(select(LedgerAttachment)).one()
    assert (attachment.event_id, attachment.filename, attachment.size) == (
        events[1].id,
        "检查记录.pdf",
        len(PDF),
    )
    assert FolderStore(tmp_path).path(attachment.sha256).read_bytes() == PDF


def test_completion_is_refused_with_every_reason(
    world: Session, guangyuan: ActionPlan, tmp_path: Path
) -> None:
    jiange = elements_of(world, guangyuan)["2.1"]
    clerk = actor(world, "jiange-clerk")
    with pytest.raises(DomainError) as error:
        complete_element(
            world,
            clerk,
            jiange,
            note=" ",
            files=[EvidenceFile("run.exe", "application/x-msdownload", b"MZ\x90\x00")],
            expected_version=1,
            **evidence(tmp_path),
        )
    assert problems_of(error) == [("note", ErrorCode.REQUIRED), ("files.0", ErrorCode.INVALID)]

    with pytest.raises(DomainError) as error:
        complete_element(world, clerk, jiange, note="done", expected_version=3)
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]

    # A sibling county's clerk, and a town's clerk for its county's element.
    for username in ("cangxi-clerk", "puan-clerk"):
        with pytest.raises(DomainError) as error:
            complete_element(world, actor(world, username), jiange, note="x", expected_version=1)
        assert problems_of(error) == [("elementId", ErrorCode.PERMISSION_DENIED)], username

    complete_element(world, clerk, jiange, note="done", expected_version=1)
    world.commit()
    with pytest.raises(DomainError) as error:
        complete_element(world, clerk, jiange, note="again", expected_version=2)
    assert problems_of(error) == [("elementId", ErrorCode.INVALID_STATE)]
    assert [e.action for e in history(world, LedgerSubject.TASK_ELEMENT, jiange.id)] == [
        "recorded",
        "completed",
    ]


def test_an_office_above_reopens_a_done_element(world: Session, guangyuan: ActionPlan) -> None:
    town = elements_of(world, guangyuan)["2.2"]  # 普安镇
    done_at = datetime(2026, 4, 2, 1, 0, tzinfo=UTC)
    complete_element(
        world, actor(world, "puan-clerk"), town, note="排查完毕", expected_version=1, now=done_at
    )
    world.commit()

    for username in ("puan-clerk", "jiange-clerk", "cangxi-clerk"):
        with pytest.raises(DomainError) as error:
            reopen_element(world, actor(world, username), town, reason="x", expected_version=2)
        assert problems_of(error) == [("elementId", ErrorCode.PERMISSION_DENIED)], username
    office = actor(world, "jiange-office")
    with pytest.raises(DomainError) as error:
        reopen_element(world, office, town, reason=" ", expected_version=2)
    assert problems_of(error) == [("reason", ErrorCode.REQUIRED)]
    with pytest.raises(DomainError) as error:
        reopen_element(world, office, town, reason="x", expected_version=1)
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]

    reopened_at = datetime(2026, 4, 10, 2, 0, tzinfo=UTC)
    reopen_element(
        world, office, town, reason="抽查发现两座加油站未排查", expected_version=2, now=reopened_at
    )
    world.commit()
    assert (town.state, town.completed_at, town.completed_by_id, town.version) == (
        TaskState.PENDING,
        None,
        None,
        3,
    )
    with pytest.raises(DomainError) as error:
        reopen_element(world, office, town, reason="again", expected_version=3)
    assert problems_of(error) == [("elementId", ErrorCode.INVALID_STATE)]

    complete_element(
        world, actor(world, "puan-clerk"), town, note="补充排查完毕", expected_version=3
    )
    world.commit()
    events = history(world, LedgerSubject.TASK_ELEMENT, town.id)
    assert [(e.action, e.old, e.new, e.note) for e in events] == [
        ("recorded", None, None, None),
        ("completed", "pending", "done", "排查完毕"),
        ("reopened", "done", "pending", "抽查发现两座加油站未排查"),
        ("completed", "pending", "done", "补充排查完毕"),
    ]
    assert events[2].actor_id == office.user_id
    assert events[2].at == reopened_at


def test_two_completions_at_once_conflict(world: Session, sessions, guangyuan: ActionPlan) -> None:
    clerk = actor(world, "jiange-clerk")
    first, second = scoped_session(sessions, clerk), scoped_session(sessions, clerk)
    with first, second:
        mine = elements_of(first, guangyuan)["2.1"]
        theirs = elements_of(second, guangyuan)["2.1"]
        # End the read, keeping what it loaded: SQLite refuses to write from a stale snapshot.
        second.commit()
        complete_element(first, clerk, mine, note="first", expected_version=1)
        first.commit()
        with pytest.raises(DomainError) as error:
            complete_element(second, clerk, theirs, note="second", expected_version=1)
        assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]
        second.rollback()
    world.rollback()
    assert [e.note for e in history(world, LedgerSubject.TASK_ELEMENT, mine.id)] == [None, "first"]


def test_completion_and_reopening_re_score_the_unit(
    world: Session, guangyuan: ActionPlan, monkeypatch
) -> None:
    changed: list[str] = []
    monkeypatch.setattr(tasks, "ledger_changed", lambda session, n: changed.append(n.code))
    town = elements_of(world, guangyuan)["2.2"]
    complete_element(world, actor(world, "puan-clerk"), town, note="done", expected_version=1)
    reopen_element(world, actor(world, "gy-office"), town, reason="redo", expected_version=2)
    assert changed == ["510823100", "510823100"]


# --- figures ---------------------------------------------------------------------------------


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture
def ledger(world: Session) -> dict[str, TaskElement]:
    """Elements completed on time, late, after the count, or not at all (see each)."""
    data = PlanInput(
        title="统计口径测试清单",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        sections=(
            SectionInput(
                "T1",
                "专题一",
                "topic",
                elements=(element("G", "done early", "510822", date(2026, 2, 28)),),
                sections=(
                    SectionInput(
                        "P1",
                        "专项一",
                        "project",
                        elements=(
                            element("A", "done at 23:59 on the day", "510823", date(2026, 3, 31)),
                            element(
                                "B", "done at 00:00 the day after", "510823", date(2026, 3, 31)
                            ),
                            element("C", "never done", "510823100", date(2026, 4, 30)),
                        ),
                    ),
                ),
            ),
            SectionInput(
                "T2",
                "专题二",
                "topic",
                sections=(
                    SectionInput(
                        "P2",
                        "专项二",
                        "project",
                        elements=(
                            element("D", "due on the day counted", "510824", date(2026, 6, 30)),
                            element("E", "done after the count", "510824", date(2026, 5, 31)),
                            element("F", "due later", "510802", date(2026, 9, 30)),
                        ),
                    ),
                ),
            ),
        ),
    )
    plan = create_plan(world, None, node(world, "510800"), data)
    rows = elements_of(world, plan)
    completions = {
        "G": _utc(date(2026, 2, 1), 2),
        "A": _utc(date(2026, 3, 31), 15, 59),  # 23:59 in Guangyuan
        "B": _utc(date(2026, 3, 31), 16, 0),  # 00:00 on April 1st in Guangyuan
        "E": _utc(date(2026, 7, 5), 2),
    }
    for code, at in completions.items():
        complete_element(world, None, rows[code], note="done", expected_version=1, now=at)
    # Another plan's element for Jiange, counted unless a plan is asked for.
    other = PlanInput(
        "另一清单",
        date(2026, 1, 1),
        date(2026, 12, 31),
        elements=(element("X", "other plan", "510823", date(2026, 3, 31)),),
    )
    rows["X"] = elements_of(world, create_plan(world, None, node(world, "510800"), other))["X"]
    world.commit()
    rows["plan"] = plan  # type: ignore[assignment]
    return rows


def codes(elements) -> list[str]:
    return sorted(e.code for e in elements)


def test_tally_counts_due_done_and_overdue_as_of_a_moment(
    world: Session, ledger: dict[str, TaskElement]
) -> None:
    units = [
        node(world, c) for c in ("510000", "510800", "510823", "510823100", "510824", "510802")
    ]
    units.append(node(world, "330400"))  # another province
    plan = ledger["plan"]
    tallies = task_tally(world, units, *H1, as_of=JUNE_30_NOON, plan_id=plan.id)
    figures = {
        n.code: (t.due, t.done, t.overdue, t.completion_rate)
        for n, t in zip(units, tallies.values(), strict=True)
    }
    assert figures == {
        "510000": (6, 3, 3, D("50.0")),
        "510800": (6, 3, 3, D("50.0")),
        "510823": (3, 2, 2, D("66.7")),  # B done a minute late: done, and overdue
        "510823100": (1, 0, 1, D("0.0")),
        "510824": (2, 0, 1, D("0.0")),  # E done after the count; D due today, not yet overdue
        "510802": (0, 0, 0, D("100.0")),  # nothing due
        "330400": (0, 0, 0, D("100.0")),
    }
    city = tallies[node(world, "510800").id]
    assert [e.code for e in city.elements_due] == ["G", "A", "B", "C", "E", "D"]  # by deadline
    assert codes(city.elements_overdue) == ["B", "C", "E"]

    # Without the plan, Jiange's element of the other plan counts too (not done: overdue).
    jiange = node(world, "510823")
    whole = task_tally(world, [jiange], *H1, as_of=JUNE_30_NOON)[jiange.id]
    assert whole.due == 4
    assert codes(whole.elements_overdue) == ["B", "C", "X"]

    # At the year's end: E done (late), D and F never done: all three overdue.
    year = task_tally(
        world,
        [node(world, "510800")],
        date(2026, 1, 1),
        date(2026, 12, 31),
        as_of=end_of_day(date(2026, 12, 31)),
        plan_id=plan.id,
    )[node(world, "510800").id]
    assert (year.due, year.done, year.overdue) == (7, 4, 5)
    assert codes(year.elements_overdue) == ["B", "C", "D", "E", "F"]
    assert year.completion_rate == D("57.1")


def test_rates_round_half_up() -> None:
    assert percent(1, 3, when_empty=FULL) == D("33.3")
    assert percent(2, 3, when_empty=FULL) == D("66.7")
    assert percent(1, 8, when_empty=FULL) == D("12.5")
    assert percent(1, 16, when_empty=FULL) == D("6.3")  # 6.25
    assert percent(0, 0, when_empty=FULL) == D("100.0")


@pytest.mark.parametrize(
    "today",
    [date(2026, 3, 31), date(2026, 4, 1), date(2026, 5, 1), date(2026, 7, 1), date(2027, 1, 1)],
)
def test_overdue_in_sql_agrees_with_python(
    world: Session, ledger: dict[str, TaskElement], today: date
) -> None:
    rows = world.scalars(select(TaskElement)).all()
    in_sql = set(world.scalars(select(TaskElement.code).where(overdue_clause(today))))
    assert in_sql == {e.code for e in rows if is_overdue(e, today)}
    not_overdue = set(world.scalars(select(TaskElement.code).where(~overdue_clause(today))))
    assert in_sql | not_overdue == {e.code for e in rows}
    if today == date(2026, 4, 1):
        assert in_sql == {"B", "X"}  # B completed at midnight Guangyuan time: a day late


def test_statistics_by_unit_and_by_section(world: Session, ledger: dict[str, TaskElement]) -> None:
    plan = ledger["plan"]
    city = node(world, "510800")
    now = datetime(2026, 7, 10, 2, 0, tzinfo=UTC)
    statistics = task_statistics(world, city, *H1, now=now, plan_id=plan.id)
    # The period ended: figures as of its last moment (E, completed on July 5th, is not done).
    assert statistics.as_of == end_of_day(date(2026, 6, 30))
    assert (statistics.due, statistics.done, statistics.overdue, statistics.completion_rate) == (
        6,
        3,
        3,
        D("50.0"),
    )
    assert [
        (u.node.code, u.tally.due, u.tally.done, u.tally.overdue) for u in statistics.by_unit
    ] == [
        ("510800-YJJ", 0, 0, 0),
        ("510802", 0, 0, 0),
        ("510811", 0, 0, 0),
        ("510812", 0, 0, 0),
        ("510821", 0, 0, 0),
        ("510822", 1, 1, 0),
        ("510823", 3, 2, 2),
        ("510824", 2, 0, 1),
    ]
    assert [
        (s.section.code, s.tally.due, s.tally.done, s.tally.overdue, s.tally.completion_rate)
        for s in statistics.by_section
    ] == [
        ("T1", 4, 3, 2, D("75.0")),
        ("P1", 3, 2, 2, D("66.7")),
        ("T2", 2, 0, 1, D("0.0")),
        ("P2", 2, 0, 1, D("0.0")),
    ]
    # The same figures as the tally the indicators take.
    tally = task_tally(world, [city], *H1, as_of=statistics.as_of, plan_id=plan.id)[city.id]
    assert statistics.tally == tally

    # While the period runs, as of now; without a plan, no sections.
    running = task_statistics(world, node(world, "510823"), *H1, now=JUNE_30_NOON)
    assert (running.as_of, running.due, running.overdue, running.by_section) == (
        JUNE_30_NOON,
        4,
        3,
        (),
    )
    assert [u.node.code for u in running.by_unit] == ["510823100", "510823120", "510823122"]


def test_a_unit_sees_only_its_subtree_elements(
    world: Session, sessions, ledger: dict[str, TaskElement]
) -> None:
    add_sichuan_users(world)
    town_clerk = actor(world, "puan-clerk")
    with scoped_session(sessions, town_clerk) as session:
        assert count(session, ActionPlan) == 2  # the province's plans: all of them
        assert [e.code for e in session.scalars(select(TaskElement))] == ["C"]
        town = session.get_one(TenantNode, town_clerk.node_id)
        statistics = task_statistics(session, town, *H1, now=JUNE_30_NOON)
        assert (statistics.due, statistics.overdue) == (1, 1)
    with scoped_session(sessions, actor(world, "jx-office")) as session:
        assert count(session, ActionPlan) == 0
        assert count(session, TaskElement) == 0


def test_is_overdue_needs_the_deadline_day_to_have_passed(
    world: Session, ledger: dict[str, TaskElement]
) -> None:
    late, pending = ledger["B"], ledger["C"]
    assert not is_overdue(late, date(2026, 3, 31))
    assert is_overdue(late, date(2026, 4, 1))
    assert not is_overdue(pending, date(2026, 4, 30))
    assert is_overdue(pending, date(2026, 4, 30) + timedelta(days=1))
    assert not is_overdue(ledger["A"], date(2026, 12, 31))
