"""The ledgers API assembled: each ledger's queries, mutations and node types."""

from __future__ import annotations

from strawberry.tools import merge_types

from . import accident_api, hazard_api, statement_api, task_api
from .common import LedgerFile

_PARTS = (accident_api, hazard_api, task_api, statement_api)

LedgerQueries = merge_types(
    "LedgerQueries",
    (
        accident_api.AccidentQueries,
        hazard_api.HazardQueries,
        task_api.TaskQueries,
        statement_api.StatementQueries,
    ),
)
LedgerMutations = merge_types(
    "LedgerMutations",
    (
        accident_api.AccidentMutations,
        hazard_api.HazardMutations,
        task_api.TaskMutations,
        statement_api.StatementMutations,
    ),
)
TYPES: list[type] = [LedgerFile, *(t for part in _PARTS for t in part.TYPES)]
