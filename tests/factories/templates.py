"""Templates: a small one written as rows (``SAMPLE``), and the demo's (``sample_content``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import utcnow
from redline.demo.templates import BONUS_CATEGORY, LOCAL_CATEGORY, I, provincial_template
from scoring.engine import Method
from scoring.templates.document import ItemInput, TemplateContent
from scoring.templates.models import (
    ItemKind,
    RuleSeverity,
    Template,
    TemplateFamily,
    TemplateItem,
    TemplateState,
    VetoKind,
    VetoRule,
)
from scoring.templates.service import create_template, publish
from tenants.models import TenantNode
from tests.factories.tenants import node

__all__ = [
    "BONUS_CATEGORY",
    "INDICATOR_CODES",
    "LOCAL_CATEGORY",
    "REQUIRED_CODES",
    "SAMPLE",
    "VETO_RULES",
    "Spec",
    "local_indicator",
    "published_sample",
    "published_template",
    "sample_content",
    "with_local",
]

D = Decimal

# --- written as rows --------------------------------------------------------------------------


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
                    {
                        "key": "d",
                        "kind": "judgement",
                        "text": "statements too vague: the assessor deducts up to 3",
                        "points": "3",
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


def published_template(
    session: Session,
    owner_node: TenantNode,
    *,
    code: str = "zj-county",
    version: int = 1,
    year: int = 2026,
    specs: tuple[Spec, ...] = SAMPLE,
    veto_rules: tuple[tuple[Any, ...], ...] = VETO_RULES,
    state: TemplateState = TemplateState.PUBLISHED,
) -> Template:
    """A template written straight as rows (not through the template service), published.
    A veto rule is (code, title) or (code, title, kind, severity, threshold)."""
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
    for index, (rule_code, title, *how) in enumerate(veto_rules):
        kind, severity, threshold = (*how, None, None, None)[:3]
        session.add(
            VetoRule(
                customer_id=template.customer_id,
                template_id=template.id,
                position=index + 1,
                code=rule_code,
                title=title,
                kind=kind or VetoKind.MANUAL,
                severity=severity or RuleSeverity.VETO,
                params={"threshold": threshold} if threshold is not None else {},
            )
        )
    session.flush()
    return template


# --- the demo's provincial template, through the service ----------------------------------------


def sample_content(year: int = 2026) -> TemplateContent:
    """The provincial template with every indicator self-entered and manual veto rules."""
    return provincial_template(year, ledger_fed=False)


def local_indicator(code: str = "7.1", points: str = "5") -> ItemInput:
    """An indicator a city adds under the local category (a Jiaxing-style local priority)."""
    return ItemInput(
        code,
        "内河船舶和渡口渡船安全管理",
        I,
        D(points),
        criteria="辖区渡口渡船安全检查全覆盖",
        method=Method.BOOLEAN,
    )


def change(content: TemplateContent, which: str, /, **changes: object) -> TemplateContent:
    """``content`` with the item coded ``which`` changed (children too, when given)."""

    def walk(items: tuple[ItemInput, ...]) -> tuple[ItemInput, ...]:
        return tuple(
            replace(item, **changes)
            if item.code == which
            else replace(item, children=walk(item.children))
            for item in items
        )

    return replace(content, items=walk(content.items))


def with_local(content: TemplateContent, *indicators: ItemInput) -> TemplateContent:
    """``content`` with ``indicators`` added under its local category."""
    items = tuple(
        replace(item, children=(*item.children, *indicators))
        if item.code == LOCAL_CATEGORY
        else item
        for item in content.items
    )
    return replace(content, items=items)


def published_sample(
    session: Session,
    *,
    owner_code: str = "330000",
    family_code: str = "zj-township",
    family_name: str = "浙江省乡镇（街道）安全生产工作考核",
) -> Template:
    """The sample provincial template of ``owner_code``, written and published by the system
    (committed; what the session held uncommitted before is rolled back)."""
    template = create_template(
        session,
        None,
        owner_node=node(session, owner_code, fresh=True),
        family_code=family_code,
        family_name=family_name,
        content=sample_content(),
    )
    publish(session, None, template, expected_version=template.lock_version)
    session.commit()
    return template
