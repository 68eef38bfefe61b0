"""The template service on both backends: every validation rule, publication, versions and
copies, optimistic locking, permissions, city extensions, and the engine scoring a stored
template end to end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.errors import DomainError, ErrorCode
from scoring import engine
from scoring.engine import ClauseKind, Method
from scoring.templates.document import (
    ClauseInput,
    GradeNames,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
    walk_items,
)
from scoring.templates.models import ItemKind, Template, TemplateFamily, TemplateItem, TemplateState
from scoring.templates.service import (
    archive,
    create_template,
    extend_template,
    new_version,
    publish,
    update_draft,
)
from scoring.templates.storage import engine_template, load_template, template_content
from scoring.templates.validation import content_problems, publication_problems, template_problems
from tenants.access import Actor
from tenants.models import Role
from tenants.scope import scoped
from tests.factories.checks import count
from tests.factories.templates import (
    BONUS_CATEGORY,
    LOCAL_CATEGORY,
    change,
    local_indicator,
    sample_content,
    with_local,
)
from tests.factories.tenants import actor, add_user, node

C = ItemKind.CATEGORY
I = ItemKind.INDICATOR  # noqa: E741
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


# --- helpers --------------------------------------------------------------------------------


def path_of(content: TemplateContent, code: str) -> str:
    """The input path of the item with ``code`` ("content.items[0].children[1]")."""
    for path, item, _ in walk_items(content.items):
        if item.code == code:
            return path
    raise KeyError(code)


def item_of(content: TemplateContent, code: str) -> ItemInput:
    for _, item, _ in walk_items(content.items):
        if item.code == code:
            return item
    raise KeyError(code)


def remove(content: TemplateContent, code: str) -> TemplateContent:
    def walk(items: tuple[ItemInput, ...]) -> tuple[ItemInput, ...]:
        return tuple(
            replace(item, children=walk(item.children)) for item in items if item.code != code
        )

    return replace(content, items=walk(content.items))


def problems(error: pytest.ExceptionInfo[DomainError]) -> set[tuple[str | None, ErrorCode]]:
    return {(p.field, p.code) for p in error.value.problems}


def problems_of(found: list) -> set[tuple[str | None, ErrorCode]]:
    return {(p.field, p.code) for p in found}


def fields(found: list) -> set[str | None]:
    return {p.field for p in found}


@pytest.fixture
def people(world: Session) -> dict[str, Actor]:
    """Demo actors, plus a template author and a leader (no author role) for Jiaxing."""
    add_user(
        world,
        "330400",
        "jx-author",
        Role.TEMPLATE_AUTHOR,
        display_name="嘉兴市安委办 template author",
        password="redline-demo-author",
    )
    add_user(
        world,
        "330400",
        "jx-leader",
        Role.VIEWER,
        display_name="嘉兴市 leader",
        password="redline-demo-leader",
    )
    world.commit()
    names = (
        "zj-office",
        "jx-author",
        "jx-leader",
        "jx-office",
        "xjd-clerk",
        "sc-office",
        "nanhu-office",
    )
    actors = {name: actor(world, name) for name in names}
    # End the read transaction: on SQLite a snapshot kept open would hide later commits.
    world.commit()
    return actors


@pytest.fixture
def acting(sessions):
    """``with acting(actor) as s``: a request-like scoped session, committed at the end."""

    @contextmanager
    def open_as(who: Actor) -> Iterator[Session]:
        with scoped(sessions(), who.scope) as session, unit_of_work(session):
            yield session

    return open_as


def create(session: Session, who: Actor | None, content: TemplateContent | None = None, **kw):
    return create_template(
        session,
        who,
        owner_node=node(session, kw.pop("owner", "330000")),
        family_code=kw.pop("family_code", "zj-county"),
        family_name=kw.pop("family_name", "浙江省县（市、区）安全生产工作考核"),
        content=content or sample_content(),
    )


@pytest.fixture
def published(world: Session, people, acting) -> int:
    """Zhejiang's sample template, published by the provincial office; its id."""
    with acting(people["zj-office"]) as s:
        template = create(s, people["zj-office"])
        publish(s, people["zj-office"], template, expected_version=1, now=NOW)
        return template.id


# --- structure rules (every save) -----------------------------------------------------------

SAMPLE = sample_content()
P11 = path_of(SAMPLE, "1.1")  # deduction
P12 = path_of(SAMPLE, "1.2")  # ratio
P13 = path_of(SAMPLE, "1.3")  # boolean
P21 = path_of(SAMPLE, "2.1")  # tiers
P22 = path_of(SAMPLE, "2.2")  # deduction with fact and cascade
P81 = path_of(SAMPLE, "8.1")  # bonus
P1, P3, P8 = path_of(SAMPLE, "1"), path_of(SAMPLE, "3"), path_of(SAMPLE, BONUS_CATEGORY)
R, DUP, INV = ErrorCode.REQUIRED, ErrorCode.DUPLICATE, ErrorCode.INVALID
TIERS_21 = item_of(SAMPLE, "2.1").tiers
CLAUSES_22 = item_of(SAMPLE, "2.2").clauses

