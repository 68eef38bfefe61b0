"""One DataLoader per relation of the tenants API, created per request (no N+1 queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased
from strawberry.dataloader import DataLoader

from tenants.models import RoleGrant, TenantNode, User


def _by(rows: Sequence[Any], attr: str, keys: Sequence[Any]) -> list[Any]:
    found = {getattr(r, attr): r for r in rows}
    return [found.get(k) for k in keys]


class TenantLoaders:
    """The loaders of one request, all on the request's scoped session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tenant = DataLoader(self._tenants)
        self.tenant_by_code = DataLoader(self._tenants_by_code)
        self.user = DataLoader(self._users)
        self.grants_of_user = DataLoader(self._grants_of_users)
        self.grant = DataLoader(self._grants)
        self.children_count = DataLoader(self._children_counts)
        self.children_page = DataLoader(self._children_pages)

    async def _tenants(self, ids: Sequence[int]) -> list[TenantNode | None]:
        rows = self.session.scalars(select(TenantNode).where(TenantNode.id.in_(ids))).all()
        return _by(rows, "id", ids)

    async def _tenants_by_code(self, codes: Sequence[str]) -> list[TenantNode | None]:
        rows = self.session.scalars(select(TenantNode).where(TenantNode.code.in_(codes))).all()
        return _by(rows, "code", codes)

    async def _users(self, ids: Sequence[int]) -> list[User | None]:
        rows = self.session.scalars(select(User).where(User.id.in_(ids))).all()
        return _by(rows, "id", ids)

    async def _grants(self, ids: Sequence[int]) -> list[RoleGrant | None]:
        rows = self.session.scalars(select(RoleGrant).where(RoleGrant.id.in_(ids))).all()
        return _by(rows, "id", ids)

    async def _grants_of_users(self, user_ids: Sequence[int]) -> list[list[RoleGrant]]:
        grouped: dict[int, list[RoleGrant]] = defaultdict(list)
        for grant in self.session.scalars(
            select(RoleGrant).where(RoleGrant.user_id.in_(user_ids)).order_by(RoleGrant.id)
        ):
            grouped[grant.user_id].append(grant)
        return [grouped[i] for i in user_ids]

    async def _children_counts(self, parent_ids: Sequence[int]) -> list[int]:
        counts = dict(
            self.session.execute(
                select(TenantNode.parent_id, func.count())
                .where(TenantNode.parent_id.in_(parent_ids))
                .group_by(TenantNode.parent_id)
            ).all()
        )
        return [counts.get(i, 0) for i in parent_ids]

    async def _children_pages(
        self, keys: Sequence[tuple[int, int, str | None]]
    ) -> list[list[TenantNode]]:
        """Keys are (parent id, rows wanted, path after which to start); one query per distinct
        (rows, after) pair, which in a nested query is one query for all parents."""
        groups: dict[tuple[int, str | None], list[int]] = defaultdict(list)
        for parent_id, limit, after in keys:
            groups[(limit, after)].append(parent_id)
        pages: dict[tuple[int, int, str | None], list[TenantNode]] = {}
        for (limit, after), parent_ids in groups.items():
            rank = (
                func.row_number()
                .over(partition_by=TenantNode.parent_id, order_by=TenantNode.path)
                .label("rank")
            )
            inner = select(TenantNode, rank).where(TenantNode.parent_id.in_(parent_ids))
            if after is not None:
                inner = inner.where(TenantNode.path > after)
            sub = inner.subquery()
            child = aliased(TenantNode, sub)
            grouped: dict[int, list[TenantNode]] = defaultdict(list)
            for node in self.session.scalars(
                select(child).where(sub.c.rank <= limit).order_by(sub.c.path)
            ):
                grouped[node.parent_id].append(node)  # type: ignore[index]
            for parent_id in parent_ids:
                pages[(parent_id, limit, after)] = grouped[parent_id]
        return [pages[k] for k in keys]
