"""The hierarchy importer on both backends: clean imports, idempotent re-imports, updates and moves,
and every kind of bad input refused with its row and reason, with nothing saved."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.demo.run import places_file
from redline.errors import DomainError, ErrorCode, Problem
from tenants.importer import COLUMNS, import_file, import_rows, read_table
from tenants.models import Customer, TenantNode
from tests.factories.tenants import node
from tests.factories.workbooks import workbook_of

Records = list[dict[str, str]]

PLACES_COUNT = 77


def places() -> Records:
    """The demo places, as fresh dicts a test may change."""
    return read_table(places_file())


def row(code, parent, level, kind, name_zh=None, name_en=None) -> dict[str, str]:
    return {
        "code": code,
        "parent_code": parent,
        "name_zh": name_zh if name_zh is not None else f"单位{code}",
        "name_en": name_en if name_en is not None else f"Unit {code}",
        "level": level,
        "kind": kind,
    }


def find(records: Records, code: str) -> dict[str, str]:
    return next(r for r in records if r["code"] == code)


def write_csv(path: Path, records: Records, *, bom: bool = False) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([record[c] for c in COLUMNS])
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def counts(session: Session) -> tuple[int, int]:
    """(tenant nodes, customers), read fresh from the database."""
    session.rollback()
    return (
        session.scalar(select(func.count()).select_from(TenantNode)),
        session.scalar(select(func.count()).select_from(Customer)),
    )


def snapshot(session: Session) -> list[tuple]:
    """Every stored column of every node and customer, straight from the database."""
    session.rollback()
    nodes = session.execute(
        select(
            TenantNode.id,
            TenantNode.code,
            TenantNode.parent_id,
            TenantNode.customer_id,
            TenantNode.name_zh,
            TenantNode.name_en,
            TenantNode.level,
            TenantNode.kind,
            TenantNode.path,
            TenantNode.depth,
            TenantNode.created_at,
            TenantNode.updated_at,
        ).order_by(TenantNode.id)
    ).all()
    customers = session.execute(
        select(Customer.id, Customer.code, Customer.name, Customer.updated_at).order_by(Customer.id)
    ).all()
    return [tuple(n) for n in nodes] + [tuple(c) for c in customers]


def subtree_codes(session: Session, code: str) -> dict[str, tuple[str, int]]:
    """code -> (path, depth) of the node and everything under it, read fresh."""
    session.rollback()
    top = node(session, code)
    rows = session.execute(
        select(TenantNode.code, TenantNode.path, TenantNode.depth).where(
            TenantNode.path.startswith(top.path, autoescape=True)
        )
    ).all()
    return {c: (p, d) for c, p, d in rows}


def assert_tree_consistent(session: Session) -> None:
    """Every node's path, depth and customer follow from its parent's."""
    session.rollback()
    all_nodes = {n.id: n for n in session.scalars(select(TenantNode))}
    for n in all_nodes.values():
        if n.parent_id is None:
            assert n.path == f"/{n.code}/"
            assert n.depth == 0
            customer = session.get(Customer, n.customer_id)
            assert customer is not None
            assert customer.code == n.code
        else:
            parent = all_nodes[n.parent_id]
            assert n.path == f"{parent.path}{n.code}/", n.code
            assert n.depth == parent.depth + 1, n.code
            assert n.customer_id == parent.customer_id, n.code


def refused(session: Session, records: Records) -> list[Problem]:
    with pytest.raises(DomainError) as caught:
        import_rows(session, records)
    return caught.value.problems


@pytest.fixture
def imported(session: Session) -> Session:
    """The demo places, imported."""
    report = import_file(session, places_file())
    assert len(report.created) == PLACES_COUNT
    return session


# --- clean imports ---------------------------------------------------------------------------


def test_clean_import_creates_every_place(session):
    report = import_file(session, places_file())

    assert len(report.created) == PLACES_COUNT
    assert len(set(report.created)) == PLACES_COUNT
    assert report.updated == []
    assert report.unchanged == 0
    assert report.summary() == "77 created, 0 updated, 0 unchanged"
    assert counts(session) == (PLACES_COUNT, 3)
    assert_tree_consistent(session)

    qixing = node(session, "330402015")
    assert qixing.path == "/330000/330400/330402/330402015/"
    assert qixing.depth == 3
    assert (qixing.level.value, qixing.kind.value) == ("township", "street")
    assert (qixing.name_zh, qixing.name_en) == ("七星街道", "Qixing Subdistrict")
    bureau = node(session, "330000-ZRZYT-DKJ")
    assert bureau.path == "/330000/330000-ZRZYT/330000-ZRZYT-DKJ/"
    assert bureau.depth == 2
    assert node(session, "510823100").customer_id == node(session, "510000").customer_id
    assert node(session, "510000").customer_id != node(session, "330000").customer_id


def test_reimporting_the_same_file_changes_nothing(imported, statement_counter):
    before = snapshot(imported)
    statement_counter.clear()

    report = import_file(imported, places_file())

    writes = [s for s in statement_counter if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert report.created == []
    assert report.updated == []
    assert report.unchanged == PLACES_COUNT
    assert report.summary() == "0 created, 0 updated, 77 unchanged"
    assert snapshot(imported) == before


def test_rows_in_any_order_are_applied_parents_first(session):
    records = places()
    records.reverse()

    report = import_rows(session, records)

    assert len(report.created) == PLACES_COUNT
    assert_tree_consistent(session)


def test_changed_names_update_in_place(imported):
    before = {n.code: (n.id, n.updated_at, n.path) for n in imported.scalars(select(TenantNode))}
    records = places()
    nanhu = find(records, "330402")
    nanhu["name_zh"], nanhu["name_en"] = "南湖新区", "Nanhu New District"
    find(records, "330421")["name_en"] = "Jiashan"

    report = import_rows(imported, records)

    assert sorted(report.updated) == ["330402", "330421"]
    assert report.created == []
    assert report.unchanged == PLACES_COUNT - 2
    assert counts(imported) == (PLACES_COUNT, 3)
    renamed = node(imported, "330402")
    assert renamed.id == before["330402"][0]
    assert (renamed.name_zh, renamed.name_en) == ("南湖新区", "Nanhu New District")
    assert renamed.updated_at > before["330402"][1]
    assert node(imported, "330421").name_en == "Jiashan"
    assert node(imported, "330421").name_zh == "嘉善县"
    for code, (node_id, updated_at, path) in before.items():
        if code not in ("330402", "330421"):
            n = node(imported, code)
            assert (n.id, n.updated_at, n.path) == (node_id, updated_at, path), code


def test_an_attached_unit_without_an_english_name_imports(imported):
    """A county's affiliated unit (an enterprise it supervises) may have no English name."""
    records = places()
    records.append(row("330402-QY", "330402", "county", "affiliated_unit", "某化工公司", ""))
    report = import_rows(imported, records)
    assert report.created == ["330402-QY"]
    assert node(imported, "330402-QY").name_en == ""