STRUCTURE_CASES = {
    "empty code": (change(SAMPLE, "1.2", code=" "), f"{P12}.code", R),
    "duplicate item code": (change(SAMPLE, "1.3", code="1.2"), f"{P13}.code", DUP),
    "category and indicator share a code": (change(SAMPLE, "1.1", code="3"), f"{P3}.code", DUP),
    "duplicate veto code": (
        replace(SAMPLE, veto_rules=(*SAMPLE.veto_rules, VetoRuleInput("V1", "again"))),
        "content.vetoRules[4].code",
        DUP,
    ),
    "empty veto title": (
        replace(SAMPLE, veto_rules=(VetoRuleInput("V9", ""),)),
        "content.vetoRules[0].title",
        R,
    ),
    "empty item title": (change(SAMPLE, "1", title=""), f"{P1}.title", R),
    "empty template title": (replace(SAMPLE, title="  "), "content.title", R),
    "zero max points": (change(SAMPLE, "1.3", max_points=D(0)), f"{P13}.maxPoints", INV),
    "negative max points": (change(SAMPLE, "1", max_points=D(-20)), f"{P1}.maxPoints", INV),
    "max points in thousandths": (
        change(SAMPLE, "1.3", max_points=D("6.005")),
        f"{P13}.maxPoints",
        INV,
    ),
    "max points not a number": (change(SAMPLE, "1.3", max_points="six"), f"{P13}.maxPoints", INV),
    "category with a method": (change(SAMPLE, "1", method=Method.MANUAL), f"{P1}.method", INV),
    "category with tiers": (change(SAMPLE, "1", tiers=TIERS_21), f"{P1}.tiers", INV),
    "indicator without a method": (change(SAMPLE, "1.3", method=None), f"{P13}.method", R),
    "unknown method": (change(SAMPLE, "1.3", method="guess"), f"{P13}.method", INV),
    "ratio without a target": (change(SAMPLE, "1.2", target=None), f"{P12}.target", R),
    "ratio target zero": (change(SAMPLE, "1.2", target=D(0)), f"{P12}.target", INV),
    "ratio floor at the target": (change(SAMPLE, "1.2", floor=D(100)), f"{P12}.floor", INV),
    "target on a boolean": (change(SAMPLE, "1.3", target=D(100)), f"{P13}.target", INV),
    "tiers without a tier": (change(SAMPLE, "2.1", tiers=()), f"{P21}.tiers", R),
    "tier thresholds rising": (
        change(SAMPLE, "2.1", tiers=(TIERS_21[1], TIERS_21[0], *TIERS_21[2:])),
        f"{P21}.tiers[1].minValue",
        INV,
    ),
    "equal tier thresholds": (
        change(SAMPLE, "2.1", tiers=(TierInput(D(95), D(10)), TierInput(D(95), D(8)))),
        f"{P21}.tiers[1].minValue",
        INV,
    ),
    "lower tier earns more": (
        change(SAMPLE, "2.1", tiers=(TierInput(D(95), D(5)), TierInput(D(90), D(8)))),
        f"{P21}.tiers[1].points",
        INV,
    ),
    "tier above max": (
        change(SAMPLE, "2.1", tiers=(TierInput(D(95), D(11)),)),
        f"{P21}.tiers[0].points",
        INV,
    ),
    "negative tier points": (
        change(SAMPLE, "2.1", tiers=(TierInput(D(95), D(5)), TierInput(D(90), D(-1)))),
        f"{P21}.tiers[1].points",
        INV,
    ),
    "tiers on a manual indicator": (
        change(SAMPLE, "1.3", method=Method.MANUAL, tiers=TIERS_21),
        f"{P13}.tiers",
        INV,
    ),
    "deduction without clauses": (change(SAMPLE, "1.1", clauses=()), f"{P11}.clauses", R),
    "duplicate clause key": (
        change(SAMPLE, "2.2", clauses=(CLAUSES_22[0], replace(CLAUSES_22[2], key="a"))),
        f"{P22}.clauses[1].key",
        DUP,
    ),
    "per-occurrence clause without points": (
        change(
            SAMPLE,
            "1.1",
            clauses=(ClauseInput("a", ClauseKind.PER_OCCURRENCE, "deduct per unit", D(0)),),
        ),
        f"{P11}.clauses[0].points",
        INV,
    ),
    "fixed clause with negative points": (
        change(SAMPLE, "1.1", clauses=(ClauseInput("a", ClauseKind.FIXED, "deduct", D(-1)),)),
        f"{P11}.clauses[0].points",
        INV,
    ),
    "zero clause with points": (
        change(SAMPLE, "1.1", clauses=(ClauseInput("a", ClauseKind.ZERO, "no system", D(2)),)),
        f"{P11}.clauses[0].points",
        INV,
    ),
    "clause without its text": (
        change(SAMPLE, "1.1", clauses=(ClauseInput("a", ClauseKind.FIXED, "", D(1)),)),
        f"{P11}.clauses[0].text",
        R,
    ),
    "cascade without threshold": (
        change(SAMPLE, "2.2", clauses=(*CLAUSES_22[:2], replace(CLAUSES_22[2], threshold=None))),
        f"{P22}.clauses[2].threshold",
        R,
    ),
    "cascade threshold zero": (
        change(SAMPLE, "2.2", clauses=(*CLAUSES_22[:2], replace(CLAUSES_22[2], threshold=D(0)))),
        f"{P22}.clauses[2].threshold",
        INV,
    ),
    "threshold on a fixed clause": (
        change(SAMPLE, "2.2", clauses=(replace(CLAUSES_22[1], threshold=D(2)), CLAUSES_22[2])),
        f"{P22}.clauses[0].threshold",
        INV,
    ),
    "a fact named by one clause": (
        change(SAMPLE, "2.2", clauses=(CLAUSES_22[0], replace(CLAUSES_22[1], fact="other"))),
        f"{P22}.clauses[0].fact",
        INV,
    ),
    "an extra clause within its item": (
        change(SAMPLE, "1.1", clauses=(ClauseInput("a", ClauseKind.EXTRA, "加扣5分", D(5)),)),
        f"{P11}.clauses[0].scope",
        INV,
    ),
    "an extra clause naming a fact": (
        change(
            SAMPLE,
            "1.1",
            clauses=(
                ClauseInput("a", ClauseKind.EXTRA, "加扣5分", D(5), fact="x", scope="template"),
                ClauseInput("b", ClauseKind.FIXED, "扣1分", D(1), fact="x"),
            ),
        ),
        f"{P11}.clauses[0].fact",
        INV,
    ),
    "a fixed clause deducting beyond its item": (
        change(
            SAMPLE,
            "1.1",
            clauses=(ClauseInput("a", ClauseKind.FIXED, "扣1分", D(1), scope="category"),),
        ),
        f"{P11}.clauses[0].scope",
        INV,
    ),
    "a judgement without points": (
        change(SAMPLE, "1.1", clauses=(ClauseInput("a", ClauseKind.JUDGEMENT, "酌情扣分", D(0)),)),
        f"{P11}.clauses[0].points",
        INV,
    ),
    "an unknown fact scope": (
        change(
            SAMPLE,
            "1.1",
            clauses=(ClauseInput("a", ClauseKind.FIXED, "扣1分", D(1), fact_scope="county"),),
        ),
        f"{P11}.clauses[0].factScope",
        INV,
    ),
    "a fact scope without a fact": (
        change(
            SAMPLE,
            "1.1",
            clauses=(ClauseInput("a", ClauseKind.FIXED, "扣1分", D(1), fact_scope="template"),),
        ),
        f"{P11}.clauses[0].factScope",
        INV,
    ),
    "a shared fact named by one item only": (
        change(
            SAMPLE,
            "2.2",
            clauses=(
                replace(CLAUSES_22[0], fact="同一隐患", fact_scope="template"),
                replace(CLAUSES_22[1], fact="同一隐患", fact_scope="template"),
            ),
        ),
        f"{P22}.clauses[0].fact",
        INV,
    ),
    "unknown clause kind": (
        change(SAMPLE, "1.1", clauses=(ClauseInput("a", "halve", "deduct half", D(1)),)),
        f"{P11}.clauses[0].kind",
        INV,
    ),
    "clauses on a ratio": (
        change(SAMPLE, "1.2", clauses=CLAUSES_22),
        f"{P12}.clauses",
        INV,
    ),
    "bonus indicator outside a bonus category": (
        change(SAMPLE, "1.3", method=Method.BONUS),
        f"{P13}.method",
        INV,
    ),
    "ordinary indicator in the bonus category": (
        change(SAMPLE, "8.1", method=Method.MANUAL),
        f"{P81}.method",
        INV,
    ),
    "an indicator marked bonus": (change(SAMPLE, "1.3", bonus=True), f"{P13}.bonus", INV),
    "an indicator marked local": (change(SAMPLE, "1.3", local=True), f"{P13}.local", INV),
    "subcategory of a bonus category that is not one": (
        change(
            SAMPLE,
            BONUS_CATEGORY,
            children=(ItemInput("8.9", "sub", C, D(5), children=item_of(SAMPLE, "8").children),),
        ),
        f"{P8}.children[0].bonus",
        INV,
    ),
    "top-level indicator": (
        replace(SAMPLE, items=(*SAMPLE.items, ItemInput("9", "loose", I, D(1), method="manual"))),
        f"content.items[{len(SAMPLE.items)}].kind",
        INV,
    ),
    "indicator with children": (
        change(SAMPLE, "1.3", children=(ItemInput("1.3.1", "x", I, D(1), method="manual"),)),
        f"{P13}.children",
        INV,
    ),
    "unknown kind": (change(SAMPLE, "1.3", kind="folder"), f"{P13}.kind", INV),
    "unknown value source": (change(SAMPLE, "1.3", source="rumour"), f"{P13}.source", INV),
    "good not below excellent": (
        replace(SAMPLE, grade_good=D(90)),
        "content.gradeGood",
        INV,
    ),
    "qualified not below good": (
        replace(SAMPLE, grade_qualified=D(85)),
        "content.gradeQualified",
        INV,
    ),
    "negative qualified": (
        replace(SAMPLE, grade_qualified=D(-1)),
        "content.gradeQualified",
        INV,
    ),
    "excellent without good": (
        replace(SAMPLE, grade_good=None),
        "content.gradeGood",
        ErrorCode.REQUIRED,
    ),
    "good above the total without excellent": (
        replace(SAMPLE, grade_excellent=None, grade_good=D(101)),
        "content.gradeGood",
        INV,
    ),
    "a name for a grade the template does not have": (
        replace(SAMPLE, grade_excellent=None, grade_names=GradeNames(excellent="一级")),
        "content.gradeNames.excellent",
        INV,
    ),
    "two grades of one name": (
        replace(SAMPLE, grade_names=GradeNames(good="合格", qualified="合格")),
        "content.gradeNames.qualified",
        ErrorCode.DUPLICATE,
    ),
    "a grade name too long": (
        replace(SAMPLE, grade_names=GradeNames(unqualified="不" * 21)),
        "content.gradeNames.unqualified",
        ErrorCode.TOO_LARGE,
    ),
    "excellent above the total": (
        replace(SAMPLE, grade_excellent=D(101)),
        "content.gradeExcellent",
        INV,
    ),
    "negative bonus cap": (replace(SAMPLE, bonus_cap=D(-5)), "content.bonusCap", INV),
    "zero total": (replace(SAMPLE, total_points=D(0)), "content.totalPoints", INV),
    "year out of range": (replace(SAMPLE, year=1900), "content.year", INV),
    "too many items": (
        replace(
            SAMPLE,
            items=(
                ItemInput(
                    "X",
                    "big",
                    C,
                    D(2001),
                    children=tuple(
                        ItemInput(f"X.{n}", "x", I, D(1), method="manual") for n in range(2001)
                    ),
                ),
            ),
        ),
        "content.items",
        ErrorCode.TOO_LARGE,
    ),
}


