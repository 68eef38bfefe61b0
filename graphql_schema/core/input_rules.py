"""The API's side of the input rules (``redline.inputs``): every text a request sends, and every
number, date and moment, is checked while the request is read, before any resolver runs.

A value no field accepts (a NUL byte or a lone surrogate in a text or a filter, "1E+1000000"
for a number, the year 0001, "20261101" for a date) is refused as a GraphQL error with
``extensions.code`` INVALID whose message names the value's path ("Variable '$input' has
invalid value at .entries[0].points: ..."); nothing runs. What is wrong only in context (points
above the indicator's maximum, a deadline before the start) the services say, in the payload.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from operator import methodcaller
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension
from strawberry.types.scalar import ScalarDefinition

from redline.errors import ErrorCode
from redline.inputs import InputRejected, check_text, plain_date, plain_decimal, plain_moment


class InvalidInput(GraphQLError):
    """A value refused by the input rules; shown to the client as it is."""

    def __init__(self, message: str, nodes: Any = None) -> None:
        super().__init__(message, nodes, extensions={"code": ErrorCode.INVALID.name})


def _refusing(type_name: str, rule: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        try:
            return rule(value)
        except InputRejected as exc:
            shown = value if len(str(value)) <= 40 else f"{str(value)[:40]}..."
            raise InvalidInput(f"{type_name} {json.dumps(shown)} {exc}") from None

    return parse


def _scalar(
    name: str,
    description: str,
    rule: Callable[[Any], Any],
    serialize: Callable[[Any], str] = methodcaller("isoformat"),
) -> ScalarDefinition:
    """A scalar parsed by ``rule``, named and described as strawberry's own (the schema file
    does not change)."""
    return ScalarDefinition(
        name=name,
        description=description,
        specified_by_url=None,
        serialize=serialize,
        parse_value=_refusing(name, rule),
        parse_literal=None,
    )


# The built-in String and ID cannot be redefined (graphql-core reserves them): texts are
# checked by ``TextRules`` below instead, ids where they are read (``graphql_schema.core.ids``).
SCALARS: dict[object, ScalarDefinition] = {
    Decimal: _scalar("Decimal", "Decimal (fixed-point)", plain_decimal, serialize=str),
    date: _scalar("Date", "Date (isoformat)", plain_date),
    datetime: _scalar("DateTime", "Date with time (isoformat)", plain_moment),
}


def _strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a variable's value, with its path as GraphQL prints them (".title",
    ".entries[0].note"), without recursion: a client may nest as deep as the JSON parser lets."""
    stack = [(value, path)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            yield item, at
        elif isinstance(item, dict):
            stack.extend((v, f"{at}.{k}") for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, f"{at}[{i}]") for i, v in reversed(list(enumerate(item))))


class _StringLiterals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[StringValueNode] = []

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        self.found.append(node)


def text_problems(document: DocumentNode | None, variables: dict[str, Any] | None):
    """The first text of the request that breaks the text rule, as an InvalidInput, or None."""
    for name, value in (variables or {}).items():
        for text, path in _strings(value):
            try:
                check_text(text)
            except InputRejected as exc:
                at = f" at {path}" if path else ""
                return InvalidInput(f"Variable '${name}' has invalid value{at}: text {exc}")
    if document is not None:
        literals = _StringLiterals()
        visit(document, literals)
        for node in literals.found:
            try:
                check_text(node.value)
            except InputRejected as exc:
                return InvalidInput(f"A text in the query {exc}", [node])
    return None


class TextRules(SchemaExtension):
    """Refuses a request whose variables or query hold a text no field accepts."""

    def on_execute(self):  # type: ignore[override]
        context = self.execution_context
        problem = text_problems(context.graphql_document, context.variables)
        if problem is not None:
            context.result = None
            raise problem
        yield
