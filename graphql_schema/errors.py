"""Errors as the API shows them: typed payload errors for expected failures, masked otherwise."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError

from redline.errors import DomainError
from redline.errors import ErrorCode as DomainErrorCode

log = logging.getLogger(__name__)

ErrorCode = strawberry.enum(
    DomainErrorCode,
    name="ErrorCode",
    description="Why an input was refused; stable, for programs to switch on.",
)


@strawberry.type(description="An input a mutation refused: which field, why, and a code.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), or null when the whole input is."
    )
    message: str = strawberry.field(description="A sentence a person can act on.")
    code: ErrorCode  # type: ignore[valid-type]


def user_errors(exc: DomainError) -> list[UserError]:
    """The payload errors for a refused input."""
    return [UserError(field=p.field, message=p.message, code=p.code) for p in exc.problems]


class ApiError(GraphQLError):
    """An expected error of a query (not a mutation input), shown to the client as it is."""

    def __init__(self, message: str, code: DomainErrorCode) -> None:
        super().__init__(message, extensions={"code": code.name})


def should_mask(error: GraphQLError) -> bool:
    """Mask errors raised by our code by accident; keep syntax/validation and ApiErrors."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)
