"""Filters of the tenants area's lists, and the domain queries they become."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import Select
from strawberry import relay

from redline.calendar import LOCAL_TZ
from tenants.audit import AuditEntry
from tenants.models import TenantNode
from tenants.reading import tenants_query
from tenants.scope import in_subtree

from ..core.context import Info
from ..core.enums import ErrorCode, TenantKind, TenantLevel
from ..core.errors import ApiError
from ..core.ids import optional_argument_id


@strawberry.input(description="Narrow a list of units; all given conditions apply.")
class TenantFilter:
    level: TenantLevel | None = strawberry.field(default=None, description="Units of this level.")
    kind: TenantKind | None = strawberry.field(default=None, description="Units of this kind.")
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Direct children of this unit."
    )
    subtree_of: relay.GlobalID | None = strawberry.field(
        default=None, description="This unit and every unit below it."
    )
    search: str | None = strawberry.field(
        default=None,
        description=(
            "Units whose code starts with this or whose Chinese or English name contains it"
            " (any case); blank matches every unit."
        ),
    )


def tenants_matching(info: Info, filter: TenantFilter | None) -> Select[tuple[TenantNode]]:
    """The units the filter asks for."""
    if filter is None:
        return tenants_query(info.context.db)
    return tenants_query(
        info.context.db,
        level=filter.level,
        kind=filter.kind,
        parent_id=optional_argument_id(filter.parent_id, "Tenant", "filter.parentId"),
        subtree_of=optional_argument_id(filter.subtree_of, "Tenant", "filter.subtreeOf"),
        search=filter.search,
    )


@strawberry.input(description="Which audit entries to list; every field left out matches all.")
class AuditFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Entries about this unit and the units below it."
    )
    action: str | None = strawberry.field(
        default=None, description='One action by name: "signIn", "submitAssessment", ...'
    )
    actor_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Entries of what this user did."
    )
    since: datetime | None = strawberry.field(
        default=None,
        description="At or after this time (without an offset: China Standard Time).",
    )
    until: datetime | None = strawberry.field(
        default=None,
        description="Before this time (without an offset: China Standard Time).",
    )


def audit_entries_matching(
    info: Info, query: Select[tuple[AuditEntry]], filter: AuditFilter | None
) -> Select[tuple[AuditEntry]]:
    """The entries of ``query`` (which joins each entry's unit) the filter asks for."""
    if filter is None:
        return query
    node_id = optional_argument_id(filter.node_id, "Tenant", "filter.nodeId")
    if node_id is not None:
        node = info.context.db.get(TenantNode, node_id)
        if node is None:
            raise ApiError("no unit with this id that you can see", ErrorCode.NOT_FOUND)
        query = query.where(in_subtree(TenantNode.path, node.path))
    if filter.action:
        query = query.where(AuditEntry.action == filter.action.strip())
    actor_id = optional_argument_id(filter.actor_id, "User", "filter.actorId")
    if actor_id is not None:
        query = query.where(AuditEntry.actor_user_id == actor_id)
    if filter.since is not None:
        query = query.where(AuditEntry.at >= _aware(filter.since))
    if filter.until is not None:
        query = query.where(AuditEntry.at < _aware(filter.until))
    return query


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)