def test_the_sample_is_sound():
    assert content_problems(SAMPLE) == []
    assert publication_problems(SAMPLE) == []
    kinds = {c.kind for _, item, _ in walk_items(SAMPLE.items) for c in item.clauses}
    methods = {item.method for _, item, _ in walk_items(SAMPLE.items) if item.method}
    assert kinds == set(ClauseKind)
    assert methods == set(Method)


@pytest.mark.parametrize("case", STRUCTURE_CASES)
def test_each_structure_rule(case: str):
    content, field, code = STRUCTURE_CASES[case]
    found = content_problems(content)
    assert (field, code) in {(p.field, p.code) for p in found}, found
    # A structure problem also blocks publication.
    assert field in fields(publication_problems(content))


def test_every_problem_is_listed_at_once():
    content = change(
        change(replace(SAMPLE, title="", grade_good=D(95)), "1.2", target=None),
        "2.1",
        tiers=(),
    )
    assert fields(content_problems(content)) == {
        "content.title",
        "content.gradeGood",
        f"{P12}.target",
        f"{P21}.tiers",
    }


# --- publication rules ----------------------------------------------------------------------

PUBLICATION_CASES = {
    "categories do not add up to the total": (
        change(
            change(SAMPLE, "1", max_points=D(21)),
            "1.3",
            max_points=D(7),
        ),
        "content.items",
    ),
    "children do not add up to their category": (change(SAMPLE, "1.3", max_points=D(5)), P1),
    "bonus indicator above the bonus cap": (
        replace(SAMPLE, bonus_cap=D(2)),
        P81,
    ),
    "an empty category that is not local": (
        change(SAMPLE, "6", children=()),
        path_of(SAMPLE, "6"),
    ),
    "a local category overfilled": (
        with_local(SAMPLE, local_indicator("7.1", "6")),
        f"{path_of(SAMPLE, LOCAL_CATEGORY)}.maxPoints",
    ),
    "no indicator at all": (
        replace(
            SAMPLE,
            total_points=D(5),
            grade_excellent=D(4),
            grade_good=D(3),
            grade_qualified=D(2),
            items=(item_of(SAMPLE, LOCAL_CATEGORY),),
        ),
        "content.items",
    ),
}


