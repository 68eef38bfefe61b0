"""The GraphQL schema's changes since the released contract, and their changelog."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from graphql import (
    GraphQLSchema,
    build_schema,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_object_type,
)
from graphql.utilities import (
    BreakingChangeType,
    DangerousChangeType,
    SafeChangeType,
    find_schema_changes,
)

RELEASED_FILE = Path(__file__).with_name("released.graphql")
CHANGELOG_FILE = Path(__file__).with_name("CHANGELOG.md")

UNRELEASED = "## Unreleased"
HOW_TO_ACKNOWLEDGE = (
    "acknowledge each in graphql_schema/CHANGELOG.md by adding its line, exactly as printed, "
    "under `## Unreleased` (after it, on the same line, you may say what clients do instead); "
    "or undo the change"
)


class Kind(StrEnum):
    """What a change does to clients written against the released schema."""

    BREAKING = "BREAKING"
    """May break a client's operations (a field removed, a type changed, a required argument)."""
    DANGEROUS = "DANGEROUS"
    """Old operations still validate, but a client may see what it does not expect (an enum
    value added, an argument's default changed)."""
    SAFE = "SAFE"
    """Nothing a client sent before changes meaning (a type or field added, a field deprecated)."""


@dataclass(frozen=True)
class Change:
    """One change, described in one line (graphql-core's words for all but deprecations)."""

    kind: Kind
    description: str

    @property
    def line(self) -> str:
        """The changelog's line for it."""
        return f"- {self.kind}: {self.description}"


class UnacknowledgedBreakingChanges(Exception):
    """Breaking changes the changelog's Unreleased section does not acknowledge."""

    def __init__(self, changes: list[Change]) -> None:
        self.changes = changes
        lines = "\n".join(change.line for change in changes)
        super().__init__(
            f"{len(changes)} breaking change(s) to the released GraphQL schema "
            f"(graphql_schema/released.graphql) not acknowledged: {HOW_TO_ACKNOWLEDGE}.\n{lines}"
        )


def schema_changes(old_sdl: str, new_sdl: str) -> list[Change]:
    """The changes from old to new: breaking, then dangerous, then safe; descriptions ignored."""
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    changes = []
    for found in find_schema_changes(old, new):
        if found.type is SafeChangeType.DESCRIPTION_CHANGED:
            continue
        if isinstance(found.type, BreakingChangeType):
            kind = Kind.BREAKING
        elif isinstance(found.type, DangerousChangeType):
            kind = Kind.DANGEROUS
        else:
            kind = Kind.SAFE
        changes.append(Change(kind, found.description))
    changes.extend(_deprecations(old, new))
    order = list(Kind)
    return sorted(changes, key=lambda change: order.index(change.kind))


def _deprecations(old: GraphQLSchema, new: GraphQLSchema) -> Iterator[Change]:
    """What was deprecated since (graphql-core does not report it): clients should move off."""
    before = dict(_deprecation_reasons(old))
    for coordinate, reason in _deprecation_reasons(new):
        if coordinate in before and before[coordinate] is None and reason is not None:
            yield Change(Kind.SAFE, f"{coordinate} was deprecated: {reason}")


def _deprecation_reasons(schema: GraphQLSchema) -> Iterator[tuple[str, str | None]]:
    """Every field, argument, input field and enum value by its coordinate, with its
    deprecation reason (None when not deprecated)."""
    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        if is_enum_type(named):
            for value_name, value in named.values.items():
                yield f"Enum value {name}.{value_name}", value.deprecation_reason
        elif is_input_object_type(named):
            for field_name, input_field in named.fields.items():
                yield f"Field {name}.{field_name}", input_field.deprecation_reason
        elif is_object_type(named) or is_interface_type(named):
            for field_name, field in named.fields.items():
                yield f"Field {name}.{field_name}", field.deprecation_reason
                for arg_name, arg in field.args.items():
                    yield f"Argument {name}.{field_name}({arg_name}:)", arg.deprecation_reason


# --- the changelog ------------------------------------------------------------------------------


def unreleased_lines(changelog: str) -> list[str]:
    """The lines of the changelog's `## Unreleased` section (up to the next `## ` heading)."""
    lines = changelog.splitlines()
    try:
        start = lines.index(UNRELEASED) + 1
    except ValueError:
        return []
    section = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        section.append(line.rstrip())
    return section


def is_listed(change: Change, changelog: str) -> bool:
    """The Unreleased section has the change's line, alone or followed by a space and a note."""
    return any(
        line == change.line or line.startswith(change.line + " ")
        for line in unreleased_lines(changelog)
    )


def unacknowledged(changes: list[Change], changelog: str) -> list[Change]:
    """The breaking changes among these that the changelog's Unreleased section does not list."""
    return [c for c in changes if c.kind is Kind.BREAKING and not is_listed(c, changelog)]


def check_acknowledged(released_sdl: str, current_sdl: str, changelog: str) -> list[Change]:
    """The changes since the release; raises UnacknowledgedBreakingChanges naming each breaking
    change that the changelog does not acknowledge."""
    changes = schema_changes(released_sdl, current_sdl)
    missing = unacknowledged(changes, changelog)
    if missing:
        raise UnacknowledgedBreakingChanges(missing)
    return changes


def released_changelog(changelog: str, changes: list[Change], day: date) -> str:
    """The changelog after a release on `day`: the Unreleased section becomes `## day`, with the
    changes it did not list yet added, under a fresh empty `## Unreleased`."""
    lines = changelog.splitlines()
    if UNRELEASED not in lines:
        raise ValueError(f"the changelog has no `{UNRELEASED}` heading")
    start = lines.index(UNRELEASED)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    entries = [line for line in lines[start + 1 : end] if line.strip()]
    entries += [change.line for change in changes if not is_listed(change, changelog)]
    section = [UNRELEASED, "", f"## {day.isoformat()}", "", *entries, ""]
    return "\n".join(lines[:start] + section + lines[end:]).rstrip("\n") + "\n"


def release(current_sdl: str, released: Path, changelog: Path, day: date) -> list[Change]:
    """Make the current schema the released one and date the changelog's Unreleased section;
    raises UnacknowledgedBreakingChanges (writing nothing) while a breaking change is not
    acknowledged. Returns the changes released; none: nothing is written."""
    text = changelog.read_text(encoding="utf-8")
    changes = check_acknowledged(released.read_text(encoding="utf-8"), current_sdl, text)
    if changes:
        changelog.write_text(released_changelog(text, changes, day), encoding="utf-8")
        released.write_text(current_sdl, encoding="utf-8")
    return changes


def changes_report(changes: list[Change]) -> str:
    """The changes grouped by kind, each as its changelog line (ready to paste)."""
    if not changes:
        return "No changes to the released GraphQL schema.\n"
    out = []
    for kind in Kind:
        of_kind = [change for change in changes if change.kind is kind]
        if not of_kind:
            continue
        out.append(f"{kind} ({len(of_kind)}):")
        out.extend(change.line for change in of_kind)
        out.append("")
    return "\n".join(out)
