"""GraphQL types of the tenants area: Tenant, User, RoleGrant, ApiToken, BrowserSession,
AuditEntry, Viewer."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import Select
from sqlalchemy.orm import Session
from strawberry import relay

from tenants import models
from tenants.access import Actor
from tenants.audit import AuditEntry as AuditEntryModel
from tenants.auth import OpenSession
from tenants.reading import api_tokens_of

from ..core.context import Info
from ..core.enums import Role, TenantKind, TenantLevel
from ..core.nodes import ModelNode
from ..core.pagination import After, Before, Connection, First, Last
from .dataloaders import CHILDREN, GRANTS_OF_USER, TENANT_BY_CODE


@strawberry.type(
    name="Tenant",
    description="An assessed unit: a region or a department attached "
    "to one. Users see their own units, their subtrees and the names of ancestors.",
)
class Tenant(ModelNode):
    model = models.TenantNode
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description="National administrative division code (GB/T 2260) "
        "where one exists, else an office-assigned code."
    )
    name_zh: str = strawberry.field(description="The Chinese name (嘉兴市).")
    name_en: str = strawberry.field(
        description="The English name (Jiaxing); empty for a department, affiliated unit or "
        "enterprise that has none (show nameZh instead)."
    )
    level: TenantLevel = strawberry.field(description="Its administrative level.")
    kind: TenantKind = strawberry.field(description="What sort of unit it is.")
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

    @strawberry.field(description="The unit above; null for a province (or if not visible).")
    async def parent(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.parent_id)

    @strawberry.field(description="Visible ancestors, from the province down to the parent.")
    async def ancestors(self, info: Info) -> list[Tenant]:
        codes = self.path.strip("/").split("/")[:-1]
        nodes = await info.context.loaders.get(TENANT_BY_CODE).load_many(codes)
        return [Tenant.from_model(n) for n in nodes if n is not None]

    @strawberry.field(description="The units directly below, in code order.")
    async def children(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Tenant]:
        return await CHILDREN.connection(
            info, self.id, Tenant.from_model, first=first, after=after, last=last, before=before
        )


@strawberry.type(
    name="RoleGrant",
    description="A role a user holds on a unit (and, except for SUBMITTER, on the units below it).",
)
class RoleGrant(ModelNode):
    model = models.RoleGrant
    id: relay.NodeID[int]
    role: Role = strawberry.field(description="The role granted.")
    granted_at: datetime = strawberry.field(description="When it was granted.")
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

    @strawberry.field(description="The unit the role is granted on.")
    async def node(self, info: Info) -> Tenant:
        return await Tenant.load_seen(info, self.node_id)

    @strawberry.field(
        description="The user holding the role; null when that user belongs to a unit you "
        "cannot see (a grant on your unit to someone from above)."
    )
    async def user(self, info: Info) -> User | None:
        return await User.load(info, self.user_id)


@strawberry.type(name="User", description="A person who signs in; belongs to one unit.")
class User(ModelNode):
    model = models.User
    id: relay.NodeID[int]
    username: str = strawberry.field(description="The name the user signs in with; unique.")
    display_name: str = strawberry.field(description="The name shown for the user.")
    is_active: bool = strawberry.field(
        description="False for a user who may no longer sign in (sessions and tokens stop)."
    )
    second_factor: bool = strawberry.field(
        description="Whether the user signs in with an authenticator app's code as well."
    )
    must_change_password: bool = strawberry.field(
        description="True from an admin's reset (or the account's creation) until the user "
        "chooses their own password."
    )
    node_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            is_active=user.is_active,
            second_factor=user.totp_secret is not None,
            must_change_password=user.must_change_password,
            node_id=user.node_id,
        )

    @strawberry.field(description="The unit the user belongs to.")
    async def node(self, info: Info) -> Tenant:
        return await Tenant.load_seen(info, self.node_id)

    @strawberry.field(description="The roles the user holds, on units you can see.")
    async def roles(self, info: Info) -> list[RoleGrant]:
        grants = await info.context.loaders.get(GRANTS_OF_USER).load(self.id)
        return [RoleGrant.from_model(g) for g in grants]


def _own_tokens(_session: Session, actor: Actor) -> Select[tuple[models.ApiToken]]:
    return api_tokens_of(actor)


@strawberry.type(
    name="ApiToken",
    description="A bearer token for scripts; its secret was shown once, at creation.",
)
class ApiToken(ModelNode):
    model = models.ApiToken
    within = _own_tokens
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What the token is for, as its owner named it.")
    prefix: str = strawberry.field(
        description="The first characters of the secret, to tell tokens apart."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    expires_at: datetime | None = strawberry.field(
        description="When it stops working; null: never."
    )
    last_used_at: datetime | None = strawberry.field(
        description="When it was last used (to within five minutes); null: never."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked; null while it is not."
    )
    made_with_token: bool = strawberry.field(
        description="Whether a script made it with another token (it expires no later than "
        "that one, and is revoked with it)."
    )

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
            made_with_token=token.created_by_token_id is not None,
        )


@strawberry.type(description="A browser signed in as you.")
class BrowserSession:
    id: strawberry.ID = strawberry.field(description="Its id, for endSession.")
    created_at: datetime = strawberry.field(description="When it signed in.")
    last_seen_at: datetime = strawberry.field(
        description="Its last request (to within a minute); idle too long, it ends."
    )
    expires_at: datetime = strawberry.field(description="When it ends however busy it is.")
    user_agent: str = strawberry.field(description="The browser, as it named itself.")
    address: str = strawberry.field(description="The network address it signed in from.")
    current: bool = strawberry.field(description="True for the browser asking.")

    @classmethod
    def from_open(cls, open_session: OpenSession) -> BrowserSession:
        row = open_session.session
        return cls(
            id=strawberry.ID(str(relay.GlobalID("BrowserSession", str(row.id)))),
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=row.expires_at,
            user_agent=row.user_agent,
            address=row.address,
            current=open_session.current,
        )


@strawberry.type(
    description="One thing done, as the audit log keeps it: appended, hash-chained to the "
    "entry before it, never changed (redline audit verify checks the chain)."
)
class AuditEntry:
    id: strawberry.ID = strawberry.field(description="Its id.")
    seq: int = strawberry.field(description="Its place in the province's chain, from 1.")
    at: datetime = strawberry.field(description="When it was done.")
    action: str = strawberry.field(
        description='What was done: a mutation\'s name ("submitAssessment"), or a sign-in '
        'event ("signIn", "signInFailed", "signInThrottled", "signOut").'
    )
    subject: str = strawberry.field(
        description='What it was done to, as "Type:id" ("Assessment:12"); empty when nothing.'
    )
    details: str = strawberry.field(
        description="The input and what else was recorded, as JSON (passwords and codes "
        "masked; a long input as its size and SHA-256)."
    )
    actor_name: str = strawberry.field(
        description='Who did it: their username then, "anonymous" or "system".'
    )
    address: str = strawberry.field(description="The network address it came from.")
    request_id: str = strawberry.field(description="The request's id, as the logs show it.")
    hash: str = strawberry.field(description="SHA-256 of the entry and the hash before it.")
    prev_hash: str = strawberry.field(description="The hash of the entry before it.")
    node_id: strawberry.Private[int | None]
    actor_user_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, entry: AuditEntryModel) -> AuditEntry:
        return cls(
            id=strawberry.ID(str(relay.GlobalID("AuditEntry", str(entry.id)))),
            seq=entry.seq,
            at=entry.at,
            action=entry.action,
            subject=entry.subject,
            details=entry.details,
            actor_name=entry.actor_name,
            address=entry.address,
            request_id=entry.request_id,
            hash=entry.hash,
            prev_hash=entry.prev_hash,
            node_id=entry.node_id,
            actor_user_id=entry.actor_user_id,
        )

    @strawberry.field(description="The unit it concerns.")
    async def node(self, info: Info) -> Tenant | None:
        return await Tenant.load_seen(info, self.node_id) if self.node_id else None

    @strawberry.field(
        description="The user who did it; null for the system, or one you cannot see."
    )
    async def actor(self, info: Info) -> User | None:
        return await User.load(info, self.actor_user_id) if self.actor_user_id else None


@strawberry.type(description="The signed-in user and what belongs to them alone.")
class Viewer:
    user: User = strawberry.field(description="The signed-in user.")
    csrf_token: str | None = strawberry.field(
        description="Send it as the X-CSRF-Token header "
        "with every mutation made with the session cookie."
    )
    must_change_password: bool = strawberry.field(
        description="True after an admin reset your password: choose a new one "
        "(changePassword); until then everything else answers PASSWORD_CHANGE_REQUIRED."
    )

    @strawberry.field(description="Your API tokens, newest first.")
    def api_tokens(self, info: Info) -> list[ApiToken]:
        actor = info.context.require_actor()
        return [ApiToken.from_model(t) for t in info.context.authenticator.api_tokens(actor)]

    @strawberry.field(
        description="Your signed-in browsers, most recently used first (this one included)."
    )
    def sessions(self, info: Info) -> list[BrowserSession]:
        authenticated = info.context.authenticated
        if authenticated is None:
            return []
        return [
            BrowserSession.from_open(s)
            for s in info.context.authenticator.open_sessions(authenticated)
        ]
