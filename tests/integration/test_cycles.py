"""Opening and closing assessment cycles on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.cycles import close_cycle, open_cycle
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.models import Assessment, AssessmentState, Cycle, CycleState
from scoring.assessments.review import finalise
from scoring.templates.models import Template, TemplateState
from tenants.models import TenantKind, TenantLevel, TenantNode
from tests.factories.assessments import full_entries, open_sample_cycle, review_all
from tests.factories.checks import count, problems_of
from tests.factories.templates import published_template
from tests.factories.tenants import actor, node, scoped_session

SELF_DUE = datetime(2027, 1, 31, 16, 0, tzinfo=UTC)
REVIEW_DUE = datetime(2027, 2, 28, 16, 0, tzinfo=UTC)


@pytest.fixture
def template(world: Session) -> Template:
    template = published_template(world, node(world, "330000"))
    world.commit()
    return template


def opened(session: Session, who: str | None, template: Template, owner: str, level, **changes):
    values = {
        "template": template,
        "owner_node": node(session, owner),
        "name": "2026 assessment",
        "level": level,
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "self_due": SELF_DUE,
        "review_due": REVIEW_DUE,
    } | changes
    return open_cycle(session, actor(session, who) if who else None, **values)


def participants(session: Session, cycle: Cycle) -> list[str]:
    return list(
        session.scalars(
            select(TenantNode.code)
            .join(Assessment, Assessment.node_id == TenantNode.id)
            .where(Assessment.cycle_id == cycle.id)
            .order_by(TenantNode.code)
        )
    )


def test_one_draft_assessment_per_unit_of_the_level(world: Session, template: Template):
    office = actor(world, "jx-office")
    cycle = opened(world, "jx-office", template, "330402", TenantLevel.TOWNSHIP)
    world.commit()
    assert (cycle.state, cycle.opened_by_id, cycle.template_id) == (
        CycleState.OPEN,
        office.user_id,
        template.id,
    )
    expected = world.scalars(
        select(TenantNode.code)
        .where(TenantNode.parent_id == node(world, "330402").id)
        .order_by(TenantNode.code)
    ).all()
    assert participants(world, cycle) == expected and len(expected) == 14
    rows = world.scalars(select(Assessment).where(Assessment.cycle_id == cycle.id)).all()
    assert {(a.state, a.version, a.late, a.vetoed) for a in rows} == {
        (AssessmentState.DRAFT, 1, False, False)
    }
    assert {a.customer_id for a in rows} == {template.customer_id}


def test_departments_of_the_level_take_part_too(world: Session, template: Template):
    cycle = opened(world, "zj-office", template, "330000", TenantLevel.CITY)
    assert participants(world, cycle) == ["330100", "330400", "330400-YJJ", "330500", "330600"]


def test_a_cycle_over_some_kinds_or_chosen_units_only(world: Session, template: Template):
    """A province assesses only its cities' departments, or the cities it chooses."""
    departments = opened(
        world, "zj-office", template, "330000", TenantLevel.CITY, kinds=(TenantKind.DEPARTMENT,)
    )
    assert participants(world, departments) == ["330400-YJJ"]
    chosen = [node(world, "330500"), node(world, "330100")]
    cycle = opened(world, "zj-office", template, "330000", TenantLevel.CITY, units=chosen)
    assert participants(world, cycle) == ["330100", "330500"]
    both = opened(
        world,
        "zj-office",
        template,
        "330000",
        TenantLevel.CITY,
        kinds=(TenantKind.CITY,),
        units=[node(world, "330400")],
    )
    assert participants(world, both) == ["330400"]


