"""The hierarchy service on both backends: re-coding and moving rewrite subtrees, codes are unique
everywhere, and the subtree range query is exact and index-backed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from redline.demo.run import places_file
from redline.errors import DomainError, ErrorCode, Problem
from tenants.hierarchy import NodeInput, create_node, update_node
from tenants.importer import import_file
from tenants.models import Customer, TenantKind, TenantLevel, TenantNode
from tenants.scope import in_subtree, subtree_upper_bound
from tests.factories.tenants import node

L = TenantLevel
K = TenantKind


@pytest.fixture
def places(session: Session) -> Session:
    import_file(session, places_file())
    return session


def fresh(session: Session) -> dict[str, tuple[int, str, int, int | None]]:
    """code -> (id, path, depth, parent id) of every node, read from the database."""
    session.expire_all()
    rows = session.execute(
        select(
            TenantNode.code, TenantNode.id, TenantNode.path, TenantNode.depth, TenantNode.parent_id
        )
    ).all()
    return {code: (i, path, depth, parent) for code, i, path, depth, parent in rows}


def descendants(tree: dict[str, tuple[int, str, int, int | None]], code: str) -> set[str]:
    """The node and everything below it, found by following parent ids (not paths)."""
    children: dict[int | None, list[str]] = {}
    for c, (_, _, _, parent) in tree.items():
        children.setdefault(parent, []).append(c)
    found, todo = set(), [code]
    while todo:
        c = todo.pop()
        found.add(c)
        todo.extend(children.get(tree[c][0], []))
    return found


def assert_consistent(session: Session) -> None:
    """Each node's path and depth follow from its parent's."""
    tree = fresh(session)
    by_id = {i: (c, path, depth) for c, (i, path, depth, _) in tree.items()}
    for code, (_, path, depth, parent) in tree.items():
        if parent is None:
            assert (path, depth) == (f"/{code}/", 0)
        else:
            _, parent_path, parent_depth = by_id[parent]
            assert (path, depth) == (f"{parent_path}{code}/", parent_depth + 1), code


def add(session, code, parent_code, level, kind) -> TenantNode:
    parent = node(session, parent_code) if parent_code else None
    return create_node(
        session, None, NodeInput(code, f"单位{code}", f"Unit {code}", level, kind), parent
    )


def subtree_query(session: Session, path: str) -> set[str]:
    return set(session.scalars(select(TenantNode.code).where(in_subtree(TenantNode.path, path))))


# --- creating --------------------------------------------------------------------------------


def test_create_node_sets_path_depth_and_customer(places):
    created = add(places, "330402-YJJ", "330402", L.COUNTY, K.DEPARTMENT)
    places.commit()

    assert created.path == "/330000/330400/330402/330402-YJJ/"
    assert created.depth == 3
    assert created.customer_id == node(places, "330000").customer_id
    assert created.parent_id == node(places, "330402").id


def test_create_node_strips_names_and_checks_everything(places):
    created = create_node(
        places,
        None,
        NodeInput("330499", "  新区 ", " New District  ", L.COUNTY, K.DISTRICT),
        node(places, "330400"),
    )
    assert (created.name_zh, created.name_en) == ("新区", "New District")

    with pytest.raises(DomainError) as caught:
        create_node(places, None, NodeInput("", " ", "x", L.COUNTY, K.TOWN), node(places, "330400"))
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("code", ErrorCode.REQUIRED),
        ("nameZh", ErrorCode.REQUIRED),
        ("kind", ErrorCode.INVALID),
    ]
    with pytest.raises(DomainError) as caught:
        add(places, "330098", "330000", L.TOWNSHIP, K.TOWN)
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("parentId", ErrorCode.LEVEL_ORDER)
    ]


def test_an_attached_unit_may_have_no_english_name_a_region_must(places):
    """A county's affiliated unit (a supervised enterprise, say) goes by its Chinese name alone
    when it has no English one; a region still needs one."""
    county = node(places, "330402")
    unit = create_node(
        places,
        None,
        NodeInput("330402-QY-1", "嘉兴某化工有限公司", " ", L.COUNTY, K.AFFILIATED_UNIT),
        county,
    )
    assert (unit.level, unit.name_en) == (L.COUNTY, "")
    assert update_node(places, None, unit, name_en="").name_en == ""
    city = node(places, "330400")
    with pytest.raises(DomainError) as caught:
        create_node(places, None, NodeInput("330499", "新区", "", L.COUNTY, K.DISTRICT), city)
    assert [(p.field, p.code) for p in caught.value.problems] == [("nameEn", ErrorCode.REQUIRED)]
    with pytest.raises(DomainError) as caught:
        update_node(places, None, county, name_en=" ")
    assert [(p.field, p.code) for p in caught.value.problems] == [("nameEn", ErrorCode.REQUIRED)]


def test_create_province_creates_its_customer(session):
    province = add(session, "440000", None, L.PROVINCE, K.PROVINCE)
    session.commit()

    customer = session.get(Customer, province.customer_id)
    assert (customer.code, customer.name) == ("440000", "Unit 440000")
    assert (province.path, province.depth) == ("/440000/", 0)


def test_a_province_takes_any_valid_code_as_its_customer_code(session):
    add(session, "P" * 40, None, L.PROVINCE, K.PROVINCE)
    session.commit()
    assert session.scalars(select(Customer.code)).all() == ["P" * 40]
    with pytest.raises(DomainError) as caught:
        add(session, "Q" * 41, None, L.PROVINCE, K.PROVINCE)
    assert [(p.field, p.code) for p in caught.value.problems] == [("code", ErrorCode.INVALID)]


# --- duplicate codes ---------------------------------------------------------------------------

DUPLICATE = ErrorCode.DUPLICATE


def _assert_usable_after_duplicate(session: Session, nodes: int, customers: int) -> None:
    """The transaction goes on: a later change commits, and nothing of the failed one stays."""
    add(session, "330402-OK", "330402", L.COUNTY, K.DEPARTMENT)
    session.commit()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(TenantNode)) == nodes + 1
    assert session.scalar(select(func.count()).select_from(Customer)) == customers
    assert_consistent(session)


@pytest.mark.parametrize(
    ("code", "parent_code", "level", "kind"),
    [
        ("330402012", "330402", L.TOWNSHIP, K.STREET),  # a sibling's code
        ("330400-YJJ", "330400", L.CITY, K.DEPARTMENT),
        ("510802", "510800", L.COUNTY, K.DISTRICT),
    ],
)
def test_create_with_a_used_code_is_a_duplicate_and_the_session_stays_usable(
    places, code, parent_code, level, kind
):
    nodes = places.scalar(select(func.count()).select_from(TenantNode))
    customers = places.scalar(select(func.count()).select_from(Customer))

    with pytest.raises(DomainError) as caught:
        add(places, code, parent_code, level, kind)

    assert caught.value.problems == [
        Problem("code", f"{code} is already used by another unit", DUPLICATE)
    ]
    _assert_usable_after_duplicate(places, nodes, customers)


@pytest.mark.parametrize(
    ("code", "parent_code", "level", "kind"),
    [
        ("330402", "510800", L.COUNTY, K.DISTRICT),  # another province's code, used
        ("330498", "510800", L.COUNTY, K.DISTRICT),  # and unused: the same answer
        ("510800-YJJ", "330400", L.CITY, K.DEPARTMENT),
        ("510800-XYZ", "330400", L.CITY, K.DEPARTMENT),
        ("YJT", "330000", L.PROVINCE, K.DEPARTMENT),  # a code outside every province's space
    ],
)
def test_a_code_outside_the_provinces_code_space_is_invalid_whether_used_or_not(
    places, code, parent_code, level, kind
):
    before = fresh(places)

    with pytest.raises(DomainError) as caught:
        add(places, code, parent_code, level, kind)

    prefix = parent_code[:2]
    assert caught.value.problems == [
        Problem(
            "code",
            f"{code!r} is not a code of this province: its units' codes begin with {prefix!r}",
            ErrorCode.INVALID,
        )
    ]
    places.rollback()
    assert fresh(places) == before


@pytest.mark.parametrize(
    ("code", "other"),
    [
        ("330000", "330000"),  # a province's (and customer's) code
        ("330402", "330000"),  # a province taking a county's code
        ("339900", "330000"),  # an unused code in Zhejiang's space
        ("3", "330000"),  # a space around Zhejiang's
    ],
)
def test_a_new_province_shares_no_other_provinces_code_space(places, code, other):
    nodes = places.scalar(select(func.count()).select_from(TenantNode))
    customers = places.scalar(select(func.count()).select_from(Customer))

    with pytest.raises(DomainError) as caught:
        add(places, code, None, L.PROVINCE, K.PROVINCE)

    assert caught.value.problems == [
        Problem(
            "code",
            f"the codes beginning with {code[:2]!r} belong to the province {other}",
            DUPLICATE,
        )
    ]
    _assert_usable_after_duplicate(places, nodes, customers)


@pytest.mark.parametrize("taken", ["330421", "330402012", "330000-YJT"])
def test_recoding_to_a_used_code_is_a_duplicate_and_the_session_stays_usable(places, taken):
    nanhu = node(places, "330402")
    before = fresh(places)

    with pytest.raises(DomainError) as caught:
        update_node(places, None, nanhu, code=taken, name_en="Renamed")

    assert caught.value.problems == [
        Problem("code", f"{taken} is already used by another unit", DUPLICATE)
    ]
    assert (nanhu.code, nanhu.name_en) == ("330402", "Nanhu District")
    assert fresh(places) == before
    _assert_usable_after_duplicate(places, len(before), 3)
    assert node(places, "330402").name_en == "Nanhu District"


@pytest.mark.parametrize(
    ("code", "new_code"),
    [
        ("210000", "510000"),  # a province to another province's code
        ("210000", "220000"),  # a province out of its space
        ("330402", "510802"),  # a county to another province's code, used
        ("330402", "510899"),  # and unused: the same answer
        ("330402", "210000"),
    ],
)
def test_recoding_out_of_the_provinces_code_space_is_invalid(places, code, new_code):
    before = fresh(places)
    with pytest.raises(DomainError) as caught:
        update_node(places, None, node(places, code), code=new_code)
    assert [(p.field, p.code) for p in caught.value.problems] == [("code", ErrorCode.INVALID)]
    assert f"begin with {code[:2]!r}" in caught.value.problems[0].message
    _assert_usable_after_duplicate(places, 77, 3)
    assert node(places, code).code == code
    assert set(fresh(places)) == set(before) | {"330402-OK"}


# --- re-coding and moving --------------------------------------------------------------------


def test_changing_a_code_rewrites_the_subtree_paths(places):
    before = fresh(places)
    old_subtree = descendants(before, "330402")
    assert len(old_subtree) == 15

    update_node(places, None, node(places, "330402"), code="330499")
    places.commit()

    after = fresh(places)
    assert set(after) == (set(before) - {"330402"}) | {"330499"}
    for code in old_subtree:
        new_code = "330499" if code == "330402" else code
        old_id, old_path, old_depth, old_parent = before[code]
        assert after[new_code] == (
            old_id,
            old_path.replace("/330402/", "/330499/"),
            old_depth,
            old_parent,
        )
    for code in set(before) - old_subtree:
        assert after[code] == before[code], code
    assert not [p for _, p, _, _ in after.values() if "/330402/" in p]
    assert_consistent(places)


def test_changing_a_province_code_rewrites_its_tree_and_its_customer(places):
    update_node(places, None, node(places, "210000"), code="210001", name_en="Liaoning")
    places.commit()

    tree = fresh(places)
    liaoning = descendants(tree, "210001")
    assert len(liaoning) == 17
    assert all(tree[c][1].startswith("/210001/") for c in liaoning)
    customer = places.get(Customer, node(places, "210001").customer_id)
    assert (customer.code, customer.name) == ("210001", "Liaoning")
    # The old province code is free again (in the province's code space).
    add(places, "210000", "210001", L.PROVINCE, K.DEPARTMENT)
    places.commit()


def test_moving_rewrites_paths_and_keeps_depth_right(places):
    before = fresh(places)
    moved = descendants(before, "330402")

    update_node(places, None, node(places, "330402"), parent=node(places, "330100"))
    places.commit()

    after = fresh(places)
    for code in moved:
        old_id, old_path, old_depth, _ = before[code]
        assert after[code][:3] == (
            old_id,
            old_path.replace("/330400/", "/330100/"),
            old_depth,
        )
    assert after["330402"][3] == before["330100"][0]
    assert descendants(after, "330100") == {"330100", "330102", "330106"} | moved
    assert_consistent(places)


def test_moving_a_department_chain_changes_every_depth(places):
    zrzyt = node(places, "330000-ZRZYT")
    add(places, "330000-ZRZYT-DKJ-1", "330000-ZRZYT-DKJ", L.PROVINCE, K.AFFILIATED_UNIT)
    assert zrzyt.depth == 1

    update_node(places, None, zrzyt, parent=node(places, "330000-YJT"))
    places.commit()
    tree = fresh(places)
    assert {c: tree[c][1:3] for c in descendants(tree, "330000-ZRZYT")} == {
        "330000-ZRZYT": ("/330000/330000-YJT/330000-ZRZYT/", 2),
        "330000-ZRZYT-DKJ": ("/330000/330000-YJT/330000-ZRZYT/330000-ZRZYT-DKJ/", 3),
        "330000-ZRZYT-DKJ-1": (
            "/330000/330000-YJT/330000-ZRZYT/330000-ZRZYT-DKJ/330000-ZRZYT-DKJ-1/",
            4,
        ),
    }
    # The loaded object follows the database.
    assert (zrzyt.path, zrzyt.depth) == ("/330000/330000-YJT/330000-ZRZYT/", 2)

    # Up two levels at once, re-coded on the way.
    update_node(
        places, None, node(places, "330000-ZRZYT-DKJ"), parent=node(places, "330000"), code="33-DKJ"
    )
    places.commit()
    tree = fresh(places)
    assert tree["33-DKJ"][1:3] == ("/330000/33-DKJ/", 1)
    assert tree["330000-ZRZYT-DKJ-1"][1:3] == ("/330000/33-DKJ/330000-ZRZYT-DKJ-1/", 2)
    assert_consistent(places)


@pytest.mark.parametrize(
    ("code", "parent_code", "field", "error"),
    [
        ("330000-ZRZYT", "330000-ZRZYT-DKJ", "parentId", ErrorCode.CYCLE),  # under its child
        ("330000-ZRZYT", "330000-ZRZYT", "parentId", ErrorCode.CYCLE),  # under itself
        ("330402", "510800", "parentId", ErrorCode.INVALID),  # to another province
        ("330402", "330000", "parentId", ErrorCode.LEVEL_ORDER),  # a county under a province
        ("330402012", "330400", "parentId", ErrorCode.LEVEL_ORDER),  # township under a city
        ("330400-YJJ", "330402", "parentId", ErrorCode.LEVEL_ORDER),  # a city dept under county
    ],
)
def test_bad_moves_are_refused_and_change_nothing(places, code, parent_code, field, error):
    before = fresh(places)

    with pytest.raises(DomainError) as caught:
        update_node(places, None, node(places, code), parent=node(places, parent_code))

    assert [(p.field, p.code) for p in caught.value.problems] == [(field, error)]
    places.commit()
    assert fresh(places) == before


def test_bad_updates_are_refused(places):
    nanhu = node(places, "330402")
    with pytest.raises(DomainError) as caught:
        update_node(places, None, nanhu, code="330402\n", name_zh=" ", kind=K.DEPARTMENT)
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("nameZh", ErrorCode.REQUIRED),
        ("code", ErrorCode.INVALID),
        ("kind", ErrorCode.INVALID),  # a district with children cannot become a department
    ]
    with pytest.raises(DomainError) as caught:
        update_node(places, None, nanhu, kind=K.TOWN)
    assert [(p.field, p.code) for p in caught.value.problems] == [("kind", ErrorCode.INVALID)]
    places.commit()
    assert node(places, "330402").code == "330402"


def test_renaming_keeps_paths(places):
    before = fresh(places)
    update_node(places, None, node(places, "330402"), name_zh=" 南湖 ", name_en="Nanhu")
    places.commit()
    assert fresh(places) == before
    assert (node(places, "330402").name_zh, node(places, "330402").name_en) == ("南湖", "Nanhu")


# --- the subtree range query ------------------------------------------------------------------


@pytest.fixture
def lookalikes(places: Session) -> Session:
    """Codes that start with Nanhu's digits, beside it and below it."""
    for code, parent, level, kind in [
        ("3304021", "330400", L.COUNTY, K.DISTRICT),  # a sibling: "330402" + "1"
        ("3304020", "330400", L.COUNTY, K.COUNTY),  # "330402" + "0", the range's upper bound
        ("330402-Z", "330400", L.CITY, K.DEPARTMENT),  # "330402" + "-" (sorts before "/")
        ("33040", "330400", L.CITY, K.DEPARTMENT),  # a prefix of Nanhu's code
        ("3304021001", "3304021", L.TOWNSHIP, K.TOWN),
        ("330402-YJJ", "330402", L.COUNTY, K.DEPARTMENT),  # real descendants
        ("330402-YJJ-1", "330402-YJJ", L.COUNTY, K.AFFILIATED_UNIT),
        ("330402901-A", "330402901", L.TOWNSHIP, K.DEPARTMENT),
    ]:
        add(places, code, parent, level, kind)
    places.commit()
    return places


