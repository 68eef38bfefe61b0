"""Shared by the scoring API tests: documents, input builders, multipart uploads, set-ups."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from scoring.assessments.models import Assessment, Cycle
from scoring.templates.document import ItemInput, TemplateContent
from scoring.templates.models import Template
from scoring.templates.service import create_template, publish
from tenants.models import TenantNode
from tests.template_samples import sample_content

ERRORS = "errors { field message code }"
PDF = b"%PDF-1.4\n% evidence of the quarterly safety committee meeting\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CATEGORY = """
code title criteria maxPoints bonus local
indicators {
  code title criteria maxPoints method target floor required source categoryCode
  tiers { minValue points }
  clauses { key kind text points threshold fact }
}
"""
TEMPLATE = f"""
id version state title year totalPoints bonusCap lockVersion publishedAt excelUrl
grades {{ excellent good qualified }}
family {{ code name owner {{ code }} }}
owner {{ code }}
extends {{ id version }}
copiedFrom {{ id version }}
categories {{ {CATEGORY} categories {{ {CATEGORY} categories {{ {CATEGORY} }} }} }}
vetoRules {{ code title text kind }}
problems {{ field message code }}
"""


def gid(type_name: str, db_id: int) -> str:
    return str(GlobalID(type_name, str(db_id)))


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in result, result["errors"]
    return result["data"]


def mutate(gql, name: str, input_type: str, selection: str, input_: dict[str, Any]) -> dict:
    """Run ``name(input: ...)`` and return its payload."""
    query = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}"
    )
    return ok(gql.execute(query, {"input": input_}))[name]


def fields_of(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def node(session: Session, code: str) -> TenantNode:
    session.rollback()  # a fresh snapshot: what requests committed since
    return session.scalars(select(TenantNode).where(TenantNode.code == code)).one()


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def item_input(item: ItemInput) -> dict[str, Any]:
    """One item of a document as GraphQL input (enums by name, amounts as strings)."""
    return {
        "code": item.code,
        "title": item.title,
        "kind": item.kind.name,
        "maxPoints": str(item.max_points),
        "criteria": item.criteria,
        "bonus": item.bonus,
        "local": item.local,
        "method": item.method.name if item.method else None,
        "target": _decimal(item.target),
        "floor": _decimal(item.floor),
        "tiers": [{"minValue": str(t.min_value), "points": str(t.points)} for t in item.tiers],
        "clauses": [
            {
                "key": c.key,
                "kind": c.kind.name,
                "text": c.text,
                "points": str(c.points),
                "threshold": _decimal(c.threshold),
                "fact": c.fact,
            }
            for c in item.clauses
        ],
        "required": item.required,
        "source": item.source,
        "children": [item_input(child) for child in item.children],
    }


def content_input(content: TemplateContent) -> dict[str, Any]:
    """A whole document as the TemplateContentInput of the API."""
    return {
        "title": content.title,
        "year": content.year,
        "totalPoints": str(content.total_points),
        "bonusCap": str(content.bonus_cap),
        "gradeExcellent": str(content.grade_excellent),
        "gradeGood": str(content.grade_good),
        "gradeQualified": str(content.grade_qualified),
        "items": [item_input(item) for item in content.items],
        "vetoRules": [
            {"code": r.code, "title": r.title, "text": r.text, "kind": r.kind.name}
            for r in content.veto_rules
        ],
    }


def upload(
    gql,
    query: str,
    variables: dict[str, Any],
    path: str,
    data: bytes,
    filename: str,
    content_type: str,
    *,
    csrf: bool = True,
):
    """Post an operation with one file as a GraphQL multipart request; the raw response."""
    form = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps({"0": [f"variables.{path}"]}),
        "0": (io.BytesIO(data), filename, content_type),
    }
    headers = {"X-CSRF-Token": gql.csrf_token} if csrf and gql.csrf_token else {}
    response = gql.http.post(
        "/graphql", data=form, content_type="multipart/form-data", headers=headers
    )
    gql.last_response = response
    return response


def published_sample(session: Session, *, family_code: str = "zj-township") -> Template:
    """The sample provincial template, written and published by the system (committed)."""
    province = node(session, "330000")
    template = create_template(
        session,
        None,
        owner_node=province,
        family_code=family_code,
        family_name="浙江省乡镇（街道）安全生产工作考核",
        content=sample_content(),
    )
    publish(session, None, template, expected_version=template.lock_version)
    session.commit()
    return template


OPEN_CYCLE = "cycle { id name state level template { id } owner { code } }"


def open_cycle(
    gql,
    template: Template,
    owner: TenantNode,
    *,
    self_due: datetime = datetime(2099, 1, 31, 16, 0, tzinfo=UTC),
    name: str = "2026年度乡镇安全生产工作考核",
) -> dict[str, Any]:
    """Open a township cycle through the API (as whoever ``gql`` is signed in as)."""
    return mutate(
        gql,
        "openCycle",
        "OpenCycleInput",
        OPEN_CYCLE,
        {
            "templateId": gid("Template", template.id),
            "ownerNodeId": gid("Tenant", owner.id),
            "name": name,
            "level": "TOWNSHIP",
            "periodStart": "2026-01-01",
            "periodEnd": "2026-12-31",
            "selfDue": self_due.isoformat(),
            "reviewDue": datetime(2099, 2, 28, 16, 0, tzinfo=UTC).isoformat(),
        },
    )


def assessment_of(session: Session, cycle_id: str, code: str) -> Assessment:
    """The assessment of unit ``code`` in the cycle with global id ``cycle_id``."""
    session.rollback()
    cycle = session.get_one(Cycle, int(GlobalID.from_id(cycle_id).node_id))
    return session.scalars(
        select(Assessment)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Assessment.cycle_id == cycle.id, TenantNode.code == code)
    ).one()


# Every required indicator of the sample filled (deductions need no input: none happened).
FULL_ENTRIES = [
    {"itemCode": "1.2", "value": "95"},
    {"itemCode": "1.3", "done": True, "note": "4 meetings: minutes attached"},
    {"itemCode": "2.1", "value": "96"},
    {"itemCode": "3.1.1", "value": "100"},
    {"itemCode": "3.2.1", "points": "6"},
    {"itemCode": "4.1", "value": "100"},
    {"itemCode": "6.1", "done": True},
    {"itemCode": "8.1", "points": "0"},
    {"itemCode": "8.2", "points": "2"},
    {"itemCode": "2.2", "counts": [{"key": "a", "count": 1}]},
]
REQUIRED_CODES = ["1.2", "1.3", "2.1", "3.1.1", "3.2.1", "4.1", "6.1", "8.1", "8.2"]
