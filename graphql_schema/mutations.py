"""What every mutation shares: run a service as the signed-in actor in one unit of work."""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import TypeVar

from sqlalchemy.orm import Session
from strawberry import relay

from redline.db import unit_of_work
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.evidence import EvidenceStore
from tenants.access import Actor

from .context import Info
from .ids import database_id

T = TypeVar("T")


def run(info: Info, action: Callable[[Session, Actor], T]) -> T | DomainError:
    """Run ``action`` as the signed-in actor in one unit of work; refused inputs come back as a
    DomainError and nothing is saved."""
    session = info.context.db
    try:
        actor = signed_in_actor(info)
        with unit_of_work(session):
            return action(session, actor)
    except DomainError as exc:
        return exc


def signed_in_actor(info: Info) -> Actor:
    """The signed-in actor, or an UNAUTHENTICATED input error."""
    if info.context.actor is None:
        message = info.context.credentials_problem or "sign in first"
        raise fail(None, message, ErrorCode.UNAUTHENTICATED)
    return info.context.actor


def get(
    session: Session, model: type[T], global_id: relay.GlobalID, type_name: str, field: str
) -> T:
    """A visible row by global id, or a NOT_FOUND field error (invisible rows are not found)."""
    row = session.get(model, database_id(global_id, type_name, field))
    if row is None:
        raise fail(field, f"no {type_name} with this id that you can see", ErrorCode.NOT_FOUND)
    return row


def evidence_store(info: Info) -> EvidenceStore:
    """Where this app keeps evidence files (of assessments and of ledgers alike)."""
    return EvidenceStore(info.context.settings.attachment_dir)


def cap(items: Sized | None, limit: int, field: str) -> None:
    """Refuse an input list longer than ``limit`` before any work is done on it."""
    if items is not None and len(items) > limit:
        raise fail(field, f"at most {limit} in one request", ErrorCode.TOO_LARGE)


def renamed(error: DomainError, names: dict[str, str]) -> DomainError:
    """The error with fields renamed to the mutation's own input names (a service may name the
    assessment a removed attachment belongs to, where the input named the attachment)."""
    return DomainError(
        [
            Problem(names.get(p.field, p.field) if p.field else None, p.message, p.code)
            for p in error.problems
        ]
    )
