"""The hierarchy's pure rules: placement (level order), kinds per level, codes, names, parsing."""

from __future__ import annotations

import pytest

from redline.errors import ErrorCode, Problem
from tenants.hierarchy import (
    check_code,
    check_kind,
    check_name,
    check_placement,
    child_path,
    parse_kind,
    parse_level,
)
from tenants.models import REGION_KINDS, TenantKind, TenantLevel
from tenants.scope import subtree_upper_bound

L = TenantLevel
K = TenantKind

PROVINCE = (L.PROVINCE, K.PROVINCE)
CITY = (L.CITY, K.CITY)
COUNTY = (L.COUNTY, K.DISTRICT)
TOWNSHIP = (L.TOWNSHIP, K.STREET)
PROVINCE_DEPT = (L.PROVINCE, K.DEPARTMENT)
CITY_DEPT = (L.CITY, K.DEPARTMENT)
COUNTY_UNIT = (L.COUNTY, K.AFFILIATED_UNIT)

# One region kind per level, for the level-order table.
REGION_AT = {
    L.PROVINCE: K.PROVINCE,
    L.CITY: K.CITY,
    L.COUNTY: K.COUNTY,
    L.TOWNSHIP: K.TOWN,
}


# --- check_placement -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "kind", "parent"),
    [
        (L.PROVINCE, K.PROVINCE, None),
        (L.CITY, K.CITY, PROVINCE),
        (L.COUNTY, K.DISTRICT, CITY),
        (L.COUNTY, K.COUNTY_CITY, CITY),
        (L.COUNTY, K.DEVELOPMENT_ZONE, CITY),
        (L.TOWNSHIP, K.STREET, COUNTY),
        (L.TOWNSHIP, K.MANAGEMENT_REGION, COUNTY),
        (L.TOWNSHIP, K.DEVELOPMENT_ZONE, COUNTY),
        # Departments and affiliated units sit at their parent's own level, under a region ...
        (L.PROVINCE, K.DEPARTMENT, PROVINCE),
        (L.CITY, K.DEPARTMENT, CITY),
        (L.COUNTY, K.AFFILIATED_UNIT, COUNTY),
        (L.TOWNSHIP, K.DEPARTMENT, TOWNSHIP),
        # ... or under another department of the same level.
        (L.PROVINCE, K.AFFILIATED_UNIT, PROVINCE_DEPT),
        (L.CITY, K.DEPARTMENT, CITY_DEPT),
    ],
)
def test_placement_allowed(level, kind, parent):
    assert check_placement(level, kind, parent) is None


@pytest.mark.parametrize("parent_level", list(L))
@pytest.mark.parametrize("level", list(L))
def test_a_region_sits_exactly_one_level_below_a_region(level, parent_level):
    problem = check_placement(level, REGION_AT[level], (parent_level, REGION_AT[parent_level]))
    if level.rank == parent_level.rank + 1:
        assert problem is None
    else:
        assert problem is not None
        assert problem.code is ErrorCode.LEVEL_ORDER
        assert problem.field == "parent"
        assert f"a {level.value} cannot sit directly under a {parent_level.value}" in (
            problem.message
        )


def test_township_directly_under_a_province_is_refused_with_level_order():
    problem = check_placement(L.TOWNSHIP, K.TOWN, PROVINCE, "row 7, parent_code")
    assert problem == Problem(
        "row 7, parent_code",
        "a township cannot sit directly under a province (expected a city)",
        ErrorCode.LEVEL_ORDER,
    )


def test_city_under_a_county_is_refused():
    problem = check_placement(L.CITY, K.CITY, COUNTY)
    assert problem is not None
    assert problem.code is ErrorCode.LEVEL_ORDER
    assert "city cannot sit directly under a county" in problem.message


