"""The response cache: answers to registered operations that read only a cycle's published
ranking snapshot, kept in Redis under the operation, its variables, the viewer and the snapshot
the cycle points at, so a repeated ranking page is sent without executing it again."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, OperationType, parse
from graphql.utilities import value_from_ast_untyped
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from redline import inputs
from scoring.rankings.reading import current_snapshot_id
from tenants.access import Actor

from .persisted import RegisteredOperation

log = logging.getLogger(__name__)

KEY_PREFIX = "redline:response:"


def _cycle_snapshot(session: Session, arguments: Mapping[str, Any]) -> int | None:
    """The snapshot the ``cycle`` argument's cycle points at (None: none yet, or no cycle)."""
    try:
        cycle = GlobalID.from_id(arguments["cycle"])
        cycle_id = inputs.database_id(cycle.node_id)
    except (KeyError, TypeError, ValueError, inputs.InputRejected):
        return None  # the executed operation says what is wrong with it
    return current_snapshot_id(session, cycle_id) if cycle.type_name == "Cycle" else None


# The root fields whose answer depends only on their arguments, the viewer and one published
# snapshot (rows are never changed once written; a newer snapshot moves the cycle's pointer):
# each with how to find that snapshot. An operation is cached only when every root field is here.
SNAPSHOT_OF: dict[str, Callable[[Session, Mapping[str, Any]], int | None]] = {
    "rankings": _cycle_snapshot,
    "rankingAggregate": _cycle_snapshot,
}


@lru_cache(maxsize=512)
def _cacheable_roots(document: str, operation_name: str | None) -> tuple[FieldNode, ...] | None:
    """The root fields of a query whose every root field reads a snapshot, else None."""
    operations = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name and o.name.value == operation_name)
    ]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
        return None
    roots = []
    for selection in chosen[0].selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value not in SNAPSHOT_OF:
            return None
        roots.append(selection)
    return tuple(roots)


class ResponseCache:
    """Answers of snapshot-reading operations in Redis for ``seconds`` (0: off). A Redis
    failure only means the operation is executed as if nothing were cached."""

    def __init__(self, redis: Redis, seconds: int) -> None:
        self.redis, self.seconds = redis, seconds

    def key(self, session: Session, actor: Actor, operation: RegisteredOperation) -> str | None:
        """The cache key of this answer, or None when it may not be cached."""
        if self.seconds <= 0:
            return None
        variables = dict(operation.variables)
        roots = _cacheable_roots(operation.document, operation.operation_name)
        if not roots:
            return None
        snapshots = []
        for root in roots:
            arguments = {
                a.name.value: value_from_ast_untyped(a.value, variables) for a in root.arguments
            }
            snapshot = SNAPSHOT_OF[root.name.value](session, arguments)
            if snapshot is None:
                return None
            snapshots.append(snapshot)
        # The viewer as the services see them (home node, path, every grant): a grant changed or
        # a unit moved is another key.
        viewer = repr(actor)
        material = json.dumps(
            [operation.sha256, operation.operation_name, variables, viewer, snapshots],
            sort_keys=True,
            default=str,
        )
        return KEY_PREFIX + hashlib.sha256(material.encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        try:
            return self.redis.get(key)  # type: ignore[return-value]
        except RedisError as exc:
            log.warning("response cache: Redis unreachable (%s); executing instead", exc)
            return None

    def put(self, key: str, body: bytes) -> None:
        try:
            self.redis.set(key, body, ex=self.seconds)
        except RedisError as exc:
            log.warning("response cache: Redis unreachable (%s); not kept", exc)