def test_subtree_is_exactly_the_node_and_its_descendants(lookalikes):
    tree = fresh(lookalikes)
    for code in ("330402", "3304021", "330400", "330000", "330402-YJJ", "330402901", "33040"):
        expected = descendants(tree, code)
        assert subtree_query(lookalikes, tree[code][1]) == expected, code

    nanhu = subtree_query(lookalikes, "/330000/330400/330402/")
    assert len(nanhu) == 15 + 3
    assert {"3304021", "3304020", "330402-Z", "33040", "3304021001"}.isdisjoint(nanhu)
    assert subtree_query(lookalikes, "/330000/330400/3304021/") == {"3304021", "3304021001"}


def test_subtree_bound_excludes_the_code_followed_by_zero(lookalikes):
    path = node(lookalikes, "330402").path
    assert subtree_upper_bound(path) == node(lookalikes, "3304020").path[:-1]
    assert "3304020" not in subtree_query(lookalikes, path)


SUBTREE_SQL = "SELECT id FROM tenant_node WHERE path >= :p AND path < :q"


def test_subtree_query_uses_the_path_index(lookalikes, backend):
    path = node(lookalikes, "330402").path
    params = {"p": path, "q": subtree_upper_bound(path)}
    lookalikes.rollback()
    if backend == "postgresql":
        lookalikes.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(lookalikes.scalars(text(f"EXPLAIN {SUBTREE_SQL}"), params))
        lookalikes.rollback()
        assert "uq_tenant_node_path" in plan, plan
        assert "Seq Scan" not in plan, plan
        assert "Index Cond" in plan, plan  # the range itself is the index condition
        assert f"'{params['p']}'" in plan.split("Index Cond", 1)[1], plan
    else:
        # SQLite names a UNIQUE constraint's index itself: find the one on path.
        indexes = lookalikes.execute(text("PRAGMA index_list('tenant_node')")).all()
        path_index = next(
            ix.name
            for ix in indexes
            if [c.name for c in lookalikes.execute(text(f"PRAGMA index_info('{ix.name}')"))]
            == ["path"]
        )
        plan = "\n".join(
            r.detail for r in lookalikes.execute(text(f"EXPLAIN QUERY PLAN {SUBTREE_SQL}"), params)
        )
        assert path_index in plan, plan
        assert "path>? AND path<?" in plan, plan
        assert "SCAN tenant_node" not in plan.replace("COVERING ", ""), plan
    # And the query itself returns the subtree.
    ids = set(lookalikes.scalars(text(SUBTREE_SQL), params))
    tree = fresh(lookalikes)
    assert ids == {tree[c][0] for c in descendants(tree, "330402")}