def test_changed_kind_updates_in_place(imported):
    before = node(imported, "330421").id
    records = places()
    find(records, "330421")["kind"] = "county_city"

    report = import_rows(imported, records)

    assert report.updated == ["330421"]
    assert node(imported, "330421").kind.value == "county_city"
    assert node(imported, "330421").id == before


def test_changed_province_name_renames_its_customer(imported):
    records = places()
    find(records, "510000")["name_en"] = "Sichuan"

    import_rows(imported, records)

    customer = imported.get(Customer, node(imported, "510000").customer_id)
    assert (customer.code, customer.name) == ("510000", "Sichuan")


def test_changed_parent_moves_the_node_and_its_whole_subtree(imported):
    old = subtree_codes(imported, "330402")
    assert len(old) == 15
    ids = {c: node(imported, c).id for c in old}
    records = places()
    find(records, "330402")["parent_code"] = "330100"  # Nanhu moves from Jiaxing to Hangzhou

    report = import_rows(imported, records)

    assert report.updated == ["330402"]
    assert report.created == []
    moved = subtree_codes(imported, "330402")
    assert set(moved) == set(old)
    for code in old:
        expected = "/330000/330100/330402/" + ("" if code == "330402" else f"{code}/")
        assert moved[code] == (expected, 2 if code == "330402" else 3)
        assert node(imported, code).id == ids[code]
    assert node(imported, "330402").parent_id == node(imported, "330100").id
    assert subtree_codes(imported, "330400").keys().isdisjoint(old)
    assert len(subtree_codes(imported, "330100")) == 3 + 15
    assert_tree_consistent(imported)


