"""Test data for scoring: a small published template built from rows, cycles, actors, inputs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.db import utcnow
from scoring.assessments.cycles import open_cycle
from scoring.assessments.entries import EntryInput
from scoring.assessments.models import Assessment, Cycle
from scoring.engine import Method
from scoring.templates.models import (
    ItemKind,
    Template,
    TemplateFamily,
    TemplateItem,
    TemplateState,
    VetoRule,
)
from tenants.access import Actor, load_actor
from tenants.models import TenantLevel, TenantNode, User
from tenants.scope import scoped

D = Decimal


@dataclass(frozen=True)
class Spec:
    """One template item: a category (with children) or an indicator (with a method)."""

    code: str
    title: str
    max_points: str
    method: Method | None = None
    children: tuple[Spec, ...] = ()
    bonus: bool = False
    required: bool = True
    target: str | None = None
    floor: str | None = None
    tiers: tuple[tuple[str, str], ...] = ()
    clauses: tuple[dict[str, Any], ...] = ()
    criteria: str = ""


# 100 points in three categories, every method once or more, a bonus category capped at 5.
SAMPLE = (
    Spec(
        "1",
        "责任体系 Responsibility system",
        "30",
        children=(
            Spec("1.1", "Leaders' duties on paper", "10", Method.MANUAL),
            Spec("1.2", "Safety committee meets quarterly", "10", Method.BOOLEAN),
            Spec(
                "1.3",
                "Responsibility statements signed",
                "10",
                Method.DEDUCTION,
                clauses=(
                    {"key": "a", "kind": "zero", "text": "no such system: 0 points"},
                    {
                        "key": "b",
                        "kind": "fixed",
                        "text": "not issued as a document: deduct 1",
                        "points": "1",
                    },
                    {
                        "key": "c",
                        "kind": "per_occurrence",
                        "text": "deduct 2 per missing unit",
                        "points": "2",
                    },
                ),
            ),
        ),
    ),
    Spec(
        "2",
        "隐患治理 Hidden-hazard governance",
        "40",
        children=(
            Spec("2.1", "Hazard rectification rate", "20", Method.RATIO, target="100", floor="60"),
            Spec(
                "2.2",
                "Task completion rate",
                "20",
                Method.TIERS,
                tiers=(("95", "20"), ("90", "16"), ("80", "10")),
            ),
        ),
    ),
    Spec(
        "3",
        "专项整治 Special rectification",
        "30",
        children=(
            Spec("3.1", "Coal-mine rectification", "15", Method.MANUAL),
            Spec("3.2", "Hazardous-chemicals campaign done", "15", Method.BOOLEAN),
        ),
    ),
    Spec(
        "B",
        "加分项 Bonus items",
        "5",
        bonus=True,
        children=(
            Spec("B.1", "Provincial commendation", "3", Method.BONUS, required=False),
            Spec("B.2", "Innovation adopted elsewhere", "3", Method.BONUS, required=False),
        ),
    ),
)
INDICATOR_CODES = ("1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "B.1", "B.2")
REQUIRED_CODES = ("1.1", "1.2", "2.1", "2.2", "3.1", "3.2")  # 1.3 deducts: never missing
VETO_RULES = (
    ("V1", "较大事故 A larger accident in the period"),
    ("V2", "瞒报事故 A concealed or late-reported accident"),
)


def node(session: Session, code: str) -> TenantNode:
    """The tenant node with this code."""
    return session.scalars(select(TenantNode).where(TenantNode.code == code)).one()


def actor(session: Session, username: str) -> Actor:
    """The actor of a demo user."""
    user = session.scalars(select(User).where(User.username == username)).one()
    return load_actor(session, user)


def scoped_session(sessions, who: Actor) -> Session:
    """A fresh session scoped to what ``who`` may see (as a request's session is)."""
    return scoped(sessions(), who.scope)


def published_template(
    session: Session,
    owner_node: TenantNode,
    *,
    code: str = "zj-county",
    version: int = 1,
    year: int = 2026,
    specs: tuple[Spec, ...] = SAMPLE,
    veto_rules: tuple[tuple[str, str], ...] = VETO_RULES,
    state: TemplateState = TemplateState.PUBLISHED,
) -> Template:
    """A template written straight as rows (not through the template service), published."""
    family = session.scalars(
        select(TemplateFamily).where(
            TemplateFamily.customer_id == owner_node.customer_id, TemplateFamily.code == code
        )
    ).one_or_none()
    if family is None:
        family = TemplateFamily(
            customer_id=owner_node.customer_id,
            owner_node_id=owner_node.id,
            code=code,
            name=f"Work-safety assessment ({code})",
        )
        session.add(family)
        session.flush()
    total = sum((D(s.max_points) for s in specs if not s.bonus), start=D(0))
    bonus_cap = sum((D(s.max_points) for s in specs if s.bonus), start=D(0))
    template = Template(
        customer_id=owner_node.customer_id,
        family_id=family.id,
        version=version,
        state=state,
        title=f"{year} work-safety responsibility assessment",
        year=year,
        total_points=total,
        bonus_cap=bonus_cap,
        grade_excellent=D(90),
        grade_good=D(80),
        grade_qualified=D(60),
        owner_node_id=owner_node.id,
        published_at=utcnow() if state is not TemplateState.DRAFT else None,
    )
    session.add(template)
    session.flush()
    position = 0

    def add(spec: Spec, parent: TemplateItem | None) -> None:
        nonlocal position
        position += 1
        item = TemplateItem(
            customer_id=template.customer_id,
            template_id=template.id,
            parent_id=parent.id if parent else None,
            position=position,
            kind=ItemKind.INDICATOR if spec.method else ItemKind.CATEGORY,
            code=spec.code,
            title=spec.title,
            criteria=spec.criteria,
            max_points=D(spec.max_points),
            bonus=spec.bonus,
            method=spec.method,
            target=D(spec.target) if spec.target else None,
            floor=D(spec.floor) if spec.floor else None,
            tiers=[{"min_value": low, "points": points} for low, points in spec.tiers],
            clauses=[dict(c) for c in spec.clauses],
            required=spec.required,
        )
        session.add(item)
        session.flush()
        for child in spec.children:
            add(child, item)

    for spec in specs:
        add(spec, None)
    for index, (rule_code, title) in enumerate(veto_rules):
        session.add(
            VetoRule(
                customer_id=template.customer_id,
                template_id=template.id,
                position=index + 1,
                code=rule_code,
                title=title,
            )
        )
    session.flush()
    return template


def open_sample_cycle(
    session: Session,
    *,
    owner_code: str = "330402",
    level: TenantLevel = TenantLevel.TOWNSHIP,
    template: Template | None = None,
    by: Actor | None = None,
    self_due: datetime = datetime(2027, 1, 31, 16, 0, tzinfo=UTC),
    review_due: datetime = datetime(2027, 2, 28, 16, 0, tzinfo=UTC),
    name: str = "2026 township assessment",
) -> Cycle:
    """A cycle over the ``level`` units below ``owner_code`` with the sample template of the
    province (written first if not given); opened by the system unless ``by`` is given."""
    owner = node(session, owner_code)
    if template is None:
        province = node(session, owner.path.strip("/").split("/")[0])
        template = published_template(session, province)
    return open_cycle(
        session,
        by,
        template=template,
        owner_node=owner,
        name=name,
        level=level,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        self_due=self_due,
        review_due=review_due,
    )


def assessment_of(session: Session, cycle: Cycle, code: str) -> Assessment:
    """The assessment of the unit ``code`` in ``cycle``."""
    return session.scalars(
        select(Assessment)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Assessment.cycle_id == cycle.id, TenantNode.code == code)
    ).one()


def count(session: Session, model: type) -> int:
    """How many rows of ``model`` the session sees."""
    return session.scalar(select(func.count()).select_from(model)) or 0


def full_entries(**changes: EntryInput) -> list[EntryInput]:
    """A complete self-assessment of the sample template; keyword ``code_with_underscores``
    replaces one row (``e3_1=EntryInput("3.1", ...)``).

    Scores 1: 9 + 10 + 9 = 28, 2: 18 + 16 = 34, 3: 12 + 15 = 27; 89 and a bonus of 2: 91.
    """
    rows = {
        "1.1": EntryInput("1.1", points=D("9"), note="duty lists of 12 leaders"),
        "1.2": EntryInput("1.2", done=True, note="minutes of four meetings"),
        "1.3": EntryInput("1.3", counts={"b": 1}),
        "2.1": EntryInput("2.1", value=D("90")),
        "2.2": EntryInput("2.2", value=D("92")),
        "3.1": EntryInput("3.1", points=D("12")),
        "3.2": EntryInput("3.2", done=True),
        "B.1": EntryInput("B.1", points=D("2")),
    }
    for key, row in changes.items():
        rows[key.removeprefix("e").replace("_", ".")] = row
    return list(rows.values())
