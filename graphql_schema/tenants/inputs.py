"""Inputs of the tenants area's mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay

from ..core.enums import Role, TenantKind, TenantLevel


@strawberry.input(description="A username and its password.")
class SignInInput:
    username: str = strawberry.field(description="The username (surrounding spaces ignored).")
    password: str = strawberry.field(description="The password.")


@strawberry.input(description="A new unit under a unit you administer.")
class CreateTenantInput:
    parent_id: relay.GlobalID = strawberry.field(description="The unit above it.")
    code: str = strawberry.field(
        description="The national administrative division code (GB/T 2260) where one exists, "
        "else an office-assigned code: 1-40 letters, digits or '-'; unique across all units."
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
        default=90, description="Null for a token that never expires."
    )


@strawberry.input(description="One of your API tokens to revoke.")
class RevokeApiTokenInput:
    id: relay.GlobalID = strawberry.field(description="The ApiToken's id.")
