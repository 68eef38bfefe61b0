"""Inputs of the tenants area's mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay

from ..core.enums import Role, TenantKind, TenantLevel


@strawberry.input(description="A username and its password.")
class SignInInput:
    username: str = strawberry.field(
        description="The username, in any case (surrounding spaces ignored)."
    )
    password: str = strawberry.field(description="The password.")
    otp: str | None = strawberry.field(
        default=None,
        description="The six-digit code of the authenticator app, for an account with a "
        "second factor (asked for with OTP_REQUIRED once the password is right).",
    )


@strawberry.input(description="A new unit under a unit you administer.")
class CreateTenantInput:
    parent_id: relay.GlobalID = strawberry.field(description="The unit above it.")
    code: str = strawberry.field(
        description="The national administrative division code (GB/T 2260) where one exists, "
        "else an office-assigned code: 1-40 letters, digits or '-', beginning with the first "
        "two characters of the province's code (its code space); unique across all units."
    )
    name_zh: str = strawberry.field(description="The Chinese name; at most 200 characters.")
    level: TenantLevel = strawberry.field(
        description="A region: one level below its parent; a department, affiliated unit or "
        "enterprise: its parent's own level."
    )
    kind: TenantKind = strawberry.field(description="What sort of unit it is.")
    name_en: str = strawberry.field(
        default="",
        description="A region's English name; a department, affiliated unit or enterprise may "
        "leave it out (its Chinese name stands in).",
    )


@strawberry.input(
    description="Only the fields given change. A new parent moves the unit with "
    "everything below it."
)
class UpdateTenantInput:
    id: relay.GlobalID = strawberry.field(description="The unit to change.")
    code: str | None = strawberry.field(
        default=None, description="A new code (rules as in createTenant)."
    )
    name_zh: str | None = strawberry.field(default=None, description="A new Chinese name.")
    name_en: str | None = strawberry.field(default=None, description="A new English name.")
    kind: TenantKind | None = strawberry.field(
        default=None, description="A new kind; the level order must still hold."
    )
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="A new parent in the same province, not inside the unit itself.",
    )


@strawberry.input(description="A role to give a user on a unit.")
class GrantRoleInput:
    user_id: relay.GlobalID = strawberry.field(description="The user.")
    node_id: relay.GlobalID = strawberry.field(
        description="The unit: the user's own or one below it."
    )
    role: Role = strawberry.field(description="The role.")


@strawberry.input(description="A role grant to take away.")
class RevokeRoleInput:
    id: relay.GlobalID = strawberry.field(description="The RoleGrant's id.")


@strawberry.input(description="A new API token acting as you.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What the token is for, to tell it apart.")
    expires_in_days: int | None = strawberry.field(
        default=90,
        description="How many days it works, at most the deployment's maximum "
        "(REDLINE_API_TOKEN_MAX_DAYS, 365 unless set); null: the maximum. A token made with "
        "a token expires no later than that one.",
    )


@strawberry.input(description="An API token to revoke: yours, or one of a user you administer.")
class RevokeApiTokenInput:
    id: relay.GlobalID = strawberry.field(description="The ApiToken's id.")


@strawberry.input(description="A new user of a unit you administer.")
class CreateUserInput:
    node_id: relay.GlobalID = strawberry.field(description="The unit the user belongs to.")
    username: str = strawberry.field(
        description="3-80 letters, digits or . _ @ -, starting with a letter or digit; "
        "unique whatever its case."
    )
    display_name: str = strawberry.field(description="The name shown; at most 200 characters.")
    roles: list[Role] = strawberry.field(
        default_factory=list, description="Roles on that unit to grant at once."
    )


@strawberry.input(description="A user to disable or enable.")
class UserIdInput:
    id: relay.GlobalID = strawberry.field(description="The User's id.")


@strawberry.input(description="Your current password and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password you signed in with.")
    new_password: str = strawberry.field(
        description="At least 8 characters and not easy to guess (not a common password, "
        "not made of your own name)."
    )


@strawberry.input(description="A user whose password an admin resets.")
class ResetPasswordInput:
    user_id: relay.GlobalID = strawberry.field(description="The User's id.")
    remove_second_factor: bool = strawberry.field(
        default=False,
        description="Also turn their second factor off (a lost phone); they may set it up "
        "again after signing in.",
    )


@strawberry.input(description="One of your browser sessions to end.")
class EndSessionInput:
    id: strawberry.ID = strawberry.field(description="The BrowserSession's id.")


@strawberry.input(description="A code of the authenticator app.")
class ConfirmSecondFactorInput:
    code: str = strawberry.field(description="The six digits the app shows now.")


@strawberry.input(description="Your password and a current code, to turn the second factor off.")
class DisableSecondFactorInput:
    password: str = strawberry.field(description="Your password.")
    code: str = strawberry.field(description="The six digits the app shows now.")
