"""Filters of the statement list, and the domain query they become."""

from __future__ import annotations

import strawberry
from sqlalchemy import Select
from strawberry import relay

from scoring.ledgers.models import ResponsibilityStatement
from scoring.ledgers.reading import statements_query

from ...core.context import Info
from ...core.enums import StatementParty, StatementState
from ...core.ids import optional_argument_id


@strawberry.input(description="Which statements to list; every field narrows the list.")
class StatementFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="Statements issued by this unit or any unit below it (a Tenant id).",
    )
    year: int | None = strawberry.field(default=None, description="The year they are for.")
    party: StatementParty | None = strawberry.field(
        default=None, description="Only those to units, or only those to enterprises."
    )
    state: StatementState | None = strawberry.field(
        default=None, description="Only those still to be signed, or only signed ones."
    )


def statements_matching(
    info: Info, filter: StatementFilter | None
) -> Select[tuple[ResponsibilityStatement]]:
    """The statements the filter asks for."""
    if filter is None:
        return statements_query(info.context.db)
    return statements_query(
        info.context.db,
        subtree_of=optional_argument_id(filter.node_id, "Tenant", "filter.nodeId"),
        year=filter.year,
        party=filter.party,
        state=filter.state,
    )
