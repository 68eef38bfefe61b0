"""Queries of the templates area: the templates list (single ones through node(id:))."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ..core.context import Info
from ..core.pagination import After, Before, Connection, First, Last
from .filters import TemplateFilter, templates_matching
from .types import Template


@strawberry.type
class TemplateQueries:
    @strawberry.field(description="Indicator templates of your province, oldest first.")
    def templates(
        self,
        info: Info,
        filter: Annotated[
            TemplateFilter | None,
            strawberry.argument(description="Only the templates it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Template]:
        info.context.require_actor()
        query = templates_matching(filter)
        return Template.page(info, query, first=first, after=after, last=last, before=before)
