"""Colour bands and trend thresholds of templates: every validation rule named by its path, and
on both backends the round trip through the rows (SQL NULL when unset), a new version's copy,
a city's extension keeping the province's item bands while setting its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal as D

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.errors import DomainError, ErrorCode
from scoring.engine.bands import BandRule, Thresholds
from scoring.templates.document import ItemInput, TemplateContent, walk_items
from scoring.templates.models import Template, TemplateItem
from scoring.templates.service import (
    create_template,
    extend_template,
    new_version,
    publish,
    update_draft,
)
from scoring.templates.storage import template_content
from scoring.templates.validation import (
    content_problems,
    extension_problems,
    level_problems,
    publication_problems,
)
from tenants.access import Actor
from tenants.models import Role, TenantLevel
from tenants.scope import scoped
from tests.factories.templates import local_indicator, sample_content, with_local
from tests.factories.tenants import actor, add_user, node

SAMPLE = sample_content()
T = Thresholds


def rule(default: tuple[str, str] | None = None, **levels: tuple[str, str]) -> BandRule:
    """A BandRule from (green, yellow) pairs: rule(("90", "60"), county=("95", "70"))."""
    return BandRule(
        T(D(default[0]), D(default[1])) if default else None,
        {level: T(D(green), D(yellow)) for level, (green, yellow) in levels.items()},
    )


def with_item_bands(content: TemplateContent, **bands: BandRule | None) -> TemplateContent:
    """``content`` with the bands of the items whose codes are given (1_1 for 1.1)."""
    wanted = {code.replace("_", "."): rule for code, rule in bands.items()}

    def walk(items: tuple[ItemInput, ...]) -> tuple[ItemInput, ...]:
        return tuple(
            replace(
                item,
                bands=wanted.get(item.code, item.bands),
                children=walk(item.children),
            )
            for item in items
        )

    return replace(content, items=walk(content.items))


BANDED = replace(
    with_item_bands(
        SAMPLE, **{"1_1": rule(("80", "50"), township=("85", "55")), "3": rule(city=("70", "40"))}
    ),
    bands=rule(("90", "60"), county=("95", "70")),
    trend_min_points=D("0.5"),
    trend_min_ranks=2,
)


def problems(content: TemplateContent) -> list[tuple[str | None, ErrorCode]]:
    return [(p.field, p.code) for p in content_problems(content)]


def messages(content: TemplateContent) -> dict[str | None, str]:
    return {p.field: p.message for p in content_problems(content)}


# --- validation -----------------------------------------------------------------------------


def test_bands_and_trend_thresholds_are_sound_and_publishable():
    assert content_problems(BANDED) == []
    assert publication_problems(BANDED) == []
    edges = replace(
        SAMPLE,
        bands=rule(("100", "0"), township=("60.25", "60.25")),
        trend_min_points=D(0),
        trend_min_ranks=1,
    )
    assert content_problems(edges) == []


BAD_TEMPLATE_BANDS = {
    "above 100": (rule(("100.5", "60")), "content.bands.green", "from 0 to 100, got 100.5"),
    "negative": (rule(("90", "-1")), "content.bands.yellow", "from 0 to 100, got -1"),
    "three decimals": (rule(("90.125", "60")), "content.bands.green", "more than 2 decimal"),
    "yellow above green": (
        rule(("60", "70")),
        "content.bands.yellow",
        "the yellow threshold 70 is above the green one 60",
    ),
    "a level's yellow above its green": (
        rule(("90", "60"), city=("80", "70"), county=("60", "61")),
        "content.bands.levels[1].yellow",
        "yellow must not be above green",
    ),
    "a level's green above 100": (
        rule(county=("101", "61")),
        "content.bands.levels[0].green",
        "from 0 to 100, got 101",
    ),
    "not a level": (
        rule(village=("90", "60")),
        "content.bands.levels[0].level",
        "unknown level 'village': use one of province, city, county, township",
    ),
}


@pytest.mark.parametrize("case", list(BAD_TEMPLATE_BANDS))
def test_each_band_rule_is_named_by_its_path(case: str):
    bands, field, words = BAD_TEMPLATE_BANDS[case]
    found = messages(replace(SAMPLE, bands=bands))
    assert list(found) == [field]
    assert words in found[field]


def test_an_items_bands_are_named_by_the_items_path():
    # Item 3 is content.items[2], 1.2 content.items[0].children[1]: the path says which item,
    # which level and which threshold.
    content = with_item_bands(
        SAMPLE,
        **{"3": rule(county=("120", "95")), "1_2": rule(("90", "60"), township=("50", "60"))},
    )
    assert problems(content) == [
        ("content.items[0].children[1].bands.levels[0].yellow", ErrorCode.INVALID),
        ("content.items[2].bands.levels[0].green", ErrorCode.INVALID),
    ]


def test_a_threshold_that_is_no_number_is_named():
    content = with_item_bands(SAMPLE, **{"1_2": BandRule(T("x", D(1)))})  # type: ignore[arg-type]
    assert messages(content) == {
        "content.items[0].children[1].bands.green": "the green threshold must be a number, got 'x'"
    }


def test_bands_that_are_no_rule_are_refused():
    assert problems(replace(SAMPLE, bands={"green": "90"})) == [  # type: ignore[arg-type]
        ("content.bands", ErrorCode.INVALID)
    ]


@pytest.mark.parametrize(
    ("points", "ranks", "expected"),
    [
        (D("-0.5"), None, [("content.trendMinPoints", ErrorCode.INVALID)]),
        (D("0.125"), None, [("content.trendMinPoints", ErrorCode.INVALID)]),
        (None, 0, [("content.trendMinRanks", ErrorCode.INVALID)]),
        (None, -3, [("content.trendMinRanks", ErrorCode.INVALID)]),
        (None, True, [("content.trendMinRanks", ErrorCode.INVALID)]),
        (None, 10_001, [("content.trendMinRanks", ErrorCode.TOO_LARGE)]),
        (D("999"), 10_000, []),
    ],
)
def test_trend_thresholds(points, ranks, expected):
    assert problems(replace(SAMPLE, trend_min_points=points, trend_min_ranks=ranks)) == expected


def test_the_trend_messages_say_why():
    found = messages(replace(SAMPLE, trend_min_points=D(-1), trend_min_ranks=0))
    assert found == {
        "content.trendMinPoints": "the least score change for a trend arrow must not be"
        " negative, got -1",
        "content.trendMinRanks": "the least rank change for a rank arrow is at least 1 (or"
        " none: any change), got 0",
    }


def test_a_level_named_twice_in_a_list_is_named_at_its_second_place():
    found = level_problems(
        "content.bands.levels", [TenantLevel.COUNTY, TenantLevel.CITY, TenantLevel.COUNTY]
    )
    assert [(p.field, p.code) for p in found] == [
        ("content.bands.levels[2].level", ErrorCode.DUPLICATE)
    ]
    assert found[0].message == (
        "the level county has its bands twice (first at content.bands.levels[0])"
    )
    assert level_problems("x", [TenantLevel.CITY, TenantLevel.COUNTY]) == []


def test_a_local_template_sets_its_own_bands_but_keeps_the_provinces_item_bands():
    base = with_item_bands(SAMPLE, **{"1_1": rule(("80", "50"))})
    own = replace(
        with_local(base, replace(local_indicator("7.1"), bands=rule(("100", "100")))),
        bands=rule(("85", "55"), township=("90", "60")),
        trend_min_points=D(1),
        trend_min_ranks=3,
    )
    assert extension_problems(own, base) == []
    changed = with_item_bands(own, **{"1_1": rule(("81", "50"))})
    [problem] = extension_problems(changed, base)
    assert problem.field == "content.items[0].children[0]"
    assert problem.message.endswith("(changed: bands)")
    dropped = with_item_bands(own, **{"1_1": None})
    assert [p.field for p in extension_problems(dropped, base)] == ["content.items[0].children[0]"]


# --- the rows, on both backends ------------------------------------------------------------


@pytest.fixture
def zj(world: Session) -> Actor:
    return actor(world, "zj-office")


@pytest.fixture
def acting(sessions):
    @contextmanager
    def open_as(who: Actor) -> Iterator[Session]:
        with scoped(sessions(), who.scope) as session, unit_of_work(session):
            yield session

    return open_as


def create(session: Session, who: Actor | None, content: TemplateContent) -> Template:
    return create_template(
        session,
        who,
        owner_node=node(session, "330000"),
        family_code="zj-township",
        family_name="浙江省乡镇（街道）安全生产工作考核",
        content=content,
    )


def read(sessions, template_id: int) -> TemplateContent:
    with sessions() as fresh:
        return template_content(fresh, fresh.get_one(Template, template_id))


def test_bands_and_trends_round_trip_through_the_rows(world: Session, sessions, zj, acting):
    with acting(zj) as s:
        template_id = create(s, zj, BANDED).id
    assert read(sessions, template_id) == BANDED
    with sessions() as fresh:
        template = fresh.get_one(Template, template_id)
        # Amounts as text (never through a float), levels by their value.
        assert template.bands == {
            "green": "90",
            "yellow": "60",
            "levels": {"county": {"green": "95", "yellow": "70"}},
        }
        assert (template.trend_min_points, template.trend_min_ranks) == (D("0.5"), 2)
        banded = dict(
            fresh.execute(
                select(TemplateItem.code, TemplateItem.bands).where(
                    TemplateItem.template_id == template_id,
                    TemplateItem.bands.is_not(None),
                )
            ).all()
        )
        assert banded == {
            "1.1": {
                "green": "80",
                "yellow": "50",
                "levels": {"township": {"green": "85", "yellow": "55"}},
            },
            "3": {"levels": {"city": {"green": "70", "yellow": "40"}}},
        }


def test_unset_bands_are_sql_null(world: Session, sessions, zj, acting):
    """Not a JSON null: ``bands IS NULL`` finds every template and item without bands."""
    with acting(zj) as s:
        template = create(s, zj, BANDED)
        template_id = template.id
        update_draft(s, zj, template, SAMPLE, expected_version=1)
        assert template.bands is None  # mirrored, not read again
    with sessions() as fresh:
        assert fresh.scalars(select(Template.id).where(Template.bands.is_(None))).all() == [
            template_id
        ]
        unset = fresh.scalars(
            select(TemplateItem.code).where(
                TemplateItem.template_id == template_id, TemplateItem.bands.is_(None)
            )
        ).all()
        assert len(unset) == sum(1 for _ in walk_items(SAMPLE.items))
    assert read(sessions, template_id) == SAMPLE


def test_an_update_replaces_the_bands(world: Session, sessions, zj, acting):
    with acting(zj) as s:
        template = create(s, zj, SAMPLE)
        template_id = template.id
        assert template.bands is None
        update_draft(s, zj, template, BANDED, expected_version=1)
        assert template.bands == {
            "green": "90",
            "yellow": "60",
            "levels": {"county": {"green": "95", "yellow": "70"}},
        }
    assert read(sessions, template_id) == BANDED
    other = replace(
        with_item_bands(BANDED, **{"1_1": None, "2_1": rule(("75.5", "40.25"))}),
        bands=rule(township=("92", "61")),
        trend_min_points=None,
        trend_min_ranks=5,
    )
    with acting(zj) as s:
        update_draft(s, zj, s.get_one(Template, template_id), other, expected_version=2)
    assert read(sessions, template_id) == other


def test_a_bad_band_is_refused_and_nothing_is_saved(world: Session, sessions, zj, acting):
    with pytest.raises(DomainError) as refused, acting(zj) as s:
        create(s, zj, replace(BANDED, bands=rule(("50", "60"))))
    assert [p.field for p in refused.value.problems] == ["content.bands.yellow"]
    with sessions() as fresh:
        assert fresh.scalars(select(Template)).all() == []


def test_last_years_copy_keeps_the_bands(world: Session, sessions, zj, acting):
    with acting(zj) as s:
        template = create(s, zj, BANDED)
        publish(s, zj, template, expected_version=1)
        copy = new_version(s, zj, template, year=2027, title="2027年度细则")
        copy_id = copy.id
        assert copy.bands == template.bands
    assert read(sessions, copy_id) == replace(BANDED, year=2027, title="2027年度细则")


def test_a_city_extension_keeps_the_provinces_bands_and_sets_its_own(
    world: Session, sessions, zj, acting
):
    add_user(world, "330400", "jx-author", Role.TEMPLATE_AUTHOR)
    world.commit()
    jx = actor(world, "jx-author")
    with acting(zj) as s:
        base = create(s, zj, BANDED)
        publish(s, zj, base, expected_version=1)
        base_id = base.id
    with acting(jx) as s:
        local = extend_template(s, jx, s.get_one(Template, base_id), owner_node=node(s, "330400"))
        local_id = local.id
    assert read(sessions, local_id) == BANDED
    own = replace(
        with_local(BANDED, replace(local_indicator("7.1"), bands=rule(("100", "100")))),
        bands=rule(("90", "60"), county=("95", "70"), township=("88", "58")),
        trend_min_points=D("0.25"),
        trend_min_ranks=3,
    )
    with acting(jx) as s:
        update_draft(s, jx, s.get_one(Template, local_id), own, expected_version=1)
    assert read(sessions, local_id) == own
    # The province's item bands stay the province's.
    changed = with_item_bands(own, **{"1_1": rule(("70", "50"))})
    with pytest.raises(DomainError) as refused, acting(jx) as s:
        update_draft(s, jx, s.get_one(Template, local_id), changed, expected_version=2)
    [problem] = refused.value.problems
    assert problem.field == "content.items[0].children[0]"
    assert "changed: bands" in problem.message
    assert read(sessions, local_id) == own
    assert read(sessions, base_id) == BANDED
