"""Inputs of the tenants area's mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay

from ..core.enums import Role, TenantKind, TenantLevel


@strawberry.input
class SignInInput:
    username: str
    password: str


@strawberry.input
class CreateTenantInput:
    parent_id: relay.GlobalID
    code: str
    name_zh: str
    level: TenantLevel
    kind: TenantKind
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
    id: relay.GlobalID
    code: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    kind: TenantKind | None = None
    parent_id: relay.GlobalID | None = None


@strawberry.input
class GrantRoleInput:
    user_id: relay.GlobalID
    node_id: relay.GlobalID
    role: Role


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
