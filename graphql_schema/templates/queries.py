"""Queries of the templates area: the templates list (single ones through node(id:))."""

from __future__ import annotations

import strawberry

from ..core.context import Info
from ..core.pagination import Connection
from .filters import TemplateFilter, templates_matching
from .types import Template


@strawberry.type
class TemplateQueries:
    @strawberry.field(description="Indicator templates of your province, oldest first.")
    def templates(
        self,
        info: Info,
        filter: TemplateFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Template]:
        info.context.require_actor()
        query = templates_matching(filter)
        return Template.page(info, query, first=first, after=after)
