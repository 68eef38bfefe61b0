"""The schema's changes since the release: graphql-core's classification (breaking, dangerous,
safe), descriptions ignored; a breaking change acknowledged by its line in the changelog's
Unreleased section; a release on files of its own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from graphql import build_schema

from graphql_schema.changes import (
    CHANGELOG_FILE,
    RELEASED_FILE,
    Change,
    Kind,
    UnacknowledgedBreakingChanges,
    check_acknowledged,
    is_listed,
    release,
    released_changelog,
    schema_changes,
    unacknowledged,
    unreleased_lines,
)

OLD = '''
"""A unit."""
type Tenant {
  code: String!
  name(lang: String = "zh"): String!
  level: Level!
  rank: Int
  address: String
}

enum Level {
  CITY
  COUNTY
}

input TenantFilter {
  level: Level
}

type Query {
  tenant(code: String!): Tenant
  tenants(filter: TenantFilter): [Tenant!]!
}
'''


def changed(old: str, new: str) -> str:
    """OLD with one piece replaced; the piece must be there, once."""
    assert OLD.count(old) == 1, old
    return OLD.replace(old, new)


def only(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


# --- classification -----------------------------------------------------------------------------


def test_the_same_schema_has_no_changes():
    assert schema_changes(OLD, OLD) == []


def test_a_removed_field_is_breaking():
    new = changed("  address: String\n", "")

    assert only(schema_changes(OLD, new)) == Change(
        Kind.BREAKING, "Field Tenant.address was removed."
    )


def test_a_changed_type_is_breaking():
    new = changed("  code: String!\n", "  code: Int!\n")

    assert only(schema_changes(OLD, new)) == Change(
        Kind.BREAKING, "Field Tenant.code changed type from String! to Int!."
    )


def test_a_field_made_nullable_is_breaking_and_non_null_safe():
    nullable = changed("  code: String!\n", "  code: String\n")
    assert only(schema_changes(OLD, nullable)).kind is Kind.BREAKING
    assert only(schema_changes(nullable, OLD)).kind is Kind.SAFE


def test_a_required_argument_added_is_breaking():
    new = changed("tenants(filter: TenantFilter)", "tenants(filter: TenantFilter, year: Int!)")

    assert only(schema_changes(OLD, new)) == Change(
        Kind.BREAKING, "A required argument Query.tenants(year:) was added."
    )


def test_a_removed_type_and_enum_value_are_breaking():
    new = changed("  COUNTY\n", "")

    assert only(schema_changes(OLD, new)) == Change(
        Kind.BREAKING, "Enum value Level.COUNTY was removed."
    )


def test_an_enum_value_added_is_dangerous():
    """A client's exhaustive switch over the enum may meet a value it does not know."""
    new = changed("  COUNTY\n", "  COUNTY\n  TOWNSHIP\n")

    assert only(schema_changes(OLD, new)) == Change(
        Kind.DANGEROUS, "Enum value Level.TOWNSHIP was added."
    )


def test_an_optional_argument_or_input_field_added_is_dangerous():
    argument = changed("tenant(code: String!)", "tenant(code: String!, year: Int)")
    input_field = changed("  level: Level\n}", "  level: Level\n  search: String\n}")

    assert only(schema_changes(OLD, argument)) == Change(
        Kind.DANGEROUS, "An optional argument Query.tenant(year:) was added."
    )
    assert only(schema_changes(OLD, input_field)) == Change(
        Kind.DANGEROUS, "An optional field TenantFilter.search was added."
    )


def test_a_changed_default_is_dangerous():
    new = changed('name(lang: String = "zh")', 'name(lang: String = "en")')

    assert only(schema_changes(OLD, new)).kind is Kind.DANGEROUS


def test_a_new_field_or_type_is_safe():
    new = changed("  rank: Int\n", "  rank: Int\n  parent: Tenant\n") + (
        "\ntype Cycle {\n  name: String!\n}\n"
    )

    assert schema_changes(OLD, new) == [
        Change(Kind.SAFE, "Cycle was added."),
        Change(Kind.SAFE, "Field Tenant.parent was added."),
    ]


def test_a_deprecation_is_safe_and_listed():
    new = changed("level: Level!", 'level: Level! @deprecated(reason: "Use kind.")')

    assert only(schema_changes(OLD, new)) == Change(
        Kind.SAFE, "Field Tenant.level was deprecated: Use kind."
    )


def test_a_changed_description_is_no_change():
    new = changed('"""A unit."""', '"""A unit of the hierarchy."""\n').replace(
        "  code: String!", '  """Its code."""\n  code: String!'
    )

    assert schema_changes(OLD, new) == []


def test_changes_come_breaking_first_then_dangerous_then_safe():
    new = (
        changed("  COUNTY\n", "  COUNTY\n  TOWNSHIP\n").replace("  code: String!\n", "")
        + "\ntype Cycle {\n  name: String!\n}\n"
    )

    assert [c.kind for c in schema_changes(OLD, new)] == [
        Kind.BREAKING,
        Kind.DANGEROUS,
        Kind.SAFE,
    ]


# --- acknowledgement ----------------------------------------------------------------------------

REMOVED = Change(Kind.BREAKING, "Field Tenant.address was removed.")


def changelog(*unreleased: str, released: tuple[str, ...] = ()) -> str:
    return "\n".join(
        [
            "# GraphQL schema changelog",
            "",
            "Write `- BREAKING: <description>` under `## Unreleased`.",
            "",
            "## Unreleased",
            "",
            *unreleased,
            "",
            "## 2026-12-04",
            "",
            *released,
            "",
        ]
    )


