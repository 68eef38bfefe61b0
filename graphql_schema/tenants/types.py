"""GraphQL types of the tenants API: Tenant, User, RoleGrant, ApiToken, Viewer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from tenants import models
from tenants.models import Role, TenantKind, TenantLevel

from ..context import Info
from ..pagination import Connection, build_connection, check_first, decode_cursor

TenantLevelEnum = strawberry.enum(
    TenantLevel,
    name="TenantLevel",
    description="Administrative level: PROVINCE > CITY > COUNTY > TOWNSHIP.",
)
TenantKindEnum = strawberry.enum(
    TenantKind,
    name="TenantKind",
    description="What sort of unit: a region kind, or a DEPARTMENT / "
    "AFFILIATED_UNIT attached to a region at the region's level.",
)
RoleEnum = strawberry.enum(Role, name="Role", description="A role granted on a unit.")


async def _load_many(info: Info, loader_name: str, ids: Iterable[Any]) -> list[Any]:
    loader = getattr(info.context.loaders, loader_name)
    return await loader.load_many(list(ids))


@strawberry.type(
    name="Tenant",
    description="An assessed unit: a region or a department attached "
    "to one. Users see their own units, their subtrees and the names of ancestors.",
)
class Tenant(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description="National administrative division code (GB/T 2260) "
        "where one exists, else an office-assigned code."
    )
    name_zh: str
    name_en: str
    level: TenantLevelEnum  # type: ignore[valid-type]
    kind: TenantKindEnum  # type: ignore[valid-type]
    depth: int = strawberry.field(description="0 for a province.")
    parent_id: strawberry.Private[int | None]
    path: strawberry.Private[str]

    @classmethod
    def from_model(cls, node: models.TenantNode) -> Tenant:
        return cls(
            id=node.id,
            code=node.code,
            name_zh=node.name_zh,
            name_en=node.name_en,
            level=node.level,
            kind=node.kind,
            depth=node.depth,
            parent_id=node.parent_id,
            path=node.path,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        nodes = await _load_many(info, "tenant", (int(i) for i in node_ids))
        return [cls.from_model(n) if n else None for n in nodes]

    @strawberry.field(description="The unit above; null for a province (or if not visible).")
    async def parent(self, info: Info) -> Tenant | None:
        if self.parent_id is None:
            return None
        node = await info.context.loaders.tenant.load(self.parent_id)
        return Tenant.from_model(node) if node else None

    @strawberry.field(description="Visible ancestors, from the province down to the parent.")
    async def ancestors(self, info: Info) -> list[Tenant]:
        codes = self.path.strip("/").split("/")[:-1]
        nodes = await _load_many(info, "tenant_by_code", codes)
        return [Tenant.from_model(n) for n in nodes if n is not None]

    @strawberry.field(description="The units directly below, in code order.")
    async def children(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Tenant]:
        size = check_first(first)
        after_path = decode_cursor(after) if after is not None else None
        rows = await info.context.loaders.children_page.load((self.id, size + 1, after_path))
        total = await info.context.loaders.children_count.load(self.id)
        return build_connection(
            rows, size, total, Tenant.from_model, lambda n: n.path, has_previous=after is not None
        )


@strawberry.type(
    name="RoleGrant",
    description="A role a user holds on a unit (and, except for SUBMITTER, on the units below it).",
)
class RoleGrant(relay.Node):
    id: relay.NodeID[int]
    role: RoleEnum  # type: ignore[valid-type]
    granted_at: datetime
    node_id: strawberry.Private[int]
    user_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, grant: models.RoleGrant) -> RoleGrant:
        return cls(
            id=grant.id,
            role=grant.role,
            granted_at=grant.created_at,
            node_id=grant.node_id,
            user_id=grant.user_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        grants = await _load_many(info, "grant", (int(i) for i in node_ids))
        return [cls.from_model(g) if g else None for g in grants]

    @strawberry.field
    async def node(self, info: Info) -> Tenant:
        return Tenant.from_model(await info.context.loaders.tenant.load(self.node_id))

    @strawberry.field(
        description="The user holding the role; null when that user belongs to a unit you "
        "cannot see (a grant on your unit to someone from above)."
    )
    async def user(self, info: Info) -> User | None:
        user = await info.context.loaders.user.load(self.user_id)
        return User.from_model(user) if user else None


@strawberry.type(name="User", description="A person who signs in; belongs to one unit.")
class User(relay.Node):
    id: relay.NodeID[int]
    username: str
    display_name: str
    is_active: bool
    node_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            is_active=user.is_active,
            node_id=user.node_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        users = await _load_many(info, "user", (int(i) for i in node_ids))
        return [cls.from_model(u) if u else None for u in users]

    @strawberry.field(description="The unit the user belongs to.")
    async def node(self, info: Info) -> Tenant:
        return Tenant.from_model(await info.context.loaders.tenant.load(self.node_id))

    @strawberry.field(description="The roles the user holds, on units you can see.")
    async def roles(self, info: Info) -> list[RoleGrant]:
        grants = await info.context.loaders.grants_of_user.load(self.id)
        return [RoleGrant.from_model(g) for g in grants]


@strawberry.type(
    name="ApiToken",
    description="A bearer token for scripts; its secret was shown once, at creation.",
)
class ApiToken(relay.Node):
    id: relay.NodeID[int]
    name: str
    prefix: str = strawberry.field(
        description="The first characters of the secret, to tell tokens apart."
    )
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, token: models.ApiToken) -> ApiToken:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )

    @classmethod
    def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        actor = info.context.actor
        if actor is None:
            return [None for _ in node_ids]
        mine = {t.id: t for t in info.context.authenticator.api_tokens(actor)}
        return [cls.from_model(mine[int(i)]) if int(i) in mine else None for i in node_ids]


@strawberry.type(description="The signed-in user and what belongs to them alone.")
class Viewer:
    user: User
    csrf_token: str | None = strawberry.field(
        description="Send it as the X-CSRF-Token header "
        "with every mutation made with the session cookie."
    )

    @strawberry.field(description="Your API tokens, newest first.")
    def api_tokens(self, info: Info) -> list[ApiToken]:
        actor = info.context.require_actor()
        return [ApiToken.from_model(t) for t in info.context.authenticator.api_tokens(actor)]


@strawberry.input(description="Narrow a list of units; all given conditions apply.")
class TenantFilter:
    level: TenantLevelEnum | None = None  # type: ignore[valid-type]
    kind: TenantKindEnum | None = None  # type: ignore[valid-type]
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Direct children of this unit."
    )
    subtree_of: relay.GlobalID | None = strawberry.field(
        default=None, description="This unit and every unit below it."
    )


async def tenant_of(info: Info, node_id: int | None) -> Tenant | None:
    """The tenant node by id, or null when there is none or it is out of the viewer's sight."""
    if node_id is None:
        return None
    node = await info.context.loaders.tenant.load(node_id)
    return Tenant.from_model(node) if node else None


async def user_of(info: Info, user_id: int | None) -> User | None:
    """The user by id, or null when there is none or they are out of the viewer's sight."""
    if user_id is None:
        return None
    user = await info.context.loaders.user.load(user_id)
    return User.from_model(user) if user else None
