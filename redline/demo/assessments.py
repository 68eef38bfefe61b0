"""The demo's assessments: Zhejiang's template family, Jiaxing's local template, two open 2026
cycles with assessments in every state, made through the same services the API calls.

From 2026 the template takes indicators and vetoes from the ledgers, so the story runs after
``scoring.ledgers.demo`` has recorded them: the units enter only what is theirs to enter (5.1
as their accident ledger gives it), and submitting keeps the figures the ledgers give then.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from redline.db import unit_of_work
from redline.demo.templates import LOCAL_CATEGORY, I, provincial_template
from scoring.assessments.cycles import open_cycle
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import Assessment, AssessmentState, Cycle
from scoring.assessments.review import (
    ReviewInput,
    add_spot_check,
    complete_review,
    finalise,
    return_assessment,
    review_entries,
)
from scoring.engine import ClauseKind, Method
from scoring.ledgers.figures.accidents import AccidentTally, accident_tally
from scoring.ledgers.models import AccidentClass, ReportStatus
from scoring.rankings import status
from scoring.templates.document import ItemInput
from scoring.templates.models import Template, TemplateItem, ValueSource
from scoring.templates.service import (
    archive,
    create_template,
    extend_template,
    new_version,
    publish,
    update_draft,
)
from scoring.templates.storage import template_content
from tenants.access import Actor, load_actor
from tenants.models import Role, TenantLevel, TenantNode, User
from tenants.users import create_user

CST = timedelta(hours=8)  # deadlines are set in China Standard Time


def _at(day: str, hour: int = 17) -> datetime:
    """A moment in 2026 given as "MM-DD" and an hour (24: the day's end), China Standard Time,
    as UTC."""
    month, dom = map(int, day.split("-"))
    return datetime(2026, month, dom, tzinfo=UTC) + timedelta(hours=hour) - CST


JIAXING_LOCAL = ItemInput(
    "7.1",
    "内河船舶和渡口渡船安全管理",
    I,
    Decimal(5),
    criteria="辖区渡口渡船安全检查全覆盖，内河船舶“四类重点船舶”动态监管到位",
    method=Method.BOOLEAN,
)


@dataclass(frozen=True)
class Story:
    """What happened to one unit's assessment: the state it reaches and the review's details."""

    state: AssessmentState
    submitted: str = "11-12"  # day of the (last) submission, MM-DD
    adjust: tuple[str, str, str] | None = None  # indicator, points, reason
    spot_check: tuple[str, str, str] | None = None  # indicator, points, finding
    not_applicable: tuple[str, str] | None = None  # indicator, reason


ACCIDENT_CONTROL = "5.1"  # entered by the unit from its accident ledger
ACCIDENT_NOTE = "依据本单位事故台账填报"
RETURN_REASON = "隐患整改率佐证材料不全：请补充重大隐患整改销号单和复查记录"
COUNTY_STORIES = {
    "330402": Story(AssessmentState.DRAFT),  # Nanhu: nanhu-office fills it in the demo
    "330411": Story(AssessmentState.SUBMITTED, "11-18"),
    "330421": Story(AssessmentState.RETURNED, "11-10"),
    "330424": Story(AssessmentState.RESUBMITTED, "11-22"),  # after the due date: late
    "330481": Story(
        AssessmentState.REVIEWED,
        "11-09",
        adjust=("3.2.1", "5", "暗查暗访台账仅提供3次记录，与自评“每季度不少于2次”不符"),
        spot_check=("2.2", "2", "暗访海宁某皮革企业，发现有限空间重大隐患整改未闭环"),
    ),
    "330482": Story(AssessmentState.FINAL, "11-06"),
    # Vetoed by V1 at finalisation: the accident ledger holds a larger accident of August.
    "330483": Story(AssessmentState.FINAL, "11-08"),
}
COMPOSITE_WEIGHT = Decimal("0.6")
TOWNSHIP_STORIES = {
    "330402901": Story(AssessmentState.DRAFT),  # Xiangjiadang: xjd-clerk fills it
    "330402015": Story(AssessmentState.DRAFT),  # Qixing: qixing-clerk fills it
    "330402007": Story(AssessmentState.SUBMITTED, "11-19"),
    "330402008": Story(AssessmentState.RETURNED, "11-11"),
    "330402009": Story(AssessmentState.RESUBMITTED, "11-21"),
    "330402010": Story(
        AssessmentState.REVIEWED,
        "11-10",
        adjust=("6.1", "0", "“安全生产月”活动无影像资料和总结报告，不予认定"),
        not_applicable=("4.2", "辖区内无十大重点行业领域企业"),
    ),
    "330402011": Story(AssessmentState.FINAL, "11-05"),
    "330402100": Story(
        AssessmentState.FINAL,
        "11-07",
        spot_check=("2.2", "3", "“四不两直”检查凤桥镇某仓储企业，发现消防通道堵塞未整改"),
    ),
}


def load_demo_assessments(session: Session) -> None:
    """Templates, cycles and assessments for the demo (after the places and demo users)."""
    users = {u.username: u for u in session.scalars(select(User))}
    nodes = {n.code: n for n in session.scalars(select(TenantNode))}
    province = load_actor(session, users["zj-office"])
    city = load_actor(session, users["jx-office"])
    with unit_of_work(session):
        last_year, county_template, township_template = _templates(session, province, city, nodes)
    with unit_of_work(session):
        # Last year's, assessed in January: this year's rankings show the counties' movement.
        counties_2025 = open_cycle(
            session,
            province,
            template=last_year,
            owner_node=nodes["330000"],
            name="2025年度县（市、区）安全生产工作考核",
            level=TenantLevel.COUNTY,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            self_due=_at("01-10", 24),
            review_due=_at("01-20", 24),
        )
    # Jiaxing's counties, final, submitted from 6 to 10 January (the self-entered template);
    # the rest of Zhejiang is not in the demo's story.
    last_year_stories = {
        code: Story(AssessmentState.FINAL, f"01-{6 + index % 5:02d}")
        for index, code in enumerate(COUNTY_STORIES)
    }
    _play(
        session, counties_2025, last_year_stories, users, nodes, finaliser=province, final="01-22"
    )
    with unit_of_work(session):
        archive(session, province, last_year)
    with unit_of_work(session):
        counties = open_cycle(
            session,
            province,
            template=county_template,
            owner_node=nodes["330000"],
            name="2026年度县（市、区）安全生产工作考核",
            level=TenantLevel.COUNTY,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            self_due=_at("11-20", 24),
            review_due=_at("12-20", 24),
        )
        townships = open_cycle(
            session,
            city,
            template=township_template,
            owner_node=nodes["330400"],
            name="2026年度嘉兴市乡镇（街道）安全生产工作考核",
            level=TenantLevel.TOWNSHIP,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            self_due=_at("11-30", 24),
            review_due=_at("12-25", 24),
        )
    _play(session, counties, COUNTY_STORIES, users, nodes, finaliser=province)
    _play(session, townships, TOWNSHIP_STORIES, users, nodes, finaliser=city)


def _templates(
    session: Session, province: Actor, city: Actor, nodes: dict[str, TenantNode]
) -> tuple[Template, Template, Template]:
    """2025 (self-entered; the caller archives it once its cycle is played), 2026 (its copy
    turned ledger-fed, with a composite weight, published, in use), 2027 (a draft copy);
    Jiaxing's local 2026."""
    last_year = create_template(
        session,
        province,
        owner_node=nodes["330000"],
        family_code="ZJ-COUNTY",
        family_name="浙江省县（市、区）安全生产工作考核",
        content=provincial_template(2025),
    )
    publish(session, province, last_year, expected_version=last_year.lock_version)
    this_year = new_version(
        session, province, last_year, year=2026, title=provincial_template(2026).title
    )
    update_draft(
        session,
        province,
        this_year,
        # A county's composite: 0.6 x its own total + 0.4 x the mean of its townships'.
        replace(provincial_template(2026), composite_weight=COMPOSITE_WEIGHT),
        expected_version=this_year.lock_version,
    )
    publish(session, province, this_year, expected_version=this_year.lock_version)
    new_version(session, province, this_year, year=2027, title=provincial_template(2027).title)
    content = template_content(session, this_year)
    items = tuple(
        replace(item, children=(*item.children, JIAXING_LOCAL))
        if item.code == LOCAL_CATEGORY
        else item
        for item in content.items
    )
    local = extend_template(
        session,
        city,
        this_year,
        owner_node=nodes["330400"],
        content=replace(
            content, title="2026年度嘉兴市乡镇（街道）安全生产工作考核细则", items=items
        ),
    )
    publish(session, city, local, expected_version=local.lock_version)
    return last_year, this_year, local


def _play(
    session: Session,
    cycle: Cycle,
    stories: dict[str, Story],
    users: dict[str, User],
    nodes: dict[str, TenantNode],
    *,
    finaliser: Actor,
    final: str = "11-23",
) -> None:
    """Take each assessment of ``cycle`` through its story, with the unit's clerk and the
    assessor of the level above as the actors; final ones are finalised on ``final`` (MM-DD)."""
    items = session.scalars(
        select(TemplateItem)
        .where(TemplateItem.template_id == cycle.template_id)
        .order_by(TemplateItem.position)
    ).all()
    for code, story in stories.items():
        node = nodes[code]
        assessment = session.scalars(
            select(Assessment).where(Assessment.cycle_id == cycle.id, Assessment.node_id == node.id)
        ).one()
        clerk = unit_clerk(session, users, node)
        reviewer = _reviewer(session, users, nodes, node)
        accidents = accident_tally(session, [node], cycle.period_start, cycle.period_end)
        entries = _self_assessment(items, code, story, accidents[node.id])
        # A returned-and-resubmitted one went up first well before its resubmission.
        first = _at("11-08" if story.state is AssessmentState.RESUBMITTED else story.submitted)
        if story.state is AssessmentState.DRAFT:
            # Half filled: the demo's clerk carries on from here.
            entries = entries[: len(entries) // 2]
            first = _at("11-18")
        with unit_of_work(session):
            save_entries(
                session,
                clerk,
                assessment,
                entries,
                expected_version=assessment.version,
                now=first - timedelta(hours=7),
            )
        if story.state is AssessmentState.DRAFT:
            continue
        with unit_of_work(session):
            submit(session, clerk, assessment, expected_version=assessment.version, now=first)
        if story.state in (AssessmentState.RETURNED, AssessmentState.RESUBMITTED):
            with unit_of_work(session):
                return_assessment(
                    session,
                    reviewer,
                    assessment,
                    reason=RETURN_REASON,
                    expected_version=assessment.version,
                    now=first + timedelta(days=1),
                )
            if story.state is AssessmentState.RESUBMITTED:
                with unit_of_work(session):
                    submit(
                        session,
                        clerk,
                        assessment,
                        expected_version=assessment.version,
                        now=_at(story.submitted),
                    )
        if story.state in (AssessmentState.REVIEWED, AssessmentState.FINAL):
            _review(session, reviewer, assessment, items, story, when=first + timedelta(days=2))
        if story.state is AssessmentState.FINAL:
            with unit_of_work(session):
                finalise(session, finaliser, assessment, now=_at(final))


def _review(
    session: Session,
    reviewer: Actor,
    assessment: Assessment,
    items: list[TemplateItem],
    story: Story,
    *,
    when: datetime,
) -> None:
    """Review every indicator on ``when``, with the story's adjustment and finding."""
    reviews = []
    for item in items:
        if item.kind.value != "indicator":
            continue
        if story.adjust and item.code == story.adjust[0]:
            reviews.append(
                ReviewInput(
                    item.code,
                    confirm=False,
                    points=Decimal(story.adjust[1]),
                    reason=story.adjust[2],
                )
            )
        elif story.not_applicable and item.code == story.not_applicable[0]:
            reviews.append(ReviewInput(item.code, not_applicable_confirmed=True))
        else:
            reviews.append(ReviewInput(item.code))
    with unit_of_work(session):
        review_entries(
            session, reviewer, assessment, reviews, expected_version=assessment.version, now=when
        )
    if story.spot_check:
        code, points, finding = story.spot_check
        with unit_of_work(session):
            add_spot_check(
                session,
                reviewer,
                assessment,
                item_code=code,
                points=Decimal(points),
                finding=finding,
                checked_on=(when - timedelta(days=1)).date(),
                now=when,
            )
    with unit_of_work(session):
        complete_review(
            session,
            reviewer,
            assessment,
            expected_version=assessment.version,
            now=when + timedelta(hours=1),
        )


def _self_assessment(
    items: list[TemplateItem], code: str, story: Story, accidents: AccidentTally
) -> list[EntryInput]:
    """Plausible inputs for every indicator the unit enters (the ledgers fill the others), the
    same for a unit from one run to the next."""
    rng = random.Random(code)  # noqa: S311 - demo figures, not secrets
    entries = []
    for item in items:
        if item.kind.value != "indicator" or item.source != ValueSource.SELF.value:
            continue
        if story.not_applicable and item.code == story.not_applicable[0]:
            entries.append(
                EntryInput(
                    item.code, not_applicable=True, not_applicable_reason=story.not_applicable[1]
                )
            )
            continue
        note = f"见附件：{item.title}台账及佐证材料"
        match item.method:
            case Method.DEDUCTION if item.code == ACCIDENT_CONTROL:
                entries.append(
                    EntryInput(item.code, counts=_accident_counts(accidents), note=ACCIDENT_NOTE)
                )
            case Method.DEDUCTION:
                counts = {
                    c["key"]: rng.choice((0, 0, 0, 1, 2))
                    for c in item.clauses
                    if c["kind"] == ClauseKind.PER_OCCURRENCE.value
                }
                entries.append(EntryInput(item.code, counts=counts, note=note))
            case Method.RATIO | Method.TIERS:
                value = Decimal(rng.randint(880, 1000)) / 10
                entries.append(EntryInput(item.code, value=value, note=note))
            case Method.BOOLEAN:
                entries.append(EntryInput(item.code, done=rng.random() < 0.9, note=note))
            case Method.MANUAL:
                low = int(item.max_points * 6)
                points = Decimal(rng.randint(low, int(item.max_points * 10))) / 10
                entries.append(EntryInput(item.code, points=points, note=note))
            case Method.BONUS:
                points = Decimal(rng.choice((0, 0, 1, 2)))
                entries.append(EntryInput(item.code, points=min(points, item.max_points)))
    return entries


def _accident_counts(accidents: AccidentTally) -> dict[str, int]:
    """5.1's clauses as the unit's accident ledger of the period gives them: general accidents
    with one death (a) and with two (b), and whether one was reported late (c)."""
    general = [a for a in accidents.accidents if a.accident_class is AccidentClass.GENERAL]
    late = any(a.report_status is ReportStatus.LATE for a in accidents.accidents)
    return {
        "a": sum(1 for a in general if a.deaths == 1),
        "b": sum(1 for a in general if a.deaths == 2),
        "c": int(late),
    }


def unit_clerk(session: Session, users: dict[str, User], node: TenantNode) -> Actor:
    """The unit's demo clerk: a demo account where there is one, else ``<code>-clerk``."""
    for user in users.values():
        if user.node_id == node.id and user.username.endswith("-clerk"):
            return load_actor(session, user)
    if node.code == "330402":
        return load_actor(session, users["nanhu-office"])
    with unit_of_work(session):
        user = create_user(
            session,
            None,
            node,
            username=f"{node.code}-clerk",
            display_name=f"{node.name_zh}填报员",
            password=_unusable_password(node),
            roles=(Role.SUBMITTER,),
        )
    users[user.username] = user
    return load_actor(session, user)


def _unusable_password(node: TenantNode) -> str:
    # Clerks made for the story only: nobody is meant to sign in as them.
    return f"story-only-{node.code}-{random.SystemRandom().getrandbits(64):x}"


def _reviewer(
    session: Session, users: dict[str, User], nodes: dict[str, TenantNode], node: TenantNode
) -> Actor:
    """The assessor of the level above: nanhu-office for Nanhu's towns, jx-office for counties."""
    parent = next(n for n in nodes.values() if n.id == node.parent_id)
    username = {"330402": "nanhu-office", "330400": "jx-office"}[parent.code]
    actor = load_actor(session, users[username])
    assert actor.can(parent, Role.ASSESSOR)  # the story's own consistency
    return actor


def publish_demo_rankings(sessions: sessionmaker[Session]) -> None:
    """Publish every cycle's rankings now, the earliest period first, as the jobs would: a
    cycle's previous ranks are read from the cycle before it."""
    with sessions() as session:
        cycle_ids = list(session.scalars(select(Cycle.id).order_by(Cycle.period_end, Cycle.id)))
    for cycle_id in cycle_ids:
        status.publish_rankings(sessions, cycle_id, force=True)
