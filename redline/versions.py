"""Optimistic locking, one way for every row people edit (templates, assessments, ledger rows):
a writer states the version it read; a stale version or a concurrent writer gets a CONFLICT
naming what changed, and nothing is saved."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from redline.errors import DomainError, ErrorCode, fail


def conflict(
    what: str, expected: int, current: int | None, counter: str = "version"
) -> DomainError:
    """The CONFLICT of a writer who read version ``expected`` of ``what`` ("the hazard"); a
    template, itself a version, counts its edits (``counter="edit"``)."""
    now = f"{counter} {current}" if current is not None else f"a newer {counter}"
    return fail(
        "expectedVersion",
        f"{what} was changed by someone else since you read {counter} {expected}: it is now at "
        f"{now}; reload it and redo your change",
        ErrorCode.CONFLICT,
    )


def check_version(version: int, expected: int, what: str, counter: str = "version") -> None:
    """CONFLICT unless the row is still at the version the writer read."""
    if version != expected:
        raise conflict(what, expected, version, counter)


@contextmanager
def writing(session: Session, expected: int, what: str) -> Iterator[None]:
    """Write the block in a savepoint; a concurrent writer turns into a CONFLICT, nothing saved
    (the row's UPDATE only matches the version read). The caller's earlier work is flushed
    first, so it stays out of the savepoint."""
    session.flush()
    try:
        with session.begin_nested():
            yield
            session.flush()
    except StaleDataError:
        raise conflict(what, expected, None) from None
    except IntegrityError:
        # Two writers adding the same child row at once (an assessment's entry for one
        # indicator): the second one hits the key. Only the writers' race reaches here: the
        # services check their own keys first.
        raise conflict(what, expected, None) from None