def test_region_under_a_township_names_the_lowest_level():
    problem = check_placement(L.TOWNSHIP, K.TOWN, TOWNSHIP)
    assert problem is not None
    assert problem.code is ErrorCode.LEVEL_ORDER
    assert "lowest region level" in problem.message


@pytest.mark.parametrize("parent", [PROVINCE_DEPT, CITY_DEPT, COUNTY_UNIT])
def test_a_region_never_sits_under_a_department(parent):
    level = list(L)[parent[0].rank + 1]
    problem = check_placement(level, REGION_AT[level], parent)
    assert problem is not None
    assert problem.code is ErrorCode.LEVEL_ORDER
    assert f"cannot sit under a {parent[1].value}" in problem.message


@pytest.mark.parametrize(
    ("level", "kind", "parent"),
    [
        (L.CITY, K.DEPARTMENT, PROVINCE),  # a department one level below its region
        (L.PROVINCE, K.DEPARTMENT, CITY),  # or above it
        (L.COUNTY, K.AFFILIATED_UNIT, CITY_DEPT),
        (L.TOWNSHIP, K.DEPARTMENT, COUNTY),
    ],
)
def test_a_department_sits_at_its_parents_level(level, kind, parent):
    problem = check_placement(level, kind, parent)
    assert problem is not None
    assert problem.code is ErrorCode.LEVEL_ORDER
    assert f"parent's level ({parent[0].value}), not {level.value}" in problem.message


@pytest.mark.parametrize(
    ("level", "kind"),
    [
        (L.CITY, K.CITY),
        (L.COUNTY, K.DISTRICT),
        (L.TOWNSHIP, K.TOWN),
        (L.PROVINCE, K.DEPARTMENT),
        (L.PROVINCE, K.AFFILIATED_UNIT),
    ],
)
def test_only_a_province_has_no_parent(level, kind):
    problem = check_placement(level, kind, None, "parentId")
    assert problem is not None
    assert problem.field == "parentId"
    assert problem.code is ErrorCode.REQUIRED
    assert "needs a parent" in problem.message


def test_a_province_under_anything_is_refused():
    for parent in (PROVINCE, CITY, PROVINCE_DEPT):
        problem = check_placement(L.PROVINCE, K.PROVINCE, parent)
        assert problem is not None
        assert problem.code is ErrorCode.LEVEL_ORDER


# --- check_kind --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(L))
@pytest.mark.parametrize("kind", list(K))
def test_kind_matrix_follows_region_kinds(level, kind):
    problem = check_kind(level, kind)
    if not kind.is_region or kind in REGION_KINDS[level]:
        assert problem is None
    else:
        assert problem is not None
        assert problem.code is ErrorCode.INVALID
        assert problem.field == "kind"


def test_a_county_level_town_is_refused_and_the_allowed_kinds_are_listed():
    problem = check_kind(L.COUNTY, K.TOWN, "row 4, kind")
    assert problem is not None
    assert problem.field == "row 4, kind"
    assert problem.code is ErrorCode.INVALID
    assert "a county cannot be a town" in problem.message
    for allowed in ("county", "county_city", "development_zone", "district", "department"):
        assert allowed in problem.message


@pytest.mark.parametrize(
    ("level", "kind"),
    [
        (L.PROVINCE, K.CITY),
        (L.CITY, K.PROVINCE),
        (L.CITY, K.DISTRICT),
        (L.TOWNSHIP, K.COUNTY),
        (L.COUNTY, K.STREET),
    ],
)
def test_region_kinds_at_the_wrong_level_are_refused(level, kind):
    assert check_kind(level, kind) is not None


@pytest.mark.parametrize("level", list(L))
def test_departments_and_affiliated_units_exist_at_every_level(level):
    assert check_kind(level, K.DEPARTMENT) is None
    assert check_kind(level, K.AFFILIATED_UNIT) is None


