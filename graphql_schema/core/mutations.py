"""What every mutation shares: run a service as the signed-in actor in one unit of work and
answer with its payload (the changed objects, or the refusal's errors with nothing saved)."""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay
from strawberry.types import get_object_definition

from redline.db import Base, unit_of_work
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.evidence import EvidenceStore
from scoring.evidence import evidence_store as store_of
from tenants import audit
from tenants.access import Actor
from tenants.models import TenantNode

from .context import Info
from .errors import user_errors
from .ids import database_id
from .nodes import ModelNode

P = TypeVar("P")
T = TypeVar("T")

# A mutation's one argument, described once: ``input: Input[SignInInput]``.
Input = Annotated[
    T, strawberry.argument(description="What the mutation needs, as one input object.")
]

ERRORS_DESCRIPTION = "Why the input was refused, nothing saved; empty when it was done."


def errors_field() -> Any:
    """A payload's ``errors`` field, described once for every payload:
    ``errors: list[UserError] = errors_field()``."""
    return strawberry.field(default_factory=list, description=ERRORS_DESCRIPTION)


def mutate(
    info: Info,
    action: Callable[[Session, Actor], Any],
    payload: type[P],
    *,
    audited: bool = True,
    **fields: Callable[[Any], Any],
) -> P:
    """Run ``action`` as the signed-in actor in one unit of work on the request's session.

    Done, the payload holds each of ``fields`` made from what the action returned (a tuple,
    one value per field in order, when there are several): ``mutate(info, action,
    AccidentPayload, accident=Accident.from_model)``. Refused, nothing is saved and the
    payload holds the errors, its other fields as they default (null, or an empty list).

    What was done goes into the audit log in the same transaction (``audited=False`` where
    the action records its own entries, as the authenticator's do).
    """
    session = info.context.db
    try:
        actor = signed_in_actor(info)
        with unit_of_work(session):
            audit.take_description(session)  # nothing left over from a refused attempt
            result = action(session, actor)
            if audited:
                _record(info, session, actor, result)
    except DomainError as exc:
        return payload(errors=user_errors(exc.problems))
    values = result if len(fields) > 1 else (result,)
    made = {name: make(value) for (name, make), value in zip(fields.items(), values, strict=True)}
    return payload(**made)


def _record(info: Info, session: Session, actor: Actor, result: Any) -> None:
    """Append the mutation to the audit log: its name, its input (secrets masked), what it
    changed and the unit that concerns, as the result shows or the service described."""
    described = audit.take_description(session)
    target = next(
        (v for v in (result if isinstance(result, tuple) else (result,)) if isinstance(v, Base)),
        None,
    )
    node_id = described.node_id
    if node_id is None and target is not None:
        node_id = target.id if isinstance(target, TenantNode) else getattr(target, "node_id", None)
    subject = described.subject
    if subject is None:
        subject = f"{type(target).__name__}:{target.id}" if target is not None else ""
    audit.record(
        session,
        info.context.client.who(actor),
        info.field_name,
        customer_id=actor.customer_id,
        node_id=node_id if node_id is not None else actor.node_id,
        subject=subject,
        details={**_arguments_of(info), **described.details},
    )


def _arguments_of(info: Info) -> dict[str, Any]:
    """The field's arguments as the client sent them (GraphQL names, variables filled in)."""
    return info.selected_fields[0].arguments


def as_is(value: T) -> T:
    """A payload field that is the action's result itself (an id, a count)."""
    return value


def signed_in_actor(info: Info) -> Actor:
    """The signed-in actor, or an UNAUTHENTICATED input error."""
    if info.context.actor is None:
        message = info.context.credentials_problem or "sign in first"
        raise fail(None, message, ErrorCode.UNAUTHENTICATED)
    return info.context.actor


def get(session: Session, node: type[ModelNode], global_id: relay.GlobalID, field: str) -> Any:
    """The visible row of ``node``'s table that the input's ``field`` names by global id, or
    a NOT_FOUND field error (invisible rows are not found)."""
    type_name = get_object_definition(node, strict=True).name
    row = session.get(node.model, database_id(global_id, type_name, field))
    if row is None:
        raise fail(field, f"no {type_name} with this id that you can see", ErrorCode.NOT_FOUND)
    return row


def evidence_store(info: Info) -> EvidenceStore:
    """Where this app keeps evidence files (of assessments and of ledgers alike)."""
    return store_of(info.context.settings)


def upload_limit(info: Info) -> int:
    """How many bytes of an uploaded evidence file to read: one more than allowed is enough
    for the service to refuse it as too large."""
    return info.context.settings.attachment_max_bytes + 1


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
