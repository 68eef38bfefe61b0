"""What tests read back after a call: row counts, and the problems a refused call names."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode


def count(session: Session, model: type) -> int:
    """How many rows of ``model`` the session sees."""
    return session.scalar(select(func.count()).select_from(model)) or 0


def problems_of(error: pytest.ExceptionInfo[DomainError]) -> list[tuple[str | None, ErrorCode]]:
    """(field, code) of every problem of the refusal, in its order."""
    return [(p.field, p.code) for p in error.value.problems]
