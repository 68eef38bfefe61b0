"""Mutations of the tenants area; each is one unit of work and returns a payload with errors."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from redline.errors import DomainError
from tenants.access import Actor
from tenants.auth import SESSION_COOKIE, Authenticated
from tenants.hierarchy import NodeInput, create_node, update_node
from tenants.models import ApiToken as ApiTokenModel
from tenants.models import RoleGrant as RoleGrantModel
from tenants.models import TenantNode
from tenants.users import grant_role, revoke_role

from ..core.context import Info
from ..core.errors import UserError, user_errors
from ..core.ids import database_id
from ..core.mutations import Input, as_is, errors_field, get, mutate
from .inputs import (
    CreateApiTokenInput,
    CreateTenantInput,
    GrantRoleInput,
    RevokeApiTokenInput,
    RevokeRoleInput,
    SignInInput,
    UpdateTenantInput,
)
from .types import ApiToken, RoleGrant, Tenant, User, Viewer


@strawberry.type(description="The result of createTenant or updateTenant.")
class TenantPayload:
    tenant: Tenant | None = strawberry.field(
        default=None, description="The unit as saved; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of signIn.")
class SignInPayload:
    viewer: Viewer | None = strawberry.field(
        default=None, description="The user now signed in, with the CSRF token; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of signOut.")
class SignOutPayload:
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of grantRole.")
class RoleGrantPayload:
    role_grant: RoleGrant | None = strawberry.field(
        default=None, description="The grant made; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of revokeRole.")
class RevokeRolePayload:
    revoked_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The id of the grant taken away; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of createApiToken.")
class CreateApiTokenPayload:
    secret: str | None = strawberry.field(
        default=None,
        description="The token to send as 'Authorization: Bearer ...'; shown only this once.",
    )
    api_token: ApiToken | None = strawberry.field(
        default=None, description="The token made; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of revokeApiToken.")
class ApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(
        default=None, description="The token, now revoked; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class TenantMutations:
    @strawberry.mutation(
        description="Sign in with a username and password; sets the session "
        "cookie. Unknown users and wrong passwords get the same answer; "
        "repeated failures are slowed down."
    )
    def sign_in(self, info: Info, input: Input[SignInInput]) -> SignInPayload:
        ctx = info.context
        try:
            signed_in = ctx.authenticator.sign_in(
                input.username, input.password, ctx.request.remote_addr or "unknown"
            )
        except DomainError as exc:
            return SignInPayload(errors=user_errors(exc.problems))
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
            viewer=Viewer(user=User.from_model(signed_in.user), csrf_token=signed_in.csrf_token)
        )

    @strawberry.mutation(description="End this browser session and clear its cookie.")
    def sign_out(self, info: Info) -> SignOutPayload:
        ctx = info.context
        if ctx.authenticated and ctx.authenticated.session_token:
            ctx.authenticator.sign_out(ctx.authenticated.session_token)
        ctx.response.delete_cookie(
            SESSION_COOKIE, path="/", httponly=True, samesite="Lax", secure=ctx.cookie_secure
        )
        return SignOutPayload()

    @strawberry.mutation(description="Add a unit under a unit you administer.")
    def create_tenant(self, info: Info, input: Input[CreateTenantInput]) -> TenantPayload:
        def action(session: Session, actor: Actor) -> TenantNode:
            parent = get(session, Tenant, input.parent_id, "parentId")
            data = NodeInput(
                input.code.strip(), input.name_zh, input.name_en, input.level, input.kind
            )
            return create_node(session, actor, data, parent)

        return mutate(info, action, TenantPayload, tenant=Tenant.from_model)

    @strawberry.mutation(description="Rename, re-code, re-kind or move a unit you administer.")
    def update_tenant(self, info: Info, input: Input[UpdateTenantInput]) -> TenantPayload:
        def action(session: Session, actor: Actor) -> TenantNode:
            node = get(session, Tenant, input.id, "id")
            parent = (
                get(session, Tenant, input.parent_id, "parentId")
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

        return mutate(info, action, TenantPayload, tenant=Tenant.from_model)

    @strawberry.mutation(description="Give a user a role on their unit or a unit below it.")
    def grant_role(self, info: Info, input: Input[GrantRoleInput]) -> RoleGrantPayload:
        def action(session: Session, actor: Actor) -> RoleGrantModel:
            user = get(session, User, input.user_id, "userId")
            node = get(session, Tenant, input.node_id, "nodeId")
            return grant_role(session, actor, user, node, input.role)

        return mutate(info, action, RoleGrantPayload, role_grant=RoleGrant.from_model)

    @strawberry.mutation(description="Take a role away.")
    def revoke_role(self, info: Info, input: Input[RevokeRoleInput]) -> RevokeRolePayload:
        def action(session: Session, actor: Actor) -> relay.GlobalID:
            revoke_role(session, actor, get(session, RoleGrant, input.id, "id"))
            return input.id

        return mutate(info, action, RevokeRolePayload, revoked_id=as_is)

    # The authenticator keeps tokens in transactions of its own: the request's stays empty.

    @strawberry.mutation(description="Create an API token acting as you, for scripts.")
    def create_api_token(
        self,
        info: Info,
        input: Input[CreateApiTokenInput],
    ) -> CreateApiTokenPayload:
        def action(_session: Session, actor: Actor) -> tuple[str, ApiTokenModel]:
            created = info.context.authenticator.create_api_token(
                actor, input.name, input.expires_in_days
            )
            return created.secret, created.token

        return mutate(
            info, action, CreateApiTokenPayload, secret=as_is, api_token=ApiToken.from_model
        )

    @strawberry.mutation(description="Revoke one of your API tokens.")
    def revoke_api_token(
        self,
        info: Info,
        input: Input[RevokeApiTokenInput],
    ) -> ApiTokenPayload:
        def action(_session: Session, actor: Actor) -> ApiTokenModel:
            token_id = database_id(input.id, "ApiToken", "id")
            return info.context.authenticator.revoke_api_token(actor, token_id)

        return mutate(info, action, ApiTokenPayload, api_token=ApiToken.from_model)
