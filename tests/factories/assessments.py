"""Assessments: the sample cycle, a unit's assessment, full entries, a filled cycle, submissions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from redline.db import unit_of_work
from scoring.assessments.cycles import open_cycle
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.review import ReviewInput, complete_review, review_entries
from scoring.templates.models import Template
from tenants.access import Actor
from tenants.models import TenantLevel, TenantNode
from tests.factories.templates import INDICATOR_CODES, published_template
from tests.factories.tenants import node

D = Decimal


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
    units: Sequence[str] = (),
) -> Cycle:
    """A cycle over the ``level`` units below ``owner_code`` (or the ``units`` of these codes)
    with the sample template of the province (written first if not given); opened by the
    system unless ``by`` is given."""
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
        units=[node(session, code) for code in units],
    )


def assessment_of(session: Session, cycle: Cycle | str, code: str) -> Assessment:
    """The assessment of the unit ``code`` in ``cycle``: the row, or its global id as the API
    answered it (then read after ending the session's transaction: what requests committed)."""
    if isinstance(cycle, str):
        session.rollback()
        cycle_id = int(GlobalID.from_id(cycle).node_id)
    else:
        cycle_id = cycle.id
    return session.scalars(
        select(Assessment)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Assessment.cycle_id == cycle_id, TenantNode.code == code)
    ).one()


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


def entry_inputs(entries: list[dict[str, Any]], **extra: Any) -> list[EntryInput]:
    """Entries given as the API's input (``FULL_ENTRIES``) as the service's; ``extra`` fields
    (a note) on every one."""
    return [
        EntryInput(
            item_code=e["itemCode"],
            value=D(e["value"]) if "value" in e else None,
            done=e.get("done"),
            points=D(e["points"]) if "points" in e else None,
            counts={c["key"]: c["count"] for c in e["counts"]} if "counts" in e else None,
            **extra,
        )
        for e in entries
    ]


def filled_cycle(session: Session) -> tuple[Cycle, list[Assessment]]:
    """Nanhu's townships in a fresh cycle, each with a full self-assessment (drafts), their
    scores apart (1.1 scores 0..9 points, so some tie)."""
    with unit_of_work(session):
        cycle = open_sample_cycle(session)
    assessments = list(
        session.scalars(
            select(Assessment).where(Assessment.cycle_id == cycle.id).order_by(Assessment.id)
        )
    )
    for index, assessment in enumerate(assessments):
        entries = full_entries(e1_1=EntryInput("1.1", points=D(index % 10)))
        with unit_of_work(session):
            save_entries(session, None, assessment, entries, expected_version=assessment.version)
    return cycle, assessments


def submit_all(session: Session, assessments: list[Assessment]) -> None:
    """Every assessment submitted, each in its own transaction (as clerks do)."""
    for assessment in assessments:
        with unit_of_work(session):
            submit(session, None, assessment, expected_version=assessment.version)


def jiaxing_townships(
    session: Session, template: Template, codes: Sequence[str], year: int = 2026
) -> Cycle:
    """Jiaxing's township cycle of ``year`` and ``template`` over the units of these codes
    (due early the next year), committed."""
    cycle = open_cycle(
        session,
        None,
        template=template,
        owner_node=node(session, "330400"),
        name=f"{year} Jiaxing townships",
        level=TenantLevel.TOWNSHIP,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        self_due=datetime(year + 1, 1, 31, 16, 0, tzinfo=UTC),
        review_due=datetime(year + 1, 2, 28, 16, 0, tzinfo=UTC),
        units=[node(session, code) for code in codes],
    )
    session.commit()
    return cycle


def review_all(session: Session, office: Actor, assessment: Assessment) -> None:
    """Confirm every indicator of the sample template as entered and complete the review."""
    review_entries(
        session,
        office,
        assessment,
        [ReviewInput(c) for c in INDICATOR_CODES],
        expected_version=assessment.version,
    )
    complete_review(session, office, assessment, expected_version=assessment.version)