def test_moves_change_the_depth_of_every_descendant(imported):
    records = places()
    # The natural resources department (with its bureau) goes under the emergency department,
    find(records, "330000-ZRZYT")["parent_code"] = "330000-YJT"
    # and a city department gets a new affiliated unit below it.
    records.append(row("330400-YJJ-ZX", "330400-YJJ", "city", "affiliated_unit"))

    report = import_rows(imported, records)

    assert report.updated == ["330000-ZRZYT"]
    assert report.created == ["330400-YJJ-ZX"]
    assert subtree_codes(imported, "330000-ZRZYT") == {
        "330000-ZRZYT": ("/330000/330000-YJT/330000-ZRZYT/", 2),
        "330000-ZRZYT-DKJ": ("/330000/330000-YJT/330000-ZRZYT/330000-ZRZYT-DKJ/", 3),
    }
    # And back up again: depths shrink.
    find(records, "330000-ZRZYT")["parent_code"] = "330000"
    find(records, "330000-ZRZYT-DKJ")["parent_code"] = "330000"
    report = import_rows(imported, records)
    assert sorted(report.updated) == ["330000-ZRZYT", "330000-ZRZYT-DKJ"]
    assert subtree_codes(imported, "330000-ZRZYT") == {"330000-ZRZYT": ("/330000/330000-ZRZYT/", 1)}
    assert node(imported, "330000-ZRZYT-DKJ").path == "/330000/330000-ZRZYT-DKJ/"
    assert node(imported, "330000-ZRZYT-DKJ").depth == 1
    assert_tree_consistent(imported)


def test_a_node_moves_under_a_parent_created_later_in_the_same_file(imported):
    records = places()
    find(records, "330402009")["parent_code"] = "330499"  # rows before the new parent's
    records.append(row("330499", "330400", "county", "district"))

    report = import_rows(imported, records)

    assert report.created == ["330499"]
    assert report.updated == ["330402009"]
    assert node(imported, "330402009").path == "/330000/330400/330499/330402009/"
    assert_tree_consistent(imported)


@pytest.mark.parametrize("child_first", [False, True])
def test_a_parent_and_its_child_both_move_in_one_file(imported, child_first):
    """Whatever the order the moves are applied in, each ends where its row says."""
    records = places()
    dkj = find(records, "330000-ZRZYT-DKJ")
    find(records, "330000-ZRZYT")["parent_code"] = "330000-YJT"
    dkj["parent_code"] = "330000"
    if child_first:
        records.remove(dkj)
        records.insert(0, dkj)

    report = import_rows(imported, records)

    assert sorted(report.updated) == ["330000-ZRZYT", "330000-ZRZYT-DKJ"]
    assert subtree_codes(imported, "330000-ZRZYT") == {
        "330000-ZRZYT": ("/330000/330000-YJT/330000-ZRZYT/", 2)
    }
    assert subtree_codes(imported, "330000-ZRZYT-DKJ") == {
        "330000-ZRZYT-DKJ": ("/330000/330000-ZRZYT-DKJ/", 1)
    }
    assert_tree_consistent(imported)


def test_departments_can_swap_places_when_both_rows_change(imported):
    """Moving the parent out first makes moving the old parent under it legal."""
    records = places()
    find(records, "330000-ZRZYT-DKJ")["parent_code"] = "330000"
    find(records, "330000-ZRZYT")["parent_code"] = "330000-ZRZYT-DKJ"

    report = import_rows(imported, records)

    assert sorted(report.updated) == ["330000-ZRZYT", "330000-ZRZYT-DKJ"]
    assert node(imported, "330000-ZRZYT").path == "/330000/330000-ZRZYT-DKJ/330000-ZRZYT/"
    assert_tree_consistent(imported)


# --- files -------------------------------------------------------------------------------------


def test_excel_file_imports_like_the_csv(session, tmp_path):
    rows = [[record[c] for c in COLUMNS] for record in places()]
    path = tmp_path / "places.xlsx"
    # A trailing empty row too.
    path.write_bytes(workbook_of(list(COLUMNS), *rows, [None] * len(COLUMNS)))

    report = import_file(session, path)

    assert len(report.created) == PLACES_COUNT
    assert counts(session) == (PLACES_COUNT, 3)
    assert node(session, "330402901").name_zh == "湘家荡区域"
    assert_tree_consistent(session)
    assert import_file(session, path).unchanged == PLACES_COUNT


