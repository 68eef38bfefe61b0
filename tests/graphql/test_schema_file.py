"""The committed schema.graphql is the schema the code builds (frontend types come from it)."""

from graphql_schema.export import SCHEMA_FILE, schema_sdl


def test_committed_schema_is_current():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == schema_sdl(), (
        "graphql_schema/schema.graphql is stale: run `make schema` and commit the result"
    )