@pytest.mark.parametrize("case", PUBLICATION_CASES)
def test_each_publication_rule(case: str):
    content, field = PUBLICATION_CASES[case]
    assert content_problems(content) == [], "a draft may be saved like this"
    found = publication_problems(content)
    assert field in fields(found), found


def test_engine_problems_name_the_item_by_code():
    found = publication_problems(change(SAMPLE, "1.3", max_points=D(5)))
    assert [(p.field, p.message) for p in found] == [
        (P1, "1 安全生产责任体系: its items add up to 19, not its max 20"),
    ]
    found = publication_problems(replace(SAMPLE, bonus_cap=D(2)))
    assert [(p.field, p.message) for p in found] == [
        (P81, "8.1 安全生产工作获国家级表彰: max points 3 exceed the bonus cap 2"),
    ]


def test_a_local_category_may_be_left_open_or_partly_filled():
    assert publication_problems(SAMPLE) == []
    assert publication_problems(with_local(SAMPLE, local_indicator("7.1", "3"))) == []
    assert publication_problems(with_local(SAMPLE, local_indicator("7.1", "5"))) == []


# --- storing and reading --------------------------------------------------------------------


def test_grade_names_and_fewer_grades_are_kept(world: Session, people, acting):
    """一级 / 二级 / 不达标 on a template without an excellent grade: three grades."""
    names = GradeNames(good="一级", qualified="二级", unqualified="不达标")
    content = replace(SAMPLE, grade_excellent=None, grade_good=D(85), grade_names=names)
    assert content_problems(content) == [] and publication_problems(content) == []
    with acting(people["zj-office"]) as s:
        template = create(s, people["zj-office"], content, family_code="zj-grades")
        assert (template.grade_excellent, template.grade_names) == (
            None,
            {"good": "一级", "qualified": "二级", "unqualified": "不达标"},
        )
        assert template_content(s, template) == content


def test_create_stores_the_whole_document(published: int, session: Session):
    template, items, rules = load_template(session, published)
    assert template.version == 1
    assert template.state is TemplateState.PUBLISHED
    assert template.published_at == NOW
    assert template_content(session, template) == SAMPLE
    assert [row.code for row in rules] == ["V1", "V2", "V3", "Y1"]
    assert len(items) == sum(1 for _ in walk_items(SAMPLE.items))
    # Tree order: positions 0..n-1, every parent before its children.
    assert [row.position for row in items] == list(range(len(items)))
    seen: set[int] = set()
    for row in items:
        assert row.parent_id is None or row.parent_id in seen
        seen.add(row.id)
    family = session.get_one(TemplateFamily, template.family_id)
    assert (family.code, family.owner_node_id) == ("zj-county", node(session, "330000").id)
    deduction = next(row for row in items if row.code == "2.2")
    assert deduction.clauses[2] == {
        "key": "c",
        "kind": "cascade",
        "text": "本项累计扣分达4分的，再扣5分",
        "points": "5",
        "threshold": "4",
        "fact": None,
    }


