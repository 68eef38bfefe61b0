"""Queries of the responsibility-statement ledger: the statement list and a unit's coverage."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from scoring.ledgers.figures import statements as statement_figures

from ...core.context import Info
from ...core.ids import argument_id
from ...core.pagination import After, Before, Connection, First, Last
from ..common import ledger_unit
from .filters import StatementFilter, statements_matching
from .types import ResponsibilityStatement, StatementCoverage


@strawberry.type
class StatementQueries:
    @strawberry.field(
        description="Responsibility statements in the ledgers you can read (those issued by "
        "your unit and, by role, the units below it), in the order they were issued."
    )
    def responsibility_statements(
        self,
        info: Info,
        filter: Annotated[
            StatementFilter | None,
            strawberry.argument(description="Only the statements it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ResponsibilityStatement]:
        info.context.require_actor()
        query = statements_matching(info, filter)
        return ResponsibilityStatement.page(
            info, query, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="A unit's statement coverage for a year: of the units directly below it, "
        "of its enterprises, and over its subtree. null when the unit's ledgers are out of "
        "your sight."
    )
    def statement_coverage(
        self,
        info: Info,
        node_id: Annotated[
            relay.GlobalID, strawberry.argument(description="The unit (a Tenant id).")
        ],
        year: Annotated[int, strawberry.argument(description="The year of the statements.")],
    ) -> StatementCoverage | None:
        info.context.require_actor()
        node = ledger_unit(info, argument_id(node_id, "Tenant", "nodeId"))
        if node is None:
            return None
        return StatementCoverage.from_coverage(
            statement_figures.statement_coverage(info.context.db, node, year)
        )
