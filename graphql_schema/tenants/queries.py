"""Queries of the tenants API: viewer, tenant, tenants, users."""

from __future__ import annotations

import strawberry
from sqlalchemy import false, select
from strawberry import relay

from tenants.models import TenantNode
from tenants.models import User as UserModel
from tenants.scope import in_subtree

from ..context import Info
from ..ids import argument_id
from ..pagination import Connection, paginate
from .types import Tenant, TenantFilter, User, Viewer


@strawberry.type
class TenantQueries:
    @strawberry.field(description="The signed-in user; null when nobody is signed in.")
    async def viewer(self, info: Info) -> Viewer | None:
        ctx = info.context
        if ctx.actor is None:
            return None
        user = await ctx.loaders.user.load(ctx.actor.user_id)
        return Viewer(user=User.from_model(user), csrf_token=ctx.authenticated.csrf_token)

    @strawberry.field(description="A unit by its code; null if there is none you can see.")
    async def tenant(self, info: Info, code: str) -> Tenant | None:
        info.context.require_actor()
        node = await info.context.loaders.tenant_by_code.load(code.strip())
        return Tenant.from_model(node) if node else None

    @strawberry.field(
        description="Units you can see, in tree order (a parent before its children)."
    )
    def tenants(
        self,
        info: Info,
        filter: TenantFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Tenant]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(TenantNode)
        if filter is not None:
            if filter.level is not None:
                stmt = stmt.where(TenantNode.level == filter.level)
            if filter.kind is not None:
                stmt = stmt.where(TenantNode.kind == filter.kind)
            if filter.parent_id is not None:
                parent = argument_id(filter.parent_id, "Tenant", "filter.parentId")
                stmt = stmt.where(TenantNode.parent_id == parent)
            if filter.subtree_of is not None:
                root_id = argument_id(filter.subtree_of, "Tenant", "filter.subtreeOf")
                root = ctx.db.get(TenantNode, root_id)
                stmt = stmt.where(in_subtree(TenantNode.path, root.path) if root else false())
        return paginate(
            ctx.db,
            stmt,
            TenantNode.path,
            Tenant.from_model,
            first=first,
            after=after,
            key_of=lambda n: n.path,
        )

    @strawberry.field(description="Users you can see, optionally only those of one unit.")
    def users(
        self,
        info: Info,
        node_id: relay.GlobalID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[User]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(UserModel)
        if node_id is not None:
            stmt = stmt.where(UserModel.node_id == argument_id(node_id, "Tenant", "nodeId"))
        return paginate(
            ctx.db,
            stmt,
            UserModel.id,
            User.from_model,
            first=first,
            after=after,
            key_of=lambda u: u.id,
        )