def test_excel_codes_typed_as_numbers(session, tmp_path):
    path = tmp_path / "numbers.xlsx"
    path.write_bytes(
        workbook_of(
            list(COLUMNS),
            [330000, None, "浙江省", "Zhejiang", "province", "province"],
            [330100.0, 330000, "杭州市", "Hangzhou", "city", "city"],
        )
    )

    import_file(session, path)

    assert node(session, "330100").path == "/330000/330100/"


def test_excel_errors_name_the_spreadsheet_row(session, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        workbook_of(
            list(COLUMNS),
            ["330000", "", "浙江省", "Zhejiang", "province", "province"],
            ["330100", "330000", "", "Hangzhou", "city", "city"],
        )
    )

    with pytest.raises(DomainError) as caught:
        import_file(session, path)

    assert caught.value.problems == [
        Problem("row 3, name_zh", "must not be empty", ErrorCode.REQUIRED)
    ]
    assert counts(session) == (0, 0)


def test_csv_with_a_byte_order_mark(session, tmp_path):
    path = write_csv(tmp_path / "bom.csv", places(), bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    report = import_file(session, path)

    assert len(report.created) == PLACES_COUNT


def test_blank_lines_are_skipped_and_rows_keep_their_file_numbers(session, tmp_path):
    records = places()[:5]
    path = write_csv(tmp_path / "blank.csv", records)
    lines = path.read_text(encoding="utf-8").splitlines()
    # header, blank, row, blank, blank, rows..., ",,,,," (a row of empty cells), blank
    lines = [lines[0], "", lines[1], "", "", *lines[2:], ",,,,,", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_file(session, path)

    assert len(report.created) == 5
    assert counts(session) == (5, 1)
    # A bad row after the blank lines is named by its line in the file.
    bad = lines.copy()
    assert bad[5].startswith("330000-YJT,")
    bad[5] = "bad code" + bad[5].removeprefix("330000-YJT")
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        import_file(session, path)
    assert [p.field for p in caught.value.problems] == ["row 6, code"]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("code,name_zh,name_en,level,kind", "parent_code"),
        ("code,parent_code,name_zh,level", "name_en, kind"),
        ("", "code, parent_code, name_zh, name_en, level, kind"),
    ],
)
def test_missing_columns_in_the_header(session, tmp_path, header, missing):
    path = tmp_path / "missing.csv"
    path.write_text(f"{header}\n330000,浙江省,Zhejiang,province,province\n", encoding="utf-8")

    with pytest.raises(DomainError) as caught:
        import_file(session, path)

    (problem,) = caught.value.problems
    assert problem.field == "row 1"
    assert problem.code is ErrorCode.REQUIRED
    assert f"missing column(s): {missing};" in problem.message
    assert counts(session) == (0, 0)


def test_header_is_case_and_order_insensitive_and_extra_columns_are_ignored(session, tmp_path):
    path = tmp_path / "shuffled.csv"
    path.write_text(
        "Kind, LEVEL ,note,Name_EN,name_zh,parent_code,CODE\n"
        "province,province,top,Zhejiang,浙江省,,330000\n"
        "city,city,,Hangzhou,杭州市,330000,330100\n",
        encoding="utf-8",
    )

    import_file(session, path)

    assert node(session, "330100").name_en == "Hangzhou"


