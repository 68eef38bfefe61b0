"""Filters of the tenants area's lists, and the domain queries they become."""

from __future__ import annotations

import strawberry
from sqlalchemy import Select
from strawberry import relay

from tenants.models import TenantNode
from tenants.reading import tenants_query

from ..core.context import Info
from ..core.enums import TenantKind, TenantLevel
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
