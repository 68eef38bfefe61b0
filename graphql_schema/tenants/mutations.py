"""Mutations of the tenants area; each is one unit of work and returns a payload with errors."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from redline.errors import DomainError, ErrorCode, Problem
from tenants.access import Actor
from tenants.auth import SESSION_COOKIE, Authenticated
from tenants.hierarchy import NodeInput, create_node, update_node
from tenants.models import ApiToken as ApiTokenModel
from tenants.models import Role as RoleModel
from tenants.models import RoleGrant as RoleGrantModel
from tenants.models import TenantNode
from tenants.models import User as UserModel
from tenants.users import add_user, grant_role, revoke_role, set_active

from ..core.context import Info
from ..core.errors import UserError, user_errors
from ..core.ids import database_id
from ..core.mutations import Input, as_is, cap, errors_field, get, mutate
from .inputs import (
    ChangePasswordInput,
    ConfirmSecondFactorInput,
    CreateApiTokenInput,
    CreateTenantInput,
    CreateUserInput,
    DisableSecondFactorInput,
    EndSessionInput,
    GrantRoleInput,
    ResetPasswordInput,
    RevokeApiTokenInput,
    RevokeRoleInput,
    SignInInput,
    UpdateTenantInput,
    UserIdInput,
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


@strawberry.type(description="The result of signOutEverywhere or endSession.")
class EndSessionsPayload:
    ended: int | None = strawberry.field(
        default=None, description="How many browser sessions ended; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of changePassword.")
class ChangePasswordPayload:
    viewer: Viewer | None = strawberry.field(
        default=None, description="You, cleared to go on; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of confirmSecondFactor or disableSecondFactor.")
class ViewerPayload:
    viewer: Viewer | None = strawberry.field(
        default=None, description="You, as you are now; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of resetPassword.")
class ResetPasswordPayload:
    temporary_password: str | None = strawberry.field(
        default=None,
        description="The password to hand over, shown only this once; it must be changed "
        "at the next sign-in. Null when refused.",
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of beginSecondFactor.")
class SecondFactorSetupPayload:
    secret: str | None = strawberry.field(
        default=None, description="The secret to type into the app (base32); shown once."
    )
    otpauth_uri: str | None = strawberry.field(
        default=None, description="The same as an otpauth:// address, to show as a QR code."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of createUser.")
class CreateUserPayload:
    user: User | None = strawberry.field(default=None, description="The user; null when refused.")
    temporary_password: str | None = strawberry.field(
        default=None,
        description="The first password to hand over, shown only this once; it must be "
        "changed at the first sign-in. Null when refused.",
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of disableUser or enableUser.")
class UserPayload:
    user: User | None = strawberry.field(
        default=None, description="The user as saved; null when refused."
    )
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
        description="Sign in with a username and password (and the authenticator app's code, "
        "for an account with a second factor); sets the session cookie. Unknown users and "
        "wrong passwords get the same answer; repeated failures are slowed down."
    )
    def sign_in(self, info: Info, input: Input[SignInInput]) -> SignInPayload:
        ctx = info.context
        try:
            signed_in = ctx.authenticator.sign_in(
                input.username, input.password, ctx.client, otp=input.otp
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
        ctx.become(signed_in.authenticated)
        return SignInPayload(viewer=_viewer(signed_in.user, signed_in.authenticated))

    @strawberry.mutation(description="End this browser session and clear its cookie.")
    def sign_out(self, info: Info) -> SignOutPayload:
        ctx = info.context
        if ctx.authenticated is not None:
            ctx.authenticator.sign_out(ctx.authenticated, ctx.client)
        _clear_cookie(info)
        return SignOutPayload()

    @strawberry.mutation(
        description="End every browser session of yours, this one included (a lost laptop, a "
        "shared computer); API tokens are revoked one by one."
    )
    def sign_out_everywhere(self, info: Info) -> EndSessionsPayload:
        def action(_session: Session, _actor: Actor) -> int:
            authenticated = info.context.authenticated
            assert authenticated is not None
            return info.context.authenticator.sign_out_everywhere(
                authenticated, info.context.client
            )

        payload = mutate(info, action, EndSessionsPayload, audited=False, ended=as_is)
        if not payload.errors:
            _clear_cookie(info)
        return payload

    @strawberry.mutation(description="End one of your browser sessions (another browser).")
    def end_session(self, info: Info, input: Input[EndSessionInput]) -> EndSessionsPayload:
        def action(_session: Session, _actor: Actor) -> int:
            authenticated = info.context.authenticated
            assert authenticated is not None
            session_id = database_id(relay.GlobalID.from_id(input.id), "BrowserSession", "id")
            info.context.authenticator.end_session(authenticated, session_id, info.context.client)
            return 1

        return mutate(info, action, EndSessionsPayload, audited=False, ended=as_is)

    @strawberry.mutation(
        description="Choose a new password, given the current one; your other browser "
        "sessions end. After an admin's reset this is the one thing you can do."
    )
    def change_password(
        self, info: Info, input: Input[ChangePasswordInput]
    ) -> ChangePasswordPayload:
        ctx = info.context
        if ctx.authenticated is None:
            message = ctx.credentials_problem or "sign in first"
            problem = Problem(None, message, ErrorCode.UNAUTHENTICATED)
            return ChangePasswordPayload(errors=user_errors([problem]))
        try:
            authenticated = ctx.authenticator.change_password(
                ctx.authenticated, input.current_password, input.new_password, ctx.client
            )
        except DomainError as exc:
            return ChangePasswordPayload(errors=user_errors(exc.problems))
        ctx.become(authenticated)
        user = ctx.authenticator.user(authenticated.actor.user_id)
        return ChangePasswordPayload(viewer=_viewer(user, authenticated))

    @strawberry.mutation(
        description="Reset the password of a user of a unit you administer: a temporary "
        "password, shown once, which they must change when they next sign in; their browser "
        "sessions end."
    )
    def reset_password(self, info: Info, input: Input[ResetPasswordInput]) -> ResetPasswordPayload:
        def action(_session: Session, actor: Actor) -> str:
            user_id = database_id(input.user_id, "User", "userId")
            return info.context.authenticator.reset_password(
                actor,
                user_id,
                info.context.client,
                remove_second_factor=input.remove_second_factor,
            )

        return mutate(info, action, ResetPasswordPayload, audited=False, temporary_password=as_is)

    @strawberry.mutation(
        description="Start setting up a second factor: a secret for your authenticator app "
        "(as a QR code of otpauthUri). It takes effect once confirmSecondFactor gets a code."
    )
    def begin_second_factor(self, info: Info) -> SecondFactorSetupPayload:
        def action(_session: Session, _actor: Actor) -> tuple[str, str]:
            authenticated = info.context.authenticated
            assert authenticated is not None
            setup = info.context.authenticator.begin_totp(authenticated)
            return setup.secret, setup.uri

        return mutate(
            info,
            action,
            SecondFactorSetupPayload,
            audited=False,
            secret=as_is,
            otpauth_uri=as_is,
        )

    @strawberry.mutation(
        description="Turn the second factor on with a code the app shows now; every later "
        "sign-in asks for a code."
    )
    def confirm_second_factor(
        self, info: Info, input: Input[ConfirmSecondFactorInput]
    ) -> ViewerPayload:
        def action(_session: Session, _actor: Actor) -> None:
            authenticated = info.context.authenticated
            assert authenticated is not None
            info.context.authenticator.confirm_totp(authenticated, input.code, info.context.client)

        return _viewer_after(info, action)

    @strawberry.mutation(description="Turn the second factor off, given your password and a code.")
    def disable_second_factor(
        self, info: Info, input: Input[DisableSecondFactorInput]
    ) -> ViewerPayload:
        def action(_session: Session, _actor: Actor) -> None:
            authenticated = info.context.authenticated
            assert authenticated is not None
            info.context.authenticator.disable_totp(
                authenticated, input.password, input.code, info.context.client
            )

        return _viewer_after(info, action)

    @strawberry.mutation(
        description="Add a user to a unit you administer, with roles there: the answer holds "
        "a temporary password, shown once, to hand over; it must be changed at the first "
        "sign-in."
    )
    def create_user(self, info: Info, input: Input[CreateUserInput]) -> CreateUserPayload:
        def action(session: Session, actor: Actor) -> tuple[UserModel, str]:
            node = get(session, Tenant, input.node_id, "nodeId")
            cap(input.roles, len(RoleModel), "roles")
            return add_user(
                session,
                actor,
                node,
                username=input.username,
                display_name=input.display_name,
                roles=tuple(dict.fromkeys(input.roles)),
            )

        return mutate(
            info,
            action,
            CreateUserPayload,
            user=User.from_model,
            temporary_password=as_is,
        )

    @strawberry.mutation(
        description="Disable a user of a unit you administer: their sessions and API tokens "
        "stop working at once; what they did stays."
    )
    def disable_user(self, info: Info, input: Input[UserIdInput]) -> UserPayload:
        return _set_active(info, input, active=False)

    @strawberry.mutation(description="Enable a disabled user again.")
    def enable_user(self, info: Info, input: Input[UserIdInput]) -> UserPayload:
        return _set_active(info, input, active=True)

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

    # The authenticator keeps credentials in transactions of its own, and records them in the
    # audit log itself: the request's transaction stays empty (audited=False).

    @strawberry.mutation(
        description="Create an API token acting as you, for scripts; made with a token, it "
        "expires no later than that one."
    )
    def create_api_token(
        self,
        info: Info,
        input: Input[CreateApiTokenInput],
    ) -> CreateApiTokenPayload:
        def action(_session: Session, _actor: Actor) -> tuple[str, ApiTokenModel]:
            authenticated = info.context.authenticated
            assert authenticated is not None
            created = info.context.authenticator.create_api_token(
                authenticated, input.name, input.expires_in_days, info.context.client
            )
            return created.secret, created.token

        return mutate(
            info,
            action,
            CreateApiTokenPayload,
            audited=False,
            secret=as_is,
            api_token=ApiToken.from_model,
        )

    @strawberry.mutation(
        description="Revoke an API token: yours, or one of a user you administer; the tokens "
        "made with it are revoked too."
    )
    def revoke_api_token(
        self,
        info: Info,
        input: Input[RevokeApiTokenInput],
    ) -> ApiTokenPayload:
        def action(_session: Session, actor: Actor) -> ApiTokenModel:
            token_id = database_id(input.id, "ApiToken", "id")
            return info.context.authenticator.revoke_api_token(actor, token_id, info.context.client)

        return mutate(info, action, ApiTokenPayload, audited=False, api_token=ApiToken.from_model)


def _viewer(user: UserModel, authenticated: Authenticated) -> Viewer:
    return Viewer(
        user=User.from_model(user),
        csrf_token=authenticated.csrf_token,
        must_change_password=authenticated.must_change_password,
    )


def _clear_cookie(info: Info) -> None:
    info.context.response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="Lax", secure=info.context.cookie_secure
    )


def _viewer_after(info: Info, action: Callable[[Session, Actor], None]) -> ViewerPayload:
    """Run a change of the viewer's own credentials, answering with the viewer as it is now."""

    def then_viewer(session: Session, actor: Actor) -> Viewer:
        action(session, actor)
        authenticated = info.context.authenticated
        assert authenticated is not None
        return _viewer(info.context.authenticator.user(actor.user_id), authenticated)

    return mutate(info, then_viewer, ViewerPayload, audited=False, viewer=as_is)


def _set_active(info: Info, input: UserIdInput, *, active: bool) -> UserPayload:
    def action(session: Session, actor: Actor) -> UserModel:
        return set_active(session, actor, get(session, User, input.id, "id"), active)

    return mutate(info, action, UserPayload, user=User.from_model)
