"""What the responsibility statements say: a unit's tally for a year and the coverage of its
subtree (issued, signed, by unit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.ledgers.models import (
    ResponsibilityStatement,
    StatementParty,
    StatementState,
)
from scoring.ledgers.rates import NONE, percent
from scoring.ledgers.subtrees import by_subtree, in_subtrees
from tenants.models import TenantNode


def children_of(session: Session, node: TenantNode) -> list[TenantNode]:
    """The units directly below ``node``, by code."""
    return list(
        session.scalars(
            select(TenantNode).where(TenantNode.parent_id == node.id).order_by(TenantNode.code)
        )
    )


# --- tally and coverage ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatementTally:
    """The statements of one year issued in one unit's subtree (by it or any unit below it)."""

    issued: int  # every statement issued, signed or not
    signed: int
    units_issued: int
    units_signed: int
    enterprises_issued: int
    enterprises_signed: int
    statements: tuple[ResponsibilityStatement, ...]  # the rows counted, by id
    coverage: Decimal  # signed / issued in percent, 0.1; 0.0 when none issued

    @classmethod
    def of(cls, statements: Sequence[ResponsibilityStatement]) -> StatementTally:
        units = [s for s in statements if s.party is StatementParty.UNIT]
        enterprises = [s for s in statements if s.party is StatementParty.ENTERPRISE]
        signed = [s for s in statements if s.state is StatementState.SIGNED]
        return cls(
            issued=len(statements),
            signed=len(signed),
            units_issued=len(units),
            units_signed=sum(1 for s in units if s.state is StatementState.SIGNED),
            enterprises_issued=len(enterprises),
            enterprises_signed=sum(1 for s in enterprises if s.state is StatementState.SIGNED),
            statements=tuple(statements),
            coverage=percent(len(signed), len(statements), when_empty=NONE),
        )


def statement_tally(
    session: Session, nodes: Sequence[TenantNode], year: int
) -> dict[int, StatementTally]:
    """For each node (by id), the statements for ``year`` issued by it or any unit below it:
    one query for all of them."""
    if not nodes:
        return {}
    rows = session.execute(
        select(ResponsibilityStatement, TenantNode.path)
        .join(TenantNode, TenantNode.id == ResponsibilityStatement.node_id)
        .where(
            in_subtrees(ResponsibilityStatement.customer_id, nodes),
            ResponsibilityStatement.year == year,
        )
        .order_by(ResponsibilityStatement.id)
    ).all()
    found = by_subtree(rows, nodes)
    return {node_id: StatementTally.of(statements) for node_id, statements in found.items()}


@dataclass(frozen=True)
class UnitStatement:
    """A unit directly below and the statement the node issued to it for the year (None: none
    issued yet, so the unit is not covered)."""

    node: TenantNode
    statement: ResponsibilityStatement | None

    @property
    def state(self) -> StatementState | None:
        return self.statement.state if self.statement is not None else None

    @property
    def signed_on(self) -> date | None:
        return self.statement.signed_on if self.statement is not None else None


@dataclass(frozen=True)
class UnitTally:
    """A unit directly below and the statements of its own subtree for the year."""

    node: TenantNode
    tally: StatementTally


@dataclass(frozen=True)
class StatementCoverage:
    """A node's statements of one year: its subtree's tally, its own coverage of the units
    directly below it and of its enterprises, and each unit below's subtree tally."""

    node: TenantNode
    year: int
    tally: StatementTally  # the whole subtree's statements
    units: tuple[UnitStatement, ...]  # every unit directly below, by code
    units_issued: int  # units below holding a statement from the node, signed or not
    units_signed: int  # units below holding a signed one
    unit_coverage: Decimal  # units_signed / units below, percent; 0.0 with no units below
    enterprises_issued: int  # the node's own enterprise statements
    enterprises_signed: int
    enterprise_coverage: Decimal  # enterprises_signed / enterprises_issued; 0.0 when none
    by_unit: tuple[UnitTally, ...]  # every unit directly below, by code


def _statement_to(
    statements: Sequence[ResponsibilityStatement], child: TenantNode
) -> ResponsibilityStatement | None:
    """The statement to ``child`` among the node's own: a signed one if two were issued."""
    held = [s for s in statements if s.counterparty_node_id == child.id]
    signed = [s for s in held if s.state is StatementState.SIGNED]
    return (signed or held or [None])[0]


def statement_coverage(session: Session, node: TenantNode, year: int) -> StatementCoverage:
    """The coverage figures of ``node`` for ``year`` (two queries)."""
    children = children_of(session, node)
    tallies = statement_tally(session, [node, *children], year)
    tally = tallies[node.id]
    own = [s for s in tally.statements if s.node_id == node.id]
    own_units = [s for s in own if s.party is StatementParty.UNIT]
    units = tuple(UnitStatement(child, _statement_to(own_units, child)) for child in children)
    units_signed = sum(1 for u in units if u.state is StatementState.SIGNED)
    enterprises = [s for s in own if s.party is StatementParty.ENTERPRISE]
    enterprises_signed = sum(1 for s in enterprises if s.state is StatementState.SIGNED)
    return StatementCoverage(
        node=node,
        year=year,
        tally=tally,
        units=units,
        units_issued=sum(1 for u in units if u.statement is not None),
        units_signed=units_signed,
        unit_coverage=percent(units_signed, len(units), when_empty=NONE),
        enterprises_issued=len(enterprises),
        enterprises_signed=enterprises_signed,
        enterprise_coverage=percent(enterprises_signed, len(enterprises), when_empty=NONE),
        by_unit=tuple(UnitTally(child, tallies[child.id]) for child in children),
    )
