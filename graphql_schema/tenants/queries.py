"""Queries of the tenants area: viewer, tenant, tenants, users."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from redline.errors import DomainError
from tenants.audit import AuditEntry as AuditEntryModel
from tenants.audit import readable_by
from tenants.models import Role as RoleModel
from tenants.models import TenantNode
from tenants.reading import users_query

from ..core.context import Info
from ..core.enums import ErrorCode
from ..core.errors import ApiError
from ..core.ids import argument_id, optional_argument_id
from ..core.pagination import After, Before, Connection, First, Last, paginate
from .dataloaders import TENANT_BY_CODE
from .filters import AuditFilter, TenantFilter, audit_entries_matching, tenants_matching
from .types import ApiToken, AuditEntry, Tenant, User, Viewer


@strawberry.type
class TenantQueries:
    @strawberry.field(description="The signed-in user; null when nobody is signed in.")
    async def viewer(self, info: Info) -> Viewer | None:
        authenticated = info.context.authenticated
        if authenticated is None:
            return None
        user = await User.load_seen(info, authenticated.actor.user_id)
        return Viewer(
            user=user,
            csrf_token=authenticated.csrf_token,
            must_change_password=authenticated.must_change_password,
        )

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

    @strawberry.field(
        description="The API tokens of a user of a unit you administer (your own: "
        "viewer.apiTokens), newest first."
    )
    def api_tokens(
        self,
        info: Info,
        user_id: Annotated[relay.GlobalID, strawberry.argument(description="The User's id.")],
    ) -> list[ApiToken]:
        actor = info.context.require_actor()
        owner = argument_id(user_id, "User", "userId")
        try:
            tokens = info.context.authenticator.api_tokens(actor, owner)
        except DomainError as exc:
            raise ApiError(exc.problems[0].message, exc.problems[0].code) from None
        return [ApiToken.from_model(t) for t in tokens]

    @strawberry.field(
        description="The audit log of the units you administer, newest first: sign-ins and "
        "their failures, lockouts, tokens, users, roles, and every change made through the API."
    )
    def audit_entries(
        self,
        info: Info,
        filter: Annotated[
            AuditFilter | None,
            strawberry.argument(description="Only the entries it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEntry]:
        actor = info.context.require_actor()
        if not any(g.role is RoleModel.ADMIN for g in actor.grants):
            raise ApiError("only admins read the audit log", ErrorCode.PERMISSION_DENIED)
        query = audit_entries_matching(info, readable_by(actor), filter)
        return paginate(
            info.context.db,
            query,
            -AuditEntryModel.id,
            AuditEntry.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
            key_of=lambda row: -row.id,
        )