def test_chosen_units_must_qualify_and_nothing_is_saved(world: Session, template: Template):
    cycles = count(world, Cycle)
    with pytest.raises(DomainError) as error:
        opened(
            world,
            "zj-office",
            template,
            "330000",
            TenantLevel.CITY,
            kinds=(TenantKind.CITY,),
            # A department (not of the kinds), a county (not of the level), one chosen twice.
            units=[node(world, "330400-YJJ"), node(world, "330402"), *[node(world, "330100")] * 2],
        )
    assert problems_of(error) == [
        ("unitIds[0]", ErrorCode.INVALID),
        ("unitIds[1]", ErrorCode.INVALID),
        ("unitIds[3]", ErrorCode.DUPLICATE),
    ]
    assert "330402 is not a city-level unit of kind city under 330000" in str(error.value)
    with pytest.raises(DomainError) as error:
        opened(
            world, "zj-office", template, "330402", TenantLevel.TOWNSHIP, kinds=(TenantKind.CITY,)
        )
    assert problems_of(error) == [("kinds", ErrorCode.INVALID)]
    world.rollback()
    assert count(world, Cycle) == cycles


def test_a_city_may_run_the_provinces_template_not_the_reverse(world: Session, template: Template):
    cycle = opened(world, "jx-office", template, "330400", TenantLevel.COUNTY)
    assert len(participants(world, cycle)) == 7
    city_template = published_template(world, node(world, "330400"), code="jx-towns")
    with pytest.raises(DomainError) as error:
        opened(world, "zj-office", city_template, "330000", TenantLevel.COUNTY)
    assert problems_of(error) == [("templateId", ErrorCode.INVALID)]
    with pytest.raises(DomainError) as error:
        opened(world, "zj-office", city_template, "330500", TenantLevel.COUNTY)
    assert problems_of(error) == [("templateId", ErrorCode.INVALID)]


def test_every_bad_input_is_named_and_nothing_is_saved(world: Session, template: Template):
    draft = published_template(
        world, node(world, "330000"), code="draft", state=TemplateState.DRAFT
    )
    world.commit()
    before = (count(world, Cycle), count(world, Assessment))
    with pytest.raises(DomainError) as error:
        opened(
            world,
            "zj-office",
            draft,
            "330402",
            TenantLevel.CITY,  # Nanhu is a county: the level must be its own or below it
            name="  ",
            period_start=date(2026, 12, 31),
            period_end=date(2026, 1, 1),
            self_due=datetime(2027, 1, 31),  # no time zone
        )
    assert problems_of(error) == [
        ("name", ErrorCode.REQUIRED),
        ("templateId", ErrorCode.INVALID_STATE),
        ("level", ErrorCode.INVALID),
        ("periodEnd", ErrorCode.INVALID),
        ("selfDue", ErrorCode.INVALID),
    ]
    with pytest.raises(DomainError) as error:
        opened(
            world,
            "zj-office",
            template,
            "330402",
            TenantLevel.TOWNSHIP,
            self_due=REVIEW_DUE,
            review_due=SELF_DUE,
        )
    assert problems_of(error) == [("reviewDue", ErrorCode.INVALID)]
    with pytest.raises(DomainError) as error:  # Jiashan has no township in the demo places
        opened(world, "zj-office", template, "330421", TenantLevel.TOWNSHIP)
    assert problems_of(error) == [("level", ErrorCode.INVALID)]
    assert "no township-level unit under 330421" in error.value.problems[0].message
    world.rollback()
    assert (count(world, Cycle), count(world, Assessment)) == before


@pytest.mark.parametrize("who", ["nanhu-office", "xjd-clerk", "zj-leader", "sc-office"])
def test_only_an_admin_of_the_owner_opens_a_cycle(world: Session, template: Template, who: str):
    with pytest.raises(DomainError) as error:
        opened(world, who, template, "330402", TenantLevel.TOWNSHIP)
    assert problems_of(error) == [("ownerNodeId", ErrorCode.PERMISSION_DENIED)]
    assert count(world, Cycle) == 0