def test_records_missing_a_column_are_refused(session):
    records = [
        row("330000", "", "province", "province"),
        {"code": "330100", "name_zh": "杭州市", "name_en": "Hangzhou", "level": "city"},
    ]

    problems = refused(session, records)

    assert [(p.field, p.code) for p in problems] == [("row 3", ErrorCode.REQUIRED)]
    assert "missing column(s): parent_code, kind" in problems[0].message
    assert counts(session) == (0, 0)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("places.txt", b"code\n", "use a .csv or .xlsx file"),
        ("gbk.csv", "code,parent_code\n330000,浙江省\n".encode("gbk"), "is not UTF-8"),
        ("empty.csv", b"", "the file is empty"),
        ("broken.xlsx", b"not a zip file", "is not a readable Excel file"),
    ],
)
def test_unreadable_files_are_refused(session, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(DomainError) as caught:
        import_file(session, path)

    assert message in str(caught.value)
    assert counts(session) == (0, 0)


# --- bad rows: refused, named, and nothing saved -------------------------------------------------

# Each case changes the demo places; the bad row is placed last, after all 77 good rows.
# (change, field of the problem, words in the message, error code)
BAD_FILES: dict[str, tuple[Callable[[Records], None], str, str, ErrorCode]] = {
    "unknown parent": (
        lambda r: r.append(row("330402999", "330499", "township", "town")),
        "row 79, parent_code",
        "unknown parent 330499",
        ErrorCode.NOT_FOUND,
    ),
    "duplicate code": (
        lambda r: r.append(row("330402012", "330402", "township", "street")),
        "row 79, code",
        "330402012 repeats row 17",
        ErrorCode.DUPLICATE,
    ),
    "own code as parent": (
        lambda r: r.append(row("330400-X", "330400-X", "city", "department")),
        "row 79, parent_code",
        "330400-X is its own parent",
        ErrorCode.CYCLE,
    ),
    "township under a province": (
        lambda r: r.append(row("330099", "330000", "township", "town")),
        "row 79, parent_code",
        "a township cannot sit directly under a province",
        ErrorCode.LEVEL_ORDER,
    ),
    "city under a county": (
        lambda r: r.append(row("330499", "330402", "city", "city")),
        "row 79, parent_code",
        "a city cannot sit directly under a county",
        ErrorCode.LEVEL_ORDER,
    ),
    "department at another level than its parent": (
        lambda r: r.append(row("330402-YJJ", "330402", "city", "department")),
        "row 79, parent_code",
        "a department has its parent's level (county), not city",
        ErrorCode.LEVEL_ORDER,
    ),
    "region under a department": (
        lambda r: r.append(row("330499", "330400-YJJ", "county", "district")),
        "row 79, parent_code",
        "cannot sit under a department",
        ErrorCode.LEVEL_ORDER,
    ),
    "second province without parent": (
        lambda r: r.append(row("330499", "", "county", "district")),
        "row 79, parent_code",
        "needs a parent",
        ErrorCode.REQUIRED,
    ),
    "empty name_zh": (
        lambda r: r.append(row("330499", "330400", "county", "district", name_zh="  ")),
        "row 79, name_zh",
        "must not be empty",
        ErrorCode.REQUIRED,
    ),
    "a NUL byte in a name": (
        lambda r: r.append(row("330499", "330400", "county", "district", name_en="Test\x00")),
        "row 79, name_en",
        "contains a NUL byte",
        ErrorCode.INVALID,
    ),
    "a control character in a name": (
        lambda r: r.append(row("330499", "330400", "county", "district", name_zh="测试\x1b区")),
        "row 79, name_zh",
        "control character (U+001B)",
        ErrorCode.INVALID,
    ),
    "empty name_en": (
        lambda r: r.append(row("330499", "330400", "county", "district", name_en="")),
        "row 79, name_en",
        "must not be empty",
        ErrorCode.REQUIRED,
    ),
    "empty code": (
        lambda r: r.append(row("", "330400", "county", "district")),
        "row 79, code",
        "must not be empty",
        ErrorCode.REQUIRED,
    ),
    "bad code": (
        lambda r: r.append(row("3304/99", "330400", "county", "district")),
        "row 79, code",
        "'3304/99' is not a valid code",
        ErrorCode.INVALID,
    ),
    "unknown level": (
        lambda r: r.append(row("330499", "330400", "village", "district")),
        "row 79, level",
        "'village' is not a level (one of: province, city, county, township)",
        ErrorCode.INVALID,
    ),
    "unknown kind": (
        lambda r: r.append(row("330499", "330400", "county", "borough")),
        "row 79, kind",
        "'borough' is not a kind (one of: province, city, district,",
        ErrorCode.INVALID,
    ),
    "kind not allowed at the level": (
        lambda r: r.append(row("330499", "330400", "county", "town")),
        "row 79, kind",
        "a county cannot be a town",
        ErrorCode.INVALID,
    ),
}


def _cycle(records: Records) -> None:
    records.append(row("330400-A", "330400-B", "city", "department"))
    records.append(row("330400-B", "330400-A", "city", "department"))


BAD_FILES["cycle A->B->A"] = (
    _cycle,
    "row 79, parent_code",
    "cycle: 330400-A -> 330400-B -> 330400-A",
    ErrorCode.CYCLE,
)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_last_row_saves_nothing_in_an_empty_database(session, case):
    change, field, message, code = BAD_FILES[case]
    records = places()
    change(records)

    problems = refused(session, records)

    assert len(problems) == 1, problems
    assert problems[0].field == field
    assert message in problems[0].message
    assert problems[0].code is code
    assert counts(session) == (0, 0)


def test_a_bad_last_row_changes_nothing_already_imported(imported):
    """Every bad case again, over the imported places, with good changes before the bad row."""
    before = snapshot(imported)
    for case, (change, field, message, code) in BAD_FILES.items():
        records = places()
        find(records, "330402")["name_en"] = "Renamed"  # a good change that must not be applied
        records.append(row("330402998", "330402", "township", "town"))  # nor this creation
        change(records)

        problems = refused(imported, records)

        expected_field = field.replace("row 79", "row 80")
        assert [(p.field, p.code) for p in problems] == [(expected_field, code)], case
        assert message in problems[0].message, case
        assert snapshot(imported) == before, case


def test_changing_the_level_of_an_existing_node_is_refused(imported):
    before = snapshot(imported)
    records = places()
    records.remove(find(records, "330402009"))
    records.append(row("330402009", "330400", "county", "district"))  # well placed, but ...

    problems = refused(imported, records)

    assert problems == [
        Problem(
            "row 78, level",
            "330402009 is already a township; a level cannot change",
            ErrorCode.INVALID,
        )
    ]
    assert snapshot(imported) == before


def test_moving_a_node_under_its_own_descendant_is_refused(imported):
    before = snapshot(imported)
    records = places()
    find(records, "330000-ZRZYT")["parent_code"] = "330000-ZRZYT-DKJ"
    records.remove(find(records, "330000-ZRZYT-DKJ"))  # the child's row is not in the file

    problems = refused(imported, records)

    assert problems == [
        Problem(
            "row 4, parent_code",
            "330000-ZRZYT-DKJ is inside 330000-ZRZYT: a unit cannot move under itself",
            ErrorCode.CYCLE,
        )
    ]
    assert snapshot(imported) == before


def test_moving_a_node_under_a_new_node_inside_its_own_subtree_is_refused(imported):
    before = snapshot(imported)
    records = places()
    find(records, "330000-ZRZYT")["parent_code"] = "330000-ZRZYT-NEW"
    records.remove(find(records, "330000-ZRZYT-DKJ"))
    records.append(row("330000-ZRZYT-NEW", "330000-ZRZYT-DKJ", "province", "department"))

    problems = refused(imported, records)

    assert [(p.field, p.code) for p in problems] == [("row 4, parent_code", ErrorCode.CYCLE)]
    assert snapshot(imported) == before


def test_moving_a_node_to_another_province_is_refused(imported):
    before = snapshot(imported)
    records = places()
    find(records, "330402")["parent_code"] = "510800"

    problems = refused(imported, records)

    assert [(p.field, p.code) for p in problems] == [("row 11, parent_code", ErrorCode.INVALID)]
    assert "another province (510000)" in problems[0].message
    assert snapshot(imported) == before


def test_moving_to_another_province_is_refused_when_only_the_database_knows_it(imported):
    """The file holds only the moved row: the province is found from stored paths."""
    before = snapshot(imported)
    records = [row("330402", "510800", "county", "district", "南湖区", "Nanhu District")]

    problems = refused(imported, records)

    assert [(p.field, p.code) for p in problems] == [("row 2, parent_code", ErrorCode.INVALID)]
    assert snapshot(imported) == before


def test_a_partial_file_updates_only_its_rows(imported):
    records = [row("330402100", "330402", "township", "town", "凤桥镇", "Fengqiao")]

    report = import_rows(imported, records)

    assert report.updated == ["330402100"]
    assert counts(imported) == (PLACES_COUNT, 3)


def test_every_problem_in_a_file_is_reported_at_once(session):
    records = places()
    find(records, "330402007")["name_zh"] = ""  # row 12
    find(records, "330402008")["level"] = "village"  # row 13
    find(records, "330402010")["parent_code"] = "330000"  # row 15: township under a province
    find(records, "330411")["parent_code"] = "330499"  # row 26: unknown parent
    find(records, "330421")["kind"] = "town"  # row 30
    records.append(row("330402012", "330402", "township", "street"))  # row 79: duplicate
    records.append(row("330400-A", "330400-B", "city", "department"))  # row 80: cycle
    records.append(row("330400-B", "330400-A", "city", "department"))  # row 81
    records.append(row("330402-X", "330402-X", "county", "department"))  # row 82: own parent
    # Row 83: a region needs an English name (a department or affiliated unit may go without).
    records.append(row("330498", "330400", "county", "district", name_en=""))

    problems = refused(session, records)

    assert [(p.field, p.code) for p in problems] == [
        ("row 12, name_zh", ErrorCode.REQUIRED),
        ("row 13, level", ErrorCode.INVALID),
        ("row 15, parent_code", ErrorCode.LEVEL_ORDER),
        ("row 26, parent_code", ErrorCode.NOT_FOUND),
        ("row 30, kind", ErrorCode.INVALID),
        ("row 79, code", ErrorCode.DUPLICATE),
        ("row 80, parent_code", ErrorCode.CYCLE),
        ("row 82, parent_code", ErrorCode.CYCLE),
        ("row 83, name_en", ErrorCode.REQUIRED),
    ]
    # Every problem is also in the error's text.
    with pytest.raises(DomainError) as caught:
        import_rows(session, records)
    for p in problems:
        assert f"{p.field}: {p.message}" in str(caught.value)
    assert counts(session) == (0, 0)


def test_children_of_a_rejected_row_are_not_reported_as_orphans(session):
    records = places()
    find(records, "330402")["kind"] = "town"  # the district's own row is wrong ...

    problems = refused(session, records)

    # ... which is the only problem: its townships do not each get an "unknown parent".
    assert [(p.field, p.code) for p in problems] == [("row 11, kind", ErrorCode.INVALID)]


def test_a_failure_while_applying_rolls_back_the_rows_already_applied(imported, monkeypatch):
    """Rows that pass every check can still fail in the database; nothing is kept then."""
    import tenants.importer

    before = snapshot(imported)
    real_update = tenants.importer.update_node
    records = places()
    records.append(row("330402997", "330402", "township", "town"))  # created first
    find(records, "330402")["name_en"] = "Renamed"

    def failing_update(*args, **kwargs):
        real_update(*args, **kwargs)
        raise DomainError(Problem("nameEn", "refused by the database", ErrorCode.INVALID))

    monkeypatch.setattr(tenants.importer, "update_node", failing_update)

    problems = refused(imported, records)

    assert problems == [Problem("row 11, name_en", "refused by the database", ErrorCode.INVALID)]
    assert snapshot(imported) == before


def test_many_rows_are_looked_up_in_chunks(session, monkeypatch, statement_counter):
    """Lookups of existing codes are split (SQLite and psycopg cap bound parameters)."""
    import tenants.importer

    monkeypatch.setattr(tenants.importer, "LOOKUP_CHUNK", 7)
    import_file(session, places_file())
    records = places()
    find(records, "330402")["parent_code"] = "330100"
    statement_counter.clear()

    report = import_rows(session, records)

    assert report.updated == ["330402"]
    assert report.unchanged == PLACES_COUNT - 1
    lookups = [s for s in statement_counter if "tenant_node.code IN (" in s]
    assert len(lookups) >= 2 * PLACES_COUNT // 7
    assert max(s.count("?") + s.count("%(") for s in lookups) <= 7


def test_long_department_chains_do_not_exhaust_the_stack(session):
    """Ordering and cycle checks are iterative: a deep chain is fine, a long loop is reported."""
    chain = [row("330000", "", "province", "province")]
    chain += [
        row(f"D{i}", f"D{i - 1}" if i else "330000", "province", "department") for i in range(1500)
    ]
    chain.reverse()
    loop = [row(f"L{i}", f"L{(i + 1) % 1500}", "province", "department") for i in range(1500)]

    problems = refused(session, chain + loop)

    assert [(p.field, p.code) for p in problems] == [("row 1503, parent_code", ErrorCode.CYCLE)]
    assert counts(session) == (0, 0)
