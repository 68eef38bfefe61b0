"""The exported schema (SDL) that frontend developers generate their types from."""

from __future__ import annotations

from pathlib import Path

from .schema import schema

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")


def schema_sdl() -> str:
    """The schema as SDL, ending in one newline."""
    return schema.as_str().rstrip("\n") + "\n"