def test_load_template_reads_one_query_per_table(published: int, sessions, statement_counter):
    with sessions() as fresh:
        statement_counter.clear()
        _, items, rules = load_template(fresh, published)
        selects = [s for s in statement_counter if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 3
        assert (len(items), len(rules)) == (24, 4)


def test_load_template_of_an_unknown_id(world: Session):
    with pytest.raises(DomainError) as error:
        load_template(world, 999)
    assert problems(error) == {("id", ErrorCode.NOT_FOUND)}


def test_nothing_is_saved_when_creation_fails(world: Session, people):
    bad = change(SAMPLE, "1.2", target=None)
    with pytest.raises(DomainError) as error:
        create(world, people["zj-office"], bad)
    assert (f"{P12}.target", R) in problems(error)
    world.commit()
    assert (count(world, TemplateFamily), count(world, Template), count(world, TemplateItem)) == (
        0,
        0,
        0,
    )


def test_a_family_code_is_taken_once(world: Session, people):
    create(world, people["zj-office"])
    with pytest.raises(DomainError) as error:
        create(world, people["zj-office"])
    assert problems(error) == {("familyCode", DUP)}
    world.commit()
    assert (count(world, TemplateFamily), count(world, Template)) == (1, 1)


def test_family_code_and_name_are_checked(world: Session, people):
    with pytest.raises(DomainError) as error:
        create(world, people["zj-office"], family_code="zj county!", family_name=" ")
    assert problems(error) == {("familyCode", INV), ("familyName", R)}


def test_a_city_cannot_own_a_provincial_template(world: Session):
    with pytest.raises(DomainError) as error:
        create(world, None, owner="330400")
    assert problems(error) == {("ownerNodeId", INV)}


# --- drafts, publication, immutability ------------------------------------------------------


def test_update_draft_replaces_the_tree_and_bumps_the_version(world: Session, people, acting):
    zj = people["zj-office"]
    with acting(zj) as s:
        template = create(s, zj)
        first_ids = {row.id for row in load_template(s, template.id)[1]}
    edited = replace(
        remove(change(SAMPLE, "1.3", title="安委会全体会议（每季度）"), "6.1"),
        title="浙江省2026年度考核细则（修订）",
    )
    edited = change(edited, "6.2", max_points=D(10))
    with acting(zj) as s:
        template = s.get_one(Template, template.id)
        update_draft(s, zj, template, edited, expected_version=1)
        assert template.lock_version == 2
    with acting(zj) as s:
        template = s.get_one(Template, template.id)
        assert template.lock_version == 2
        assert template.title == "浙江省2026年度考核细则（修订）"
        assert template_content(s, template) == edited
        rows = load_template(s, template.id)[1]
        assert "6.1" not in {row.code for row in rows}
        assert len(rows) == len(first_ids) - 1
        assert count(s, TemplateItem) == len(rows)


def test_a_half_finished_draft_saves_but_does_not_publish(world: Session, people):
    zj = people["zj-office"]
    half = change(SAMPLE, "6", max_points=D(12))  # children still add up to 10
    template = create(world, zj, half)
    expected = template_problems(world, template)
    assert fields(expected) == {path_of(SAMPLE, "6"), "content.items"}
    with pytest.raises(DomainError) as error:
        publish(world, zj, template, expected_version=1)
    assert error.value.problems == expected
    world.commit()
    assert template.state is TemplateState.DRAFT
    update_draft(world, zj, template, SAMPLE, expected_version=1)
    assert template_problems(world, template) == []
    publish(world, zj, template, expected_version=2, now=NOW)
    world.commit()
    assert (template.state, template.lock_version, template.published_by_id) == (
        TemplateState.PUBLISHED,
        3,
        zj.user_id,
    )


def test_nothing_is_saved_when_an_update_fails(world: Session, people):
    zj = people["zj-office"]
    template = create(world, zj)
    world.commit()
    with pytest.raises(DomainError):
        update_draft(world, zj, template, change(SAMPLE, "2.1", tiers=()), expected_version=1)
    world.commit()
    world.expire_all()
    assert template.lock_version == 1
    assert template_content(world, template) == SAMPLE


def test_published_and_archived_templates_never_change(published: int, world: Session, people):
    zj = people["zj-office"]
    template = world.get_one(Template, published)
    with pytest.raises(DomainError) as error:
        update_draft(world, zj, template, change(SAMPLE, "1.3", title="x"), expected_version=2)
    assert problems(error) == {("id", ErrorCode.INVALID_STATE)}
    assert "“浙江省2026年度县（市、区）安全生产工作考核细则” version 1 is published" in str(
        error.value
    )
    with pytest.raises(DomainError) as error:
        publish(world, zj, template, expected_version=2)
    assert problems(error) == {("id", ErrorCode.INVALID_STATE)}
    archive(world, zj, template, now=NOW)
    world.commit()
    assert (template.state, template.archived_at) == (TemplateState.ARCHIVED, NOW)
    for attempt in (
        lambda: update_draft(world, zj, template, SAMPLE, expected_version=2),
        lambda: publish(world, zj, template, expected_version=2),
        lambda: archive(world, zj, template),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert problems(error) == {("id", ErrorCode.INVALID_STATE)}
    world.expire_all()
    assert template_content(world, template) == SAMPLE


def test_archiving_a_draft_is_refused(world: Session, people):
    template = create(world, people["zj-office"])
    with pytest.raises(DomainError) as error:
        archive(world, people["zj-office"], template)
    assert problems(error) == {("id", ErrorCode.INVALID_STATE)}


def test_a_stale_version_is_a_conflict(world: Session, people):
    zj = people["zj-office"]
    template = create(world, zj)
    update_draft(world, zj, template, change(SAMPLE, "1.3", title="A"), expected_version=1)
    with pytest.raises(DomainError) as error:
        update_draft(world, zj, template, change(SAMPLE, "1.3", title="B"), expected_version=1)
    assert problems(error) == {("expectedVersion", ErrorCode.CONFLICT)}
    with pytest.raises(DomainError) as error:
        publish(world, zj, template, expected_version=1)
    assert problems(error) == {("expectedVersion", ErrorCode.CONFLICT)}
    world.commit()
    assert item_of(template_content(world, template), "1.3").title == "A"


def test_two_editors_saving_the_same_version(world: Session, people, acting, sessions):
    """The second editor read version 1 before the first saved: the database refuses them."""
    zj = people["zj-office"]
    with acting(zj) as s:
        template_id = create(s, zj).id
    with acting(zj) as second:
        stale = second.get_one(Template, template_id)
    with acting(zj) as first:
        update_draft(
            first,
            zj,
            first.get_one(Template, template_id),
            change(SAMPLE, "1.3", title="first"),
            expected_version=1,
        )
    with pytest.raises(DomainError) as error, acting(zj) as second:
        second.add(stale)
        update_draft(second, zj, stale, change(SAMPLE, "1.3", title="second"), expected_version=1)
    assert problems(error) == {("expectedVersion", ErrorCode.CONFLICT)}
    with sessions() as check:
        template = check.get_one(Template, template_id)
        assert item_of(template_content(check, template), "1.3").title == "first"
        assert template.lock_version == 2


# --- new versions and copies ----------------------------------------------------------------


def test_new_version_copies_the_whole_tree(published: int, world: Session, people):
    zj = people["zj-office"]
    original = world.get_one(Template, published)
    original_rows = {row.id for row in load_template(world, published)[1]}
    copy = new_version(world, zj, original, year=2027, title="浙江省2027年度考核细则")
    world.commit()
    assert (copy.version, copy.state, copy.copied_from_id, copy.family_id, copy.lock_version) == (
        2,
        TemplateState.DRAFT,
        original.id,
        original.family_id,
        1,
    )
    assert template_content(world, copy) == replace(
        SAMPLE, year=2027, title="浙江省2027年度考核细则"
    )
    _, copy_items, copy_rules = load_template(world, copy.id)
    assert original_rows.isdisjoint(row.id for row in copy_items)
    assert [r.code for r in copy_rules] == ["V1", "V2", "V3", "Y1"]
    # Editing the copy leaves the original as it was.
    update_draft(
        world, zj, copy, change(remove(SAMPLE, "6.1"), "6.2", max_points=D(10)), expected_version=1
    )
    world.commit()
    world.expire_all()
    assert template_content(world, world.get_one(Template, published)) == SAMPLE
    third = new_version(world, zj, original)
    assert (third.version, third.year, third.title) == (3, 2026, SAMPLE.title)


def test_new_version_checks_its_year_and_title(published: int, world: Session, people):
    template = world.get_one(Template, published)
    with pytest.raises(DomainError) as error:
        new_version(world, people["zj-office"], template, year=1800, title=" ")
    assert problems(error) == {("year", INV), ("title", R)}
    world.commit()
    assert count(world, Template) == 1


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sc-office", "jx-author", "jx-office", "xjd-clerk"])
def test_only_zhejiangs_authors_write_its_template(
    who: str, published: int, world: Session, people
):
    someone = people[who]
    template = world.get_one(Template, published)
    draft = new_version(world, None, template)
    world.commit()
    attempts = {
        "create": lambda: create(world, someone, family_code="other"),
        "update": lambda: update_draft(world, someone, draft, SAMPLE, expected_version=1),
        "publish": lambda: publish(world, someone, draft, expected_version=1),
        "archive": lambda: archive(world, someone, template),
        "new version": lambda: new_version(world, someone, template),
    }
    for name, attempt in attempts.items():
        with pytest.raises(DomainError) as error:
            attempt()
        assert {code for _, code in problems(error)} == {ErrorCode.PERMISSION_DENIED}, name
    world.commit()
    assert count(world, Template) == 2
    assert draft.state is TemplateState.DRAFT


def test_another_province_does_not_even_see_the_template(published: int, people, acting):
    with acting(people["sc-office"]) as s:
        assert s.get(Template, published) is None
        with pytest.raises(DomainError) as error:
            load_template(s, published)
        assert problems(error) == {("id", ErrorCode.NOT_FOUND)}


def test_sichuan_writes_its_own_template(world: Session, people, acting):
    sc = people["sc-office"]
    with acting(sc) as s:
        template = create(s, sc, owner="510000", family_code="sc-county")
        publish(s, sc, template, expected_version=1)
    with acting(people["zj-office"]) as s:
        assert s.get(Template, template.id) is None


# --- city extensions ------------------------------------------------------------------------

LOCAL_PATH = path_of(SAMPLE, LOCAL_CATEGORY)


def extend(acting, people, published: int, content=None, who="jx-author", at="330400"):
    with acting(people[who]) as s:
        base = s.get_one(Template, published)
        return extend_template(s, people[who], base, owner_node=node(s, at), content=content).id


def test_a_city_extends_the_provincial_template(published: int, people, acting, session):
    local_id = extend(acting, people, published)
    jx = people["jx-author"]
    with acting(jx) as s:
        local = s.get_one(Template, local_id)
        family = s.get_one(TemplateFamily, local.family_id)
        assert (local.version, local.state, local.extends_id) == (1, TemplateState.DRAFT, published)
        assert (family.owner_node_id, family.code) == (node(s, "330400").id, "zj-county@330400")
        assert local.owner_node_id == node(s, "330400").id
        assert template_content(s, local) == SAMPLE
        assert template_problems(s, local) == []
        mine = with_local(SAMPLE, local_indicator("7.1", "3"), local_indicator("7.2", "2"))
        mine = replace(mine, title="嘉兴市2026年度考核细则")
        update_draft(s, jx, local, mine, expected_version=1)
    with acting(jx) as s:
        local = s.get_one(Template, local_id)
        publish(s, jx, local, expected_version=2, now=NOW)
        rows = load_template(s, local_id)[1]
        added = {row.code: row.added_by_node_id for row in rows if row.added_by_node_id}
        assert added == {"7.1": node(s, "330400").id, "7.2": node(s, "330400").id}
        assert {row.code for row in rows if row.added_by_node_id is None} == {
            item.code for _, item, _ in walk_items(SAMPLE.items)
        }
    # The province's template is untouched.
    assert template_content(session, session.get_one(Template, published)) == SAMPLE


def test_an_extension_can_start_with_the_citys_indicators(published: int, people, acting):
    mine = with_local(SAMPLE, local_indicator("7.1", "5"))
    local_id = extend(acting, people, published, content=mine)
    with acting(people["jx-author"]) as s:
        assert template_content(s, s.get_one(Template, local_id)) == mine


EXTENSION_CASES = {
    "more than the local points": (
        with_local(SAMPLE, local_indicator("7.1", "3"), local_indicator("7.2", "3")),
        f"{LOCAL_PATH}.children[0]",
    ),
    "an indicator outside the local category": (
        change(
            SAMPLE,
            "1",
            max_points=D(20),
            children=(*item_of(SAMPLE, "1").children, local_indicator("1.4", "1")),
        ),
        f"{P1}.children[3]",
    ),
    "a changed provincial indicator": (change(SAMPLE, "1.2", max_points=D(5)), P12),
    "a renamed provincial category": (change(SAMPLE, "2", title="隐患"), path_of(SAMPLE, "2")),
    "a moved provincial indicator": (
        change(
            change(SAMPLE, "6", children=(item_of(SAMPLE, "6.1"),)),
            LOCAL_CATEGORY,
            children=(item_of(SAMPLE, "6.2"),),
        ),
        f"{LOCAL_PATH}.children[0]",
    ),
    "a removed provincial indicator": (remove(SAMPLE, "6.1"), "content.items"),
    "a category added under the local one": (
        with_local(SAMPLE, ItemInput("7.1", "本地类", C, D(5))),
        f"{LOCAL_PATH}.children[0].kind",
    ),
    "changed grades": (replace(SAMPLE, grade_excellent=D(85)), "content.gradeExcellent"),
    "changed total": (replace(SAMPLE, total_points=D(95)), "content.totalPoints"),
    "changed year": (replace(SAMPLE, year=2027), "content.year"),
    "changed veto rules": (replace(SAMPLE, veto_rules=SAMPLE.veto_rules[:2]), "content.vetoRules"),
}


@pytest.mark.parametrize("case", EXTENSION_CASES)
def test_each_extension_rule(case: str, published: int, people, acting):
    local_id = extend(acting, people, published)
    content, field = EXTENSION_CASES[case]
    jx = people["jx-author"]
    with pytest.raises(DomainError) as error, acting(jx) as s:
        update_draft(s, jx, s.get_one(Template, local_id), content, expected_version=1)
    assert field in {f for f, _ in problems(error)}, error.value.problems
    with acting(jx) as s:
        local = s.get_one(Template, local_id)
        assert local.lock_version == 1
        assert template_content(s, local) == SAMPLE


def test_a_changed_provincial_item_is_named(published: int, people, acting):
    local_id = extend(acting, people, published)
    jx = people["jx-author"]
    with pytest.raises(DomainError) as error, acting(jx) as s:
        update_draft(
            s,
            jx,
            s.get_one(Template, local_id),
            change(SAMPLE, "1.2", max_points=D(5), title="签订率"),
            expected_version=1,
        )
    [problem] = [p for p in error.value.problems if p.field == P12]
    assert problem.message.startswith("1.2 is the province's indicator")
    assert "(changed: title, maxPoints)" in problem.message


@pytest.mark.parametrize(
    ("who", "at", "field", "code"),
    [
        ("jx-author", "330000", "ownerNodeId", ErrorCode.PERMISSION_DENIED),  # not its node
        ("zj-office", "330000", "ownerNodeId", INV),  # the province itself
        ("jx-leader", "330400", "ownerNodeId", ErrorCode.PERMISSION_DENIED),  # no author role
        ("xjd-clerk", "330402901", "ownerNodeId", ErrorCode.PERMISSION_DENIED),
    ],
)
def test_who_extends_where(who, at, field, code, published: int, people, acting):
    with pytest.raises(DomainError) as error:
        extend(acting, people, published, who=who, at=at)
    assert problems(error) == {(field, code)}


def test_only_a_published_provincial_template_is_extended(world: Session, people, acting):
    zj = people["zj-office"]
    with acting(zj) as s:
        draft_id = create(s, zj).id
    with pytest.raises(DomainError) as error:
        extend(acting, people, draft_id)
    assert problems(error) == {("baseId", ErrorCode.INVALID_STATE)}
    with acting(zj) as s:
        publish(s, zj, s.get_one(Template, draft_id), expected_version=1)
    local_id = extend(acting, people, draft_id)
    with acting(people["jx-author"]) as s:
        publish(s, people["jx-author"], s.get_one(Template, local_id), expected_version=1)
    with pytest.raises(DomainError) as error:
        extend(acting, people, local_id, who="zj-office", at="330402")
    assert problems(error) == {("baseId", INV)}


def test_next_years_extension_is_the_next_version_of_the_citys_family(
    published: int, people, acting
):
    zj, jx = people["zj-office"], people["jx-author"]
    first = extend(acting, people, published)
    with acting(zj) as s:
        next_year = new_version(
            s, zj, s.get_one(Template, published), year=2027, title="2027年度考核细则"
        )
        publish(s, zj, next_year, expected_version=1)
    second = extend(acting, people, next_year.id)
    with acting(jx) as s:
        a, b = s.get_one(Template, first), s.get_one(Template, second)
        assert a.family_id == b.family_id
        assert (a.version, b.version, b.year, b.extends_id) == (1, 2, 2027, next_year.id)
        # A local template's copy keeps the year of the province's template it extends.
        with pytest.raises(DomainError) as error:
            new_version(s, jx, a, year=2028)
        assert problems(error) == {("year", INV)}


def test_an_archived_base_blocks_publishing_its_extension(published: int, people, acting):
    local_id = extend(acting, people, published)
    with acting(people["zj-office"]) as s:
        archive(s, people["zj-office"], s.get_one(Template, published))
    with acting(people["jx-author"]) as s:
        local = s.get_one(Template, local_id)
        assert problems_of(template_problems(s, local)) == {("id", ErrorCode.INVALID_STATE)}


# --- the engine scores a stored template ----------------------------------------------------


def sample_input(**extra: engine.IndicatorInput) -> engine.AssessmentInput:
    II = engine.IndicatorInput
    return engine.AssessmentInput(
        entries={
            "1.1": II(counts={"b": 1, "c": 2}),  # 8 - 1 - 2 = 5
            "1.2": II(value=D(90)),  # 6 x 90 / 100 = 5.4
            "1.3": II(done=True),  # 6
            "2.1": II(value=D(96)),  # tier >= 95: 8
            "2.2": II(counts={"a": 1, "b": 1}),  # one fact: the larger, 3; no cascade: 7
            "3.1.1": II(value=D(100)),  # 8
            "3.2.1": II(points=D(6)),  # 6
            "4.1": II(value=D(92)),  # tier >= 90.5: 6.5
            "4.2": II(counts={"a": 2}),  # 3
            "5.1": II(counts={}),  # 15
            "6.1": II(done=False),  # 0
            "6.2": II(not_applicable=True, note="no units of this kind"),
            "8.1": II(points=D(3)),
            "8.2": II(points=D(2)),
            **extra,
        }
    )


def test_the_engine_scores_a_stored_template(published: int, session: Session):
    model = engine_template(*load_template(session, published))
    assert [c.code for c in model.categories] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert model.categories[6].indicators == () and model.categories[6].categories == ()
    assert [r.code for r in model.veto_rules] == ["V1", "V2", "V3", "Y1"]
    assert model.indicator("2.2").clauses[2] == engine.Clause(
        "c", ClauseKind.CASCADE, "本项累计扣分达4分的，再扣5分", D(5), D(4), None
    )
    card = engine.score(model, sample_input())
    # Earned 16.4 + 15 + 14 + 9.5 + 15 + 0 = 69.9 of 100 - 5 (open local category) - 6 (6.2).
    assert (card.earned, card.attainable) == (D("69.9"), D(89))
    assert card.normalised == D("78.54")
    assert (card.bonus, card.total, card.grade) == (D(5), D("83.54"), engine.Grade.GOOD)
    assert sum(line.points for line in card.explain()) == card.total
    vetoed = engine.score(
        model,
        replace(sample_input(), vetoes=(engine.Veto("V2", "瞒报事故一起", "通报〔2026〕3号"),)),
    )
    assert vetoed.grade is engine.Grade.UNQUALIFIED


def test_the_engine_scores_a_citys_local_indicators(published: int, people, acting):
    jx = people["jx-author"]
    local_id = extend(acting, people, published, content=with_local(SAMPLE, local_indicator()))
    with acting(jx) as s:
        publish(s, jx, s.get_one(Template, local_id), expected_version=1)
        model = engine_template(*load_template(s, local_id))
    card = engine.score(model, sample_input(**{"7.1": engine.IndicatorInput(done=True)}))
    # The local 5 points now count: 74.9 of 100 - 6 (6.2).
    assert (card.earned, card.attainable, card.normalised) == (D("74.9"), D(94), D("79.68"))
