"""Expected failures of tenant operations: each names the field, the reason and a stable code."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ErrorCode(enum.StrEnum):
    """Stable machine-readable reasons; the GraphQL ``ErrorCode`` enum mirrors this one."""

    REQUIRED = "required"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    LEVEL_ORDER = "level_order"
    CYCLE = "cycle"
    PERMISSION_DENIED = "permission_denied"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    # The password was right; the account also asks for its authenticator app's code.
    OTP_REQUIRED = "otp_required"
    # After an admin's reset: choose a new password (changePassword) before anything else.
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # noqa: S105 - a code
    CONFLICT = "conflict"  # someone changed it since you read it: reload and redo
    INVALID_STATE = "invalid_state"  # not allowed in the current workflow state
    TOO_LARGE = "too_large"
    # An upload the virus scanner refused; one it could not scan (failed, timed out): retry.
    INFECTED = "infected"
    SCAN_FAILED = "scan_failed"
    # An operation costing more than a request may spend; a credential over its per-minute
    # allowance of cost points.
    TOO_COSTLY = "too_costly"
    RATE_LIMITED = "rate_limited"
    # A persisted query's hash the allow-list does not hold; a query text where only
    # registered operations are answered.
    PERSISTED_QUERY_NOT_FOUND = "persisted_query_not_found"
    PERSISTED_QUERY_REQUIRED = "persisted_query_required"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which field (or row/column), why, and a code."""

    field: str | None
    message: str
    code: ErrorCode


class DomainError(Exception):
    """Raised by a service when its input cannot be accepted; nothing has been saved."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("; ".join(_describe(p) for p in self.problems))


def _describe(problem: Problem) -> str:
    return f"{problem.field}: {problem.message}" if problem.field else problem.message


def fail(field: str | None, message: str, code: ErrorCode = ErrorCode.INVALID) -> DomainError:
    """A DomainError with one problem (``raise fail("code", "must not be empty", REQUIRED)``)."""
    return DomainError(Problem(field, message, code))
