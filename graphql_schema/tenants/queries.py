"""Queries of the tenants area: viewer, tenant, tenants, users."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from tenants.models import TenantNode
from tenants.reading import users_query

from ..core.context import Info
from ..core.ids import optional_argument_id
from ..core.pagination import After, Before, Connection, First, Last, paginate
from .dataloaders import TENANT_BY_CODE
from .filters import TenantFilter, tenants_matching
from .types import Tenant, User, Viewer


@strawberry.type
class TenantQueries:
    @strawberry.field(description="The signed-in user; null when nobody is signed in.")
    async def viewer(self, info: Info) -> Viewer | None:
        ctx = info.context
        if ctx.actor is None:
            return None
        user = await User.load_seen(info, ctx.actor.user_id)
        return Viewer(user=user, csrf_token=ctx.authenticated.csrf_token)

    @strawberry.field(description="A unit by its code; null if there is none you can see.")
    async def tenant(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description='The unit\'s code ("330402").')],
    ) -> Tenant | None:
        info.context.require_actor()
        node = await info.context.loaders.get(TENANT_BY_CODE).load(code.strip())
        return Tenant.from_model(node) if node else None

    @strawberry.field(
        description="Units you can see, in tree order (a parent before its children)."
    )
    def tenants(
        self,
        info: Info,
        filter: Annotated[
            TenantFilter | None,
            strawberry.argument(description="Only the units it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Tenant]:
        info.context.require_actor()
        query = tenants_matching(info, filter)
        return paginate(
            info.context.db,
            query,
            TenantNode.path,
            Tenant.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Users you can see, optionally only those of one unit.")
    def users(
        self,
        info: Info,
        node_id: Annotated[
            relay.GlobalID | None,
            strawberry.argument(description="Only the users of this unit (a Tenant id)."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        info.context.require_actor()
        query = users_query(node_id=optional_argument_id(node_id, "Tenant", "nodeId"))
        return User.page(info, query, first=first, after=after, last=last, before=before)
