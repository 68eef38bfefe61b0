"""Filters of the templates area's list, and the domain query they become."""

from __future__ import annotations

import strawberry
from sqlalchemy import Select
from strawberry import relay

from scoring.templates.models import Template
from scoring.templates.reading import templates_query

from ..core.enums import TemplateState
from ..core.ids import optional_argument_id


@strawberry.input(description="Narrow a list of templates; all given conditions apply.")
class TemplateFilter:
    state: TemplateState | None = strawberry.field(
        default=None, description="Templates in this state."
    )
    family_code: str | None = strawberry.field(
        default=None, description="The versions of the family with this code."
    )
    owner_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Templates written by this unit."
    )


def templates_matching(filter: TemplateFilter | None) -> Select[tuple[Template]]:
    """The templates the filter asks for."""
    if filter is None:
        return templates_query()
    return templates_query(
        state=filter.state,
        family_code=filter.family_code.strip() if filter.family_code is not None else None,
        owner_id=optional_argument_id(filter.owner_id, "Tenant", "filter.ownerId"),
    )
