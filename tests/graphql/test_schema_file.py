"""The committed schema.graphql is the schema the code builds (frontend types come from it), and
every breaking change since the released schema is acknowledged in the changelog."""

from graphql_schema.changes import CHANGELOG_FILE, RELEASED_FILE, check_acknowledged
from graphql_schema.export import SCHEMA_FILE, schema_sdl


def test_committed_schema_is_current():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == schema_sdl(), (
        "graphql_schema/schema.graphql is stale: run `make schema` and commit the result"
    )


def test_breaking_changes_since_the_release_are_acknowledged():
    """Fails naming each breaking change not in CHANGELOG.md's Unreleased section (see
    tests/unit/test_schema_changes.py); `redline schema-changes` prints them all."""
    check_acknowledged(
        RELEASED_FILE.read_text(encoding="utf-8"),
        schema_sdl(),
        CHANGELOG_FILE.read_text(encoding="utf-8"),
    )
