"""Mutations of the tenants API; each is one unit of work and returns a payload with errors."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from redline.errors import DomainError
from tenants.access import Actor
from tenants.auth import SESSION_COOKIE, Authenticated
from tenants.hierarchy import NodeInput, create_node, update_node
from tenants.models import RoleGrant as RoleGrantModel
from tenants.models import TenantNode
from tenants.models import User as UserModel
from tenants.users import grant_role, revoke_role

from ..context import Info
from ..errors import UserError, user_errors
from ..ids import database_id
from ..mutations import get, run, signed_in_actor
from .types import (
    ApiToken,
    RoleEnum,
    RoleGrant,
    Tenant,
    TenantKindEnum,
    TenantLevelEnum,
    User,
    Viewer,
)


@strawberry.type
class TenantPayload:
    tenant: Tenant | None
    errors: list[UserError]


@strawberry.type
class SignInPayload:
    viewer: Viewer | None
    errors: list[UserError]


@strawberry.type
class SignOutPayload:
    errors: list[UserError]


@strawberry.type
class RoleGrantPayload:
    role_grant: RoleGrant | None
    errors: list[UserError]


@strawberry.type
class RevokeRolePayload:
    revoked_id: relay.GlobalID | None
    errors: list[UserError]


@strawberry.type
class CreateApiTokenPayload:
    secret: str | None = strawberry.field(
        description="The token to send as 'Authorization: Bearer ...'; shown only this once."
    )
    api_token: ApiToken | None
    errors: list[UserError]


@strawberry.type
class ApiTokenPayload:
    api_token: ApiToken | None
    errors: list[UserError]


@strawberry.input
class SignInInput:
    username: str
    password: str


@strawberry.input
class CreateTenantInput:
    parent_id: relay.GlobalID
    code: str
    name_zh: str
    name_en: str
    level: TenantLevelEnum  # type: ignore[valid-type]
    kind: TenantKindEnum  # type: ignore[valid-type]


@strawberry.input(
    description="Only the fields given change. A new parent moves the unit with "
    "everything below it."
)
class UpdateTenantInput:
    id: relay.GlobalID
    code: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    kind: TenantKindEnum | None = None  # type: ignore[valid-type]
    parent_id: relay.GlobalID | None = None


@strawberry.input
class GrantRoleInput:
    user_id: relay.GlobalID
    node_id: relay.GlobalID
    role: RoleEnum  # type: ignore[valid-type]


@strawberry.input
class RevokeRoleInput:
    id: relay.GlobalID


@strawberry.input
class CreateApiTokenInput:
    name: str
    expires_in_days: int | None = strawberry.field(
        default=90, description="Null for a token that never expires."
    )


@strawberry.input
class RevokeApiTokenInput:
    id: relay.GlobalID


@strawberry.type
class TenantMutations:
    @strawberry.mutation(
        description="Sign in with a username and password; sets the session "
        "cookie. Unknown users and wrong passwords get the same answer; "
        "repeated failures are slowed down."
    )
    def sign_in(self, info: Info, input: SignInInput) -> SignInPayload:
        ctx = info.context
        try:
            signed_in = ctx.authenticator.sign_in(
                input.username, input.password, ctx.request.remote_addr or "unknown"
            )
        except DomainError as exc:
            return SignInPayload(viewer=None, errors=user_errors(exc))
        ctx.response.set_cookie(
            SESSION_COOKIE,
            signed_in.token,
            expires=signed_in.expires_at,
            httponly=True,
            samesite="Lax",
            secure=ctx.cookie_secure,
            path="/",
        )
        ctx.become(Authenticated(signed_in.actor, signed_in.csrf_token, signed_in.token))
        return SignInPayload(
            viewer=Viewer(user=User.from_model(signed_in.user), csrf_token=signed_in.csrf_token),
            errors=[],
        )

    @strawberry.mutation(description="End this browser session and clear its cookie.")
    def sign_out(self, info: Info) -> SignOutPayload:
        ctx = info.context
        if ctx.authenticated and ctx.authenticated.session_token:
            ctx.authenticator.sign_out(ctx.authenticated.session_token)
        ctx.response.delete_cookie(
            SESSION_COOKIE, path="/", httponly=True, samesite="Lax", secure=ctx.cookie_secure
        )
        return SignOutPayload(errors=[])

    @strawberry.mutation(description="Add a unit under a unit you administer.")
    def create_tenant(self, info: Info, input: CreateTenantInput) -> TenantPayload:
        def action(session: Session, actor: Actor) -> TenantNode:
            parent = get(session, TenantNode, input.parent_id, "Tenant", "parentId")
            data = NodeInput(
                input.code.strip(), input.name_zh, input.name_en, input.level, input.kind
            )
            return create_node(session, actor, data, parent)

        result = run(info, action)
        if isinstance(result, DomainError):
            return TenantPayload(tenant=None, errors=user_errors(result))
        return TenantPayload(tenant=Tenant.from_model(result), errors=[])

    @strawberry.mutation(description="Rename, re-code, re-kind or move a unit you administer.")
    def update_tenant(self, info: Info, input: UpdateTenantInput) -> TenantPayload:
        def action(session: Session, actor: Actor) -> TenantNode:
            node = get(session, TenantNode, input.id, "Tenant", "id")
            parent = (
                get(session, TenantNode, input.parent_id, "Tenant", "parentId")
                if input.parent_id is not None
                else None
            )
            return update_node(
                session,
                actor,
                node,
                name_zh=input.name_zh,
                name_en=input.name_en,
                kind=input.kind,
                code=input.code.strip() if input.code is not None else None,
                parent=parent,
            )

        result = run(info, action)
        if isinstance(result, DomainError):
            return TenantPayload(tenant=None, errors=user_errors(result))
        return TenantPayload(tenant=Tenant.from_model(result), errors=[])

    @strawberry.mutation(description="Give a user a role on their unit or a unit below it.")
    def grant_role(self, info: Info, input: GrantRoleInput) -> RoleGrantPayload:
        def action(session: Session, actor: Actor) -> RoleGrantModel:
            user = get(session, UserModel, input.user_id, "User", "userId")
            node = get(session, TenantNode, input.node_id, "Tenant", "nodeId")
            return grant_role(session, actor, user, node, input.role)

        result = run(info, action)
        if isinstance(result, DomainError):
            return RoleGrantPayload(role_grant=None, errors=user_errors(result))
        return RoleGrantPayload(role_grant=RoleGrant.from_model(result), errors=[])

    @strawberry.mutation(description="Take a role away.")
    def revoke_role(self, info: Info, input: RevokeRoleInput) -> RevokeRolePayload:
        def action(session: Session, actor: Actor) -> relay.GlobalID:
            grant = get(session, RoleGrantModel, input.id, "RoleGrant", "id")
            revoke_role(session, actor, grant)
            return input.id

        result = run(info, action)
        if isinstance(result, DomainError):
            return RevokeRolePayload(revoked_id=None, errors=user_errors(result))
        return RevokeRolePayload(revoked_id=result, errors=[])

    @strawberry.mutation(description="Create an API token acting as you, for scripts.")
    def create_api_token(
        self,
        info: Info,
        input: CreateApiTokenInput,
    ) -> CreateApiTokenPayload:
        ctx = info.context
        try:
            actor = signed_in_actor(info)
            created = ctx.authenticator.create_api_token(actor, input.name, input.expires_in_days)
        except DomainError as exc:
            return CreateApiTokenPayload(secret=None, api_token=None, errors=user_errors(exc))
        return CreateApiTokenPayload(
            secret=created.secret, api_token=ApiToken.from_model(created.token), errors=[]
        )

    @strawberry.mutation(description="Revoke one of your API tokens.")
    def revoke_api_token(
        self,
        info: Info,
        input: RevokeApiTokenInput,
    ) -> ApiTokenPayload:
        ctx = info.context
        try:
            actor = signed_in_actor(info)
            token = ctx.authenticator.revoke_api_token(
                actor, database_id(input.id, "ApiToken", "id")
            )
        except DomainError as exc:
            return ApiTokenPayload(api_token=None, errors=user_errors(exc))
        return ApiTokenPayload(api_token=ApiToken.from_model(token), errors=[])
