"""Spot-check draws (双随机, 一公开) on both backends: an assessor of Nanhu draws among its
townships in a cycle, by kind, with inspectors from the office and from other townships; the
same seed draws the same; a unit criticised in the previous cycle weighs more; the draw stays
with the offices until published, then every unit under Nanhu reads it, and no other; every
refusal names its field and saves nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.cycles import open_cycle
from scoring.assessments.models import AssessmentState, Cycle
from scoring.spotchecks.draws import Stratum, draw_spot_checks, publish_draw, reproduces
from scoring.spotchecks.models import SpotCheckDraw, SpotCheckDrawTarget
from scoring.spotchecks.reading import draws_visible_to, readable, targets_of
from scoring.templates.models import Template
from tenants.models import Role, TenantKind
from tests.factories.assessments import assessment_of
from tests.factories.checks import count, problems_of
from tests.factories.tenants import actor, add_user, node, scoped_session, user

D = Decimal
DRAWN = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
INSPECTORS = ("nanhu-office", "xjd-clerk", "qixing-clerk", "330402010-clerk")


def inspectors(session: Session, *names: str):
    return [user(session, name) for name in names or INSPECTORS]


def make_draw(session: Session, cycle: Cycle, *, who: str = "nanhu-office", **changes):
    values = {
        "inspectors": inspectors(session),
        "scope": node(session, "330402"),
        "seed": "2026-09-01 南湖区第一批",
        "strata": [Stratum(TenantKind.STREET, 3), Stratum(TenantKind.TOWN, 2)],
        "inspectors_per_target": 2,
        "now": DRAWN,
    }
    return draw_spot_checks(session, actor(session, who), cycle, **(values | changes))


def test_a_draw_by_kind_with_inspectors_never_on_their_own_unit(world: Session, cycle: Cycle):
    drawn = make_draw(world, cycle)
    world.commit()
    targets = targets_of(world, drawn.id)
    assert [(t.stratum, t.position) for t in targets] == [
        ("street", 1),
        ("street", 2),
        ("street", 3),
        ("town", 1),
        ("town", 2),
    ]
    homes = {
        u.id: node(world, c).path
        for u, c in (
            (user(world, "nanhu-office"), "330402"),
            (user(world, "xjd-clerk"), "330402901"),
            (user(world, "qixing-clerk"), "330402015"),
            (user(world, "330402010-clerk"), "330402010"),
        )
    }
    for target in targets:
        unit = node(world, target.unit_code)
        assert unit.kind.value == target.stratum and unit.parent_id == node(world, "330402").id
        assert assessment_of(world, cycle, target.unit_code).id == target.assessment_id
        assert len(target.inspectors) == 2
        for inspector in target.inspectors:
            assert not homes[inspector["user_id"]].startswith(unit.path)
        assert (target.weight, target.criticised_in) == (D(1), None)
    assert drawn.published_at is None and drawn.drawn_by_id == user(world, "nanhu-office").id
    assert reproduces(drawn, targets)

    # The same seed draws the same; another seed (almost surely) not.
    again = make_draw(world, cycle)
    world.commit()
    assert [(t.unit_id, t.position, t.inspectors) for t in targets_of(world, again.id)] == [
        (t.unit_id, t.position, t.inspectors) for t in targets
    ]
    other = make_draw(world, cycle, seed="another seed")
    assert [t.unit_id for t in targets_of(world, other.id)] != [t.unit_id for t in targets]


def test_a_draw_without_a_seed_gets_one_and_a_tampered_draw_does_not_reproduce(
    world: Session, cycle: Cycle
):
    drawn = make_draw(world, cycle, seed=None, strata=(), target_count=4)
    world.commit()
    assert len(drawn.seed) == 16
    targets = targets_of(world, drawn.id)
    assert {t.stratum for t in targets} == {"all"} and len(targets) == 4
    assert reproduces(drawn, targets)
    targets[0].unit_id, targets[1].unit_id = targets[1].unit_id, targets[0].unit_id
    targets[0].position, targets[1].position = targets[1].position, targets[0].position
    targets[0].inspectors = targets[1].inspectors
    assert not reproduces(drawn, targets)
    world.rollback()


def test_a_unit_criticised_in_the_previous_cycle_weighs_more(world: Session, cycle: Cycle):
    template = world.get_one(Template, cycle.template_id)
    before = open_cycle(
        world,
        None,
        template=template,
        owner_node=node(world, "330402"),
        name="2025 township assessment",
        level=cycle.level,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        self_due=datetime(2026, 1, 10, tzinfo=UTC),
        review_due=datetime(2026, 1, 20, tzinfo=UTC),
    )
    world.flush()
    for code, state, grade in (
        ("330402015", AssessmentState.FINAL, "unqualified"),
        ("330402901", AssessmentState.REVIEWED, "unqualified"),  # not final: not criticised
        ("330402100", AssessmentState.FINAL, "good"),
    ):
        row = assessment_of(world, before, code)
        row.state, row.grade = state, grade
    world.commit()
    drawn = make_draw(world, cycle, strata=(), target_count=14, criticised_weight=D(3))
    world.commit()
    targets = {t.unit_code: t for t in targets_of(world, drawn.id)}
    assert len(targets) == 14  # every township of Nanhu
    assert targets["330402015"].weight == D(3)
    assert targets["330402015"].criticised_in == "2025 township assessment"
    assert targets["330402015"].reason == "graded unqualified in 2025 township assessment"
    assert {c for c, t in targets.items() if t.weight != 1} == {"330402015"}
    assert drawn.criticised_weight == D(3)


def test_the_draw_is_the_offices_until_published_then_every_unit_under_the_scope_s(
    world: Session, cycle: Cycle, sessions
):
    add_user(world, "330411", "xiuzhou-clerk", Role.SUBMITTER)
    add_user(world, "330400", "jx-viewer", Role.VIEWER)
    world.commit()
    drawn = make_draw(world, cycle)
    world.commit()

    def sees(username: str) -> bool:
        who = actor(world, username)
        with scoped_session(sessions, who) as session:
            listed = list(session.scalars(draws_visible_to(session, who)))
            one = session.get(SpotCheckDraw, drawn.id)
            assert (one is not None and readable(session, who, one)) == bool(listed)
            return [d.id for d in listed] == [drawn.id]

    offices = ("nanhu-office", "jx-office", "zj-office", "jx-viewer")
    units_below = ("xjd-clerk", "qixing-clerk")
    outsiders = ("xiuzhou-clerk", "sc-office")
    assert [sees(u) for u in offices + units_below + outsiders] == [True] * 4 + [False] * 4

    # Only an assessor of the scope publishes, once.
    with pytest.raises(DomainError) as refused:
        publish_draw(world, actor(world, "xjd-clerk"), drawn)
    assert problems_of(refused) == [("drawId", ErrorCode.PERMISSION_DENIED)]
    publish_draw(world, actor(world, "nanhu-office"), drawn, now=DRAWN)
    world.commit()
    assert drawn.published_by_id == user(world, "nanhu-office").id
    assert [sees(u) for u in offices + units_below + outsiders] == [True] * 6 + [False] * 2
    with pytest.raises(DomainError) as refused:
        publish_draw(world, actor(world, "nanhu-office"), drawn)
    assert problems_of(refused) == [("drawId", ErrorCode.INVALID_STATE)]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"strata": [Stratum(TenantKind.STREET, 10)]}, [("strata[0].count", ErrorCode.INVALID)]),
        (
            {"strata": [Stratum(TenantKind.TOWN, 1), Stratum(TenantKind.TOWN, 1)]},
            [("strata[1].kind", ErrorCode.DUPLICATE)],
        ),
        ({"strata": [Stratum(TenantKind.ENTERPRISE, 1)]}, [("strata[0].count", ErrorCode.INVALID)]),
        ({"target_count": 2}, [("strata", ErrorCode.INVALID)]),
        ({"strata": ()}, [("targetCount", ErrorCode.REQUIRED)]),
        ({"strata": (), "target_count": 0}, [("targetCount", ErrorCode.INVALID)]),
        ({"inspectors_per_target": 0}, [("inspectorsPerTarget", ErrorCode.INVALID)]),
        ({"inspectors_per_target": 5}, [("inspectorsPerTarget", ErrorCode.INVALID)]),
        ({"criticised_weight": D("0.5")}, [("criticisedWeight", ErrorCode.INVALID)]),
        ({"seed": "x" * 101}, [("seed", ErrorCode.INVALID)]),
        ({"inspectors": []}, [("inspectorIds", ErrorCode.REQUIRED)]),
        ({"who": "xjd-clerk"}, [("scopeId", ErrorCode.PERMISSION_DENIED)]),
    ],
)
def test_refusals_name_the_field_and_save_nothing(
    world: Session, cycle: Cycle, changes: dict, expected: list
):
    with pytest.raises(DomainError) as refused:
        make_draw(world, cycle, **changes)
    assert problems_of(refused) == expected
    world.rollback()
    assert count(world, SpotCheckDraw) == count(world, SpotCheckDrawTarget) == 0


def test_inspectors_who_would_check_their_own_unit_are_refused(world: Session, cycle: Cycle):
    # Two clerks for all 14 townships, two each: the clerks' own townships lack a second one.
    with pytest.raises(DomainError) as refused:
        make_draw(
            world,
            cycle,
            inspectors=inspectors(world, "xjd-clerk", "qixing-clerk"),
            strata=(),
            target_count=14,
        )
    assert problems_of(refused) == [("inspectorIds", ErrorCode.INVALID)]
    assert "without checking their own unit" in str(refused.value)
    assert "330402901 (1 belong to it)" in str(refused.value)
    duplicate = inspectors(world, "xjd-clerk", "xjd-clerk")
    with pytest.raises(DomainError) as refused:
        make_draw(world, cycle, inspectors=duplicate, inspectors_per_target=1)
    assert problems_of(refused) == [("inspectorIds[1]", ErrorCode.DUPLICATE)]


def test_a_scope_outside_the_cycle_is_refused(world: Session, cycle: Cycle):
    with pytest.raises(DomainError) as refused:
        make_draw(world, cycle, who="jx-office", scope=node(world, "330411"))
    assert problems_of(refused) == [("scopeId", ErrorCode.INVALID)]


def test_the_demo_publishes_a_draw_of_jiaxing_s_counties(whole_demo: Session):
    from redline.demo.draws import DEMO_SEED, load_demo_draws

    drawn = load_demo_draws(whole_demo)
    targets = targets_of(whole_demo, drawn.id)
    assert drawn.seed == DEMO_SEED and drawn.published_at is not None
    assert sorted(t.stratum for t in targets) == ["county", "county_city", "district"]
    assert all(len(t.inspectors) == 2 for t in targets)
    assert reproduces(drawn, targets)
    for target in targets:
        for inspector in target.inspectors:
            assert not inspector["unit_code"].startswith(target.unit_code)
    # Published: a township clerk under Jiaxing reads it.
    clerk = actor(whole_demo, "xjd-clerk")
    seen = list(whole_demo.scalars(draws_visible_to(whole_demo, clerk)))
    assert [d.id for d in seen] == [drawn.id]