def test_development_zone_exists_at_county_and_township_only():
    assert check_kind(L.COUNTY, K.DEVELOPMENT_ZONE) is None
    assert check_kind(L.TOWNSHIP, K.DEVELOPMENT_ZONE) is None
    assert check_kind(L.CITY, K.DEVELOPMENT_ZONE) is not None
    assert check_kind(L.PROVINCE, K.DEVELOPMENT_ZONE) is not None


# --- check_code --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["330000", "330000-YJT", "A", "a1-b2", "9" * 40, "x-" * 19 + "xy", "330000-"]
)
def test_valid_codes(code):
    assert check_code(code) is None


def test_empty_code_is_required():
    assert check_code("", "row 3, code") == Problem(
        "row 3, code", "must not be empty", ErrorCode.REQUIRED
    )


@pytest.mark.parametrize(
    "code",
    [
        "-330000",  # must start with a letter or digit
        "330 000",
        " 330000",
        "330000 ",
        "330/000",  # the path separator
        "330.000",
        "330_000",
        "33000０",  # full-width digit
        "浙江",
        "9" * 41,
        "330000\n",  # a trailing newline is not part of a code
        "330000\r\n",
        "\n",
        " ",
    ],
)
def test_invalid_codes(code):
    problem = check_code(code)
    assert problem is not None
    assert problem.field == "code"
    assert problem.code is ErrorCode.INVALID
    assert "not a valid code" in problem.message


# --- check_name --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", " ", "\t \n"])
def test_blank_names_are_required(value):
    assert check_name(value, "nameZh") == Problem("nameZh", "must not be empty", ErrorCode.REQUIRED)


def test_names_are_at_most_200_characters():
    assert check_name("浙" * 200, "nameZh") is None
    problem = check_name("浙" * 201, "nameZh")
    assert problem is not None
    assert problem.code is ErrorCode.INVALID
    assert "200" in problem.message


# --- parse_level / parse_kind ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [("province", L.PROVINCE), ("City", L.CITY), (" county ", L.COUNTY), ("TOWNSHIP", L.TOWNSHIP)],
)
def test_parse_level(text, level):
    assert parse_level(text) is level


@pytest.mark.parametrize("text", ["", "village", "prefecture", "1"])
def test_parse_level_error_lists_the_allowed_levels(text):
    problem = parse_level(text, "row 5, level")
    assert isinstance(problem, Problem)
    assert problem.field == "row 5, level"
    assert problem.code is ErrorCode.INVALID
    assert f"{text!r} is not a level" in problem.message
    assert "(one of: province, city, county, township)" in problem.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [("street", K.STREET), ("County_City", K.COUNTY_CITY), (" department ", K.DEPARTMENT)],
)
def test_parse_kind(text, kind):
    assert parse_kind(text) is kind


@pytest.mark.parametrize("text", ["", "village", "county city"])
def test_parse_kind_error_lists_every_allowed_kind(text):
    problem = parse_kind(text)
    assert isinstance(problem, Problem)
    assert problem.field == "kind"
    assert problem.code is ErrorCode.INVALID
    assert f"{text!r} is not a kind" in problem.message
    assert "one of: " + ", ".join(k.value for k in K) in problem.message


# --- paths ---------------------------------------------------------------------------------


def test_child_path_and_subtree_bound():
    assert child_path(None, "330000") == "/330000/"
    assert child_path("/330000/330400/", "330402") == "/330000/330400/330402/"
    bound = subtree_upper_bound("/330000/330400/330402/")
    assert bound == "/330000/330400/3304020"
    lo = "/330000/330400/330402/"
    # Every descendant falls in [path, bound); siblings sharing the code's digits never do.
    for inside in (lo, lo + "330402007/", lo + "330402-YJJ/", lo + "zz/"):
        assert lo <= inside < bound
    for sibling in (
        "/330000/330400/3304021/",
        "/330000/330400/330402-YJJ/",
        "/330000/330400/3304020/",
    ):
        assert not (lo <= sibling < bound)