def test_the_unreleased_section_ends_at_the_next_heading():
    text = changelog("- SAFE: Cycle was added.", released=("- The contract starts here.",))

    assert [line for line in unreleased_lines(text) if line] == ["- SAFE: Cycle was added."]
    assert unreleased_lines("# No sections\n") == []


def test_a_breaking_change_is_acknowledged_by_its_line_under_unreleased():
    assert is_listed(REMOVED, changelog("- BREAKING: Field Tenant.address was removed."))
    assert (
        unacknowledged([REMOVED], changelog("- BREAKING: Field Tenant.address was removed.")) == []
    )


def test_the_line_may_go_on_to_say_what_clients_do_instead():
    text = changelog("- BREAKING: Field Tenant.address was removed. Read kind instead.")

    assert unacknowledged([REMOVED], text) == []


@pytest.mark.parametrize(
    "line",
    [
        "Field Tenant.address was removed.",  # no `- BREAKING: `
        "- DANGEROUS: Field Tenant.address was removed.",
        "- BREAKING: Field Tenant.address was removed",  # the description not exactly
        "- BREAKING: Field Tenant.addresses was removed.",
        "- BREAKING: field Tenant.address was removed.",
        "  - BREAKING: Field Tenant.address was removed.",
        "- BREAKING: Field Tenant.address was removed.Read kind.",
    ],
)
def test_anything_else_does_not_acknowledge(line):
    assert unacknowledged([REMOVED], changelog(line)) == [REMOVED]


def test_a_line_under_a_dated_release_does_not_acknowledge():
    text = changelog(released=("- BREAKING: Field Tenant.address was removed.",))

    assert unacknowledged([REMOVED], text) == [REMOVED]


def test_only_breaking_changes_need_acknowledging():
    added = Change(Kind.DANGEROUS, "Enum value Level.TOWNSHIP was added.")

    assert unacknowledged([added, REMOVED], changelog()) == [REMOVED]


def test_the_check_fails_naming_each_breaking_change_not_acknowledged():
    """What tests/graphql/test_schema_file.py runs on the real files, with a fake changelog."""
    new = changed("  address: String\n", "").replace("  code: String!\n", "  code: ID!\n")
    text = changelog("- BREAKING: Field Tenant.code changed type from String! to ID!.")

    with pytest.raises(UnacknowledgedBreakingChanges) as raised:
        check_acknowledged(OLD, new, text)

    assert raised.value.changes == [REMOVED]
    message = str(raised.value)
    assert "- BREAKING: Field Tenant.address was removed." in message
    assert "Tenant.code" not in message
    assert "## Unreleased" in message and "CHANGELOG.md" in message


def test_the_check_passes_once_acknowledged_and_returns_the_changes():
    new = changed("  address: String\n", "")

    assert check_acknowledged(OLD, new, changelog(REMOVED.line)) == [REMOVED]
    assert check_acknowledged(OLD, OLD, changelog()) == []


# --- release ------------------------------------------------------------------------------------


def test_a_release_dates_the_unreleased_section_under_a_fresh_one():
    text = changelog(REMOVED.line + " Read kind instead.", released=("- The start.",))
    added = Change(Kind.SAFE, "Cycle was added.")

    after = released_changelog(text, [REMOVED, added], date(2027, 1, 15))

    assert after == "\n".join(
        [
            "# GraphQL schema changelog",
            "",
            "Write `- BREAKING: <description>` under `## Unreleased`.",
            "",
            "## Unreleased",
            "",
            "## 2027-01-15",
            "",
            "- BREAKING: Field Tenant.address was removed. Read kind instead.",
            "- SAFE: Cycle was added.",
            "",
            "## 2026-12-04",
            "",
            "- The start.",
            "",
        ]
    )
    assert unreleased_lines(after) == [""]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    released = tmp_path / "released.graphql"
    released.write_text(OLD, encoding="utf-8")
    log = tmp_path / "CHANGELOG.md"
    log.write_text(changelog(), encoding="utf-8")
    return released, log


def test_release_writes_the_schema_and_the_changelog(files):
    released, log = files
    new = changed("  COUNTY\n", "  COUNTY\n  TOWNSHIP\n")

    changes = release(new, released, log, date(2027, 1, 15))

    assert changes == [Change(Kind.DANGEROUS, "Enum value Level.TOWNSHIP was added.")]
    assert released.read_text(encoding="utf-8") == new
    text = log.read_text(encoding="utf-8")
    assert (
        "## Unreleased\n\n## 2027-01-15\n\n- DANGEROUS: Enum value Level.TOWNSHIP was added.\n"
        in text
    )
    assert schema_changes(released.read_text(encoding="utf-8"), new) == []


def test_release_is_refused_while_a_breaking_change_is_not_acknowledged(files):
    released, log = files
    before = log.read_text(encoding="utf-8")

    with pytest.raises(UnacknowledgedBreakingChanges, match=r"Field Tenant\.address was removed"):
        release(changed("  address: String\n", ""), released, log, date(2027, 1, 15))

    assert released.read_text(encoding="utf-8") == OLD
    assert log.read_text(encoding="utf-8") == before


def test_release_without_changes_writes_nothing(files):
    released, log = files
    before = log.read_text(encoding="utf-8")
    reworded = changed('"""A unit."""', '"""A unit of the hierarchy."""')

    assert release(reworded, released, log, date(2027, 1, 15)) == []
    assert released.read_text(encoding="utf-8") == OLD
    assert log.read_text(encoding="utf-8") == before


def test_the_committed_files_are_there_and_read():
    assert "## Unreleased" in CHANGELOG_FILE.read_text(encoding="utf-8").splitlines()
    assert build_schema(RELEASED_FILE.read_text(encoding="utf-8")).query_type is not None
