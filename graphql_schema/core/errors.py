"""Errors as the API shows them: typed payload errors for expected failures of mutations, query
errors with a code for those of queries, masked errors for the rest."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from redline.errors import DomainError, Problem

from .enums import ErrorCode

log = logging.getLogger(__name__)

T = TypeVar("T")


@strawberry.type(description="An input a mutation refused: which field, why, and a code.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), or null when the whole input is."
    )
    message: str = strawberry.field(description="A sentence a person can act on.")
    code: ErrorCode = strawberry.field(description="Why, as a stable code for programs.")


def user_errors(problems: Iterable[Problem]) -> list[UserError]:
    """The payload errors for a refused input (or a template's problems)."""
    return [UserError(field=p.field, message=p.message, code=p.code) for p in problems]


class ApiError(GraphQLError):
    """An expected error of a query (not a mutation input), shown to the client as it is."""

    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message, extensions={"code": code.name})


def query_error(error: DomainError) -> ApiError:
    """A refusal as a query's error (a query has no payload to carry field errors): every
    problem in the message ("nodeId: ..."), the first one's code."""
    return ApiError(str(error), error.problems[0].code)


def query_result(call: Callable[[], T]) -> T:
    """What a reading service answers; its refusal becomes the query's error."""
    try:
        return call()
    except DomainError as exc:
        raise query_error(exc) from None


def should_mask(error: GraphQLError) -> bool:
    """Mask errors raised by our code by accident; keep syntax/validation and ApiErrors."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)
