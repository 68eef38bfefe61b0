"""The DataLoaders of the tenants area: units by code, a user's grants, a unit's children."""

from __future__ import annotations

from tenants.models import RoleGrant, TenantNode

from ..core.dataloaders import by_key, by_unique
from ..core.pagination import Pages

TENANT_BY_CODE = by_unique(TenantNode.code)
GRANTS_OF_USER = by_key(RoleGrant.user_id, RoleGrant.id)
CHILDREN = Pages(TenantNode.parent_id, TenantNode.path)