def test_opening_takes_the_same_statements_for_3_or_300_units(
    world: Session, template: Template, statement_counter: list[str]
):
    """One INSERT for all the assessments: the count must not grow with the participants."""
    office = actor(world, "zj-office")
    jiashan = node(world, "330421")  # no township in the demo places: give it 300
    world.add_all(
        TenantNode(
            customer_id=jiashan.customer_id,
            parent_id=jiashan.id,
            code=f"330421{n:03d}",
            name_zh=f"镇{n}",
            name_en=f"Town {n}",
            level=TenantLevel.TOWNSHIP,
            kind=TenantKind.TOWN,
            path=f"{jiashan.path}330421{n:03d}/",
            depth=jiashan.depth + 1,
        )
        for n in range(300)
    )
    world.commit()
    owners = {code: node(world, code) for code in ("330000", "330402", "330411", "330421")}
    world.get_one(TenantNode, template.owner_node_id)  # every node is loaded before counting
    counts = []
    for owner, level in (
        ("330411", TenantLevel.TOWNSHIP),  # 3 towns
        ("330402", TenantLevel.TOWNSHIP),  # 14
        ("330421", TenantLevel.TOWNSHIP),  # 300
        ("330000", TenantLevel.TOWNSHIP),  # every Zhejiang township: 317
    ):
        statement_counter.clear()
        cycle = open_cycle(
            world,
            office,
            template=template,
            owner_node=owners[owner],
            name=f"{owner} {level.value}s",
            level=level,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            self_due=SELF_DUE,
            review_due=REVIEW_DUE,
        )
        world.flush()
        statements = len(statement_counter)
        counts.append((statements, len(participants(world, cycle))))
    assert sorted(units for _, units in counts) == [3, 14, 300, 317], counts
    assert len({statements for statements, _ in counts}) == 1, counts
    # the participants, the cycle, the assessments
    assert counts[0][0] == 3, counts


def test_a_scoped_admin_opens_a_cycle(sessions, world: Session, template: Template):
    """Through the request's scoped session (on PostgreSQL under row-level security)."""
    office = actor(world, "jx-office")
    with scoped_session(sessions, office) as session:
        cycle = open_cycle(
            session,
            office,
            template=session.get_one(Template, template.id),
            owner_node=node(session, "330402"),
            name="Nanhu townships 2026",
            level=TenantLevel.TOWNSHIP,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            self_due=SELF_DUE,
            review_due=REVIEW_DUE,
        )
        session.commit()
        assert len(participants(session, cycle)) == 14


# --- closing ---------------------------------------------------------------------------------


def test_a_cycle_closes_once_every_assessment_is_final(world: Session, template: Template):
    cycle = open_sample_cycle(world, owner_code="330411", template=template)
    world.commit()
    office = actor(world, "jx-office")
    with pytest.raises(DomainError) as error:
        close_cycle(world, office, cycle)
    assert problems_of(error) == [("cycleId", ErrorCode.INVALID_STATE)]
    assert "3 of its assessments are not final" in error.value.problems[0].message

    assessments = world.scalars(select(Assessment).where(Assessment.cycle_id == cycle.id)).all()
    for done, assessment in enumerate(assessments, start=1):
        save_entries(world, None, assessment, full_entries(), expected_version=1)
        submit(world, None, assessment, expected_version=assessment.version)
        review_all(world, office, assessment)
        finalise(world, office, assessment)
        world.commit()
        if done < len(assessments):
            with pytest.raises(DomainError) as error:
                close_cycle(world, office, cycle)
            left = len(assessments) - done
            assert f"{left} of its assessments are not final" in error.value.problems[0].message

    with pytest.raises(DomainError) as error:
        close_cycle(world, actor(world, "nanhu-office"), cycle)
    assert problems_of(error) == [("cycleId", ErrorCode.PERMISSION_DENIED)]
    close_cycle(world, office, cycle)
    world.commit()
    assert cycle.state is CycleState.CLOSED
    with pytest.raises(DomainError) as error:
        close_cycle(world, office, cycle)
    assert problems_of(error) == [("cycleId", ErrorCode.INVALID_STATE)]
