"""Query cost: what an operation may cost before it runs, and how much each credential may spend."""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Mapping
from typing import Any

from flask import current_app, has_app_context
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.utilities import get_operation_ast
from redis import Redis
from redis.exceptions import RedisError
from strawberry.extensions import SchemaExtension

from redline.config import Settings
from tenants.throttle import RedisOutage

from .enums import ErrorCode
from .pagination import DEFAULT_PAGE, MAX_PAGE

log = logging.getLogger("redline.graphql")

TOO_COSTLY = ErrorCode.TOO_COSTLY.name
RATE_LIMITED = ErrorCode.RATE_LIMITED.name

FIELD_COST = 1  # every field asked for, scalar or object
ASSUMED_LIST_SIZE = 20  # a list of objects whose length nothing better bounds
# A schema's introspection (__schema, __type) is answered from memory, whatever it selects.
INTROSPECTION_COST = 100

# Lists whose length is known better than ASSUMED_LIST_SIZE: a number, or the name of the
# argument that bounds it (its default when the operation does not give it).
LIST_SIZES: dict[tuple[str, str], int | str] = {
    # A template's tree is held in memory: a few top categories, rarely a subcategory, the
    # indicators spread over them (the demo's ZJ-COUNTY: 8 top categories, 10 in all).
    ("Template", "categories"): 10,
    ("TemplateCategory", "categories"): 1,
    ("TemplateCategory", "indicators"): 8,
    ("Template", "vetoRules"): 10,
    ("Indicator", "tiers"): 5,
    ("Indicator", "clauses"): 8,
    ("StandardItem", "clauses"): 8,
    ("Bands", "levels"): 5,  # one per tenant level
    ("Grades", "levels"): 4,  # excellent, good, qualified, unqualified
    ("Tenant", "ancestors"): 5,  # the levels above a unit
    ("User", "roles"): 5,
    ("Cycle", "stateCounts"): 8,  # one per assessment state
    # What one assessment holds besides its entries: a template's veto rules fire or are
    # raised a few at a time; spot checks, appeals and files are a handful.
    ("Assessment", "ledgerVetoes"): 5,
    ("Assessment", "vetoes"): 5,
    ("Assessment", "appeals"): 5,
    ("Assessment", "spotChecks"): 10,
    ("Entry", "counts"): 8,
    ("Entry", "attachments"): 5,
    ("Appeal", "evidence"): 5,
    ("Scorecard", "categories"): 10,
    ("Scorecard", "yellowCards"): 5,
    ("RankingEntry", "vetoReasons"): 5,
    ("RankingEntry", "yellowCards"): 5,
    ("MatrixRow", "cells"): 10,  # the template's categories (or one category's indicators)
    # A ledger row's history is the few steps of its life, each with a file or two.
    ("Accident", "history"): 10,
    ("Hazard", "history"): 10,
    ("TaskElement", "history"): 10,
    ("ResponsibilityStatement", "history"): 10,
    ("LedgerEvent", "files"): 5,
    ("ActionPlan", "sections"): 10,  # topics of a plan, projects under each
    ("PlanSection", "sections"): 10,
    ("SpotCheckDraw", "strata"): 10,
    ("SpotCheckTarget", "inspectors"): 3,
    ("Comparison", "cycles"): 6,  # compare takes at most 6 cycles and 20 units
    ("Comparison", "units"): 20,
    ("ComparedUnit", "standings"): 6,
    ("Query", "rankingHistory"): "cycles",
    ("Query", "rankingTrend"): "cycles",
}

# Fields whose answer costs far more than reading a row: they add this weight each time they
# are resolved (inside lists, once per item).
HEAVY_FIELDS: dict[tuple[str, str], int] = {
    # A scorecard runs the scoring engine over the assessment's entries and the ledger figures
    # that feed them; ledger vetoes evaluate the template's veto rules on the unit's ledgers.
    ("Assessment", "scorecard"): 50,
    ("Assessment", "ledgerVetoes"): 25,
    ("Entry", "ledgerFigure"): 5,
    ("Entry", "selfScore"): 2,
    ("Entry", "reviewedScore"): 2,
    # Analytics over a whole ranking or a subtree's ledgers, computed per request.
    ("Query", "scorecardMatrix"): 200,
    ("Query", "compare"): 200,
    ("Query", "rankingChanges"): 100,
    ("Query", "consequenceRegister"): 100,
    ("Query", "commendationCandidates"): 50,
    ("Query", "criticismList"): 50,
    ("Query", "rankingHistory"): 50,
    ("Query", "rankingTrend"): 50,
    ("Query", "accidentStatistics"): 100,
    ("Query", "hazardStatistics"): 100,
    ("Query", "taskStatistics"): 100,
    ("Query", "statementCoverage"): 100,
    # Reports rendered as PDF (queued: the print job renders them) and workbooks read in the
    # request itself.
    ("Mutation", "printScorecard"): 200,
    ("Mutation", "printRankingReport"): 200,
    ("Mutation", "printConsequenceRegister"): 200,
    ("Mutation", "printStatisticsReport"): 200,
    ("Mutation", "importTemplate"): 500,
    ("Mutation", "importSelfAssessment"): 500,
    ("Mutation", "importActionPlan"): 500,
    ("Mutation", "previewStandard"): 500,
    ("Mutation", "importStandard"): 500,
    ("Mutation", "drawSpotChecks"): 100,
}

# A connection's items: the lists its page size multiplies.
CONNECTION_ITEMS = frozenset({"edges", "nodes"})
PAGE_ARGUMENTS = ("first", "last")


class CostOfOperation:
    """The cost of one operation of a document, computed from the document and the schema
    alone (nothing is resolved), as ``QueryCost`` explains."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.operation = get_operation_ast(document, operation_name)
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        given = dict(variables or {})
        defaults: dict[str, Any] = {}
        if self.operation is not None:
            for definition in self.operation.variable_definitions or ():
                if definition.default_value is not None:
                    defaults[definition.variable.name.value] = value_from_ast_untyped(
                        definition.default_value
                    )
        self.variables = {**defaults, **given}

    def total(self) -> int:
        """The operation's cost (0 for a document without that operation)."""
        operation = self.operation
        if operation is None:
            return 0
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return 0
        return self._selections(root, operation.selection_set, page=None, spreading=())

    def _selections(
        self,
        parent: GraphQLNamedType,
        selection_set: SelectionSetNode,
        *,
        page: int | None,
        spreading: tuple[str, ...],
    ) -> int:
        """The cost of a selection set on ``parent``; ``page`` is set on a connection type (the
        page size its items are multiplied by). Fragments on other types are all counted (only
        one applies to a given node: counting them all errs on the expensive side)."""
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self._field(parent, selection, page=page, spreading=spreading)
            elif isinstance(selection, InlineFragmentNode):
                on = parent
                if selection.type_condition is not None:
                    on = self.schema.get_type(selection.type_condition.name.value) or parent
                cost += self._selections(
                    on, selection.selection_set, page=page, spreading=spreading
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in spreading:  # validation refuses both anyway
                    continue
                on = self.schema.get_type(fragment.type_condition.name.value) or parent
                cost += self._selections(
                    on, fragment.selection_set, page=page, spreading=(*spreading, name)
                )
        return cost

    def _field(
        self,
        parent: GraphQLNamedType,
        node: FieldNode,
        *,
        page: int | None,
        spreading: tuple[str, ...],
    ) -> int:
        name = node.name.value
        if name == "__typename":
            return 0
        if name in ("__schema", "__type"):
            return INTROSPECTION_COST
        definition: GraphQLField | None = getattr(parent, "fields", {}).get(name)
        if definition is None:  # validation refuses it; nothing to resolve
            return 0
        own = FIELD_COST + HEAVY_FIELDS.get((parent.name, name), 0)
        if node.selection_set is None:
            return own
        of_type = get_named_type(definition.type)
        inner_page = self._page_size(node) if self._is_connection(definition) else None
        inner = self._selections(of_type, node.selection_set, page=inner_page, spreading=spreading)
        return own + self._length(parent, name, definition, node, page) * inner

    def _length(
        self,
        parent: GraphQLNamedType,
        name: str,
        definition: GraphQLField,
        node: FieldNode,
        page: int | None,
    ) -> int:
        """How many objects the field answers with: 1, a connection's page, a list's size."""
        if not is_list_type(get_nullable_type(definition.type)):
            return 1
        if page is not None and name in CONNECTION_ITEMS:
            return page
        known = LIST_SIZES.get((parent.name, name), ASSUMED_LIST_SIZE)
        if isinstance(known, str):
            argument = definition.args.get(known)
            default = argument.default_value if argument is not None else None
            value = self._argument(node, known, default)
            return value if isinstance(value, int) and value >= 0 else ASSUMED_LIST_SIZE
        return known

    @staticmethod
    def _is_connection(definition: GraphQLField) -> bool:
        return any(argument in definition.args for argument in PAGE_ARGUMENTS)

    def _page_size(self, node: FieldNode) -> int:
        """The page a connection field asks for: ``first`` (or ``last``), DEFAULT_PAGE when
        absent, and MAX_PAGE for what is no page size (the resolver refuses it)."""
        for argument in PAGE_ARGUMENTS:
            value = self._argument(node, argument, None)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                return MAX_PAGE
            return min(max(value, 0), MAX_PAGE)
        return DEFAULT_PAGE

    def _argument(self, node: FieldNode, name: str, default: Any) -> Any:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                return self.variables.get(value.name.value, default)
            if isinstance(value, IntValueNode):
                return int(value.value)
            return value_from_ast_untyped(value, self.variables)
        return default


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The cost of the operation ``operation_name`` of ``document`` (see ``QueryCost``)."""
    return CostOfOperation(schema, document, operation_name, variables).total()


# --- spending per credential -----------------------------------------------------------------

# Checks the minute's spending and adds the cost in one step, so API processes sharing Redis
# never both take the last points. Answers what was spent before: above the budget, refused.
_SPEND = """
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost, budget = tonumber(ARGV[1]), tonumber(ARGV[2])
if spent + cost > budget then
  return {0, spent}
end
redis.call('INCRBY', KEYS[1], cost)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return {1, spent}
"""
LOCAL_PRUNE_AT = 10_000  # credentials counted in memory (Redis away) before old minutes go


class CostSpending:
    """Cost points each credential spent this minute on expensive operations, in Redis so
    that every API process counts the same (a fixed window: the points come back when the
    minute ends).

    While Redis cannot be reached, spending is counted in this process's memory instead
    (each process limits on its own until Redis is back), with a warning in the log: the
    same choice as the sign-in throttle's.
    """

    def __init__(self, redis: Redis, window: int = 60) -> None:
        self.redis, self.window = redis, window
        self._script = redis.register_script(_SPEND)
        self._local: dict[str, tuple[int, int]] = {}  # key -> (minute, points spent)
        self._lock = threading.Lock()
        self._outage = RedisOutage(
            "query cost rate limit", "counting cost points in this process until it is back"
        )

    def spend(self, credential: str, cost: int, budget: int, now: float | None = None) -> int:
        """Spend ``cost`` points of ``credential``'s budget for this minute: 0 when they were
        spent, else the seconds until the minute ends (nothing is spent then)."""
        now = time.time() if now is None else now
        minute = int(now // self.window)
        key = f"redline:cost:{credential}:{minute}"
        try:
            self._outage.check()
            allowed, _spent = self._script(keys=[key], args=[cost, budget, self.window])
        except RedisError as exc:
            self._outage.failed(exc)
            allowed = self._spend_locally(key, minute, cost, budget)
        if allowed:
            return 0
        return max(1, math.ceil((minute + 1) * self.window - now))

    def _spend_locally(self, key: str, minute: int, cost: int, budget: int) -> bool:
        with self._lock:
            if len(self._local) > LOCAL_PRUNE_AT:
                self._local = {k: v for k, v in self._local.items() if v[0] == minute}
            counted_minute, spent = self._local.get(key, (minute, 0))
            if counted_minute != minute:
                spent = 0
            if spent + cost > budget:
                return False
            self._local[key] = (minute, spent + cost)
            return True


def credential_of(context: Any) -> str:
    """Whose budget an operation spends: the API token's (each token its own), the user's
    (all their browser sessions together), or, without credentials, the client address's."""
    request = context.request
    authenticated = getattr(context, "authenticated", None)
    authorization = request.headers.get("Authorization", "")
    if authenticated is not None and authorization.lower().startswith("bearer "):
        digest = hashlib.sha256(authorization[7:].strip().encode()).hexdigest()
        return f"token:{digest[:32]}"
    if authenticated is not None:
        return f"user:{authenticated.actor.user_id}"
    return f"address:{request.remote_addr or '-'}"


def _spending() -> tuple[Settings, CostSpending | None]:
    """The running app's settings and its spending counter (none outside an app)."""
    if not has_app_context():
        return Settings(), None
    runtime = current_app.extensions["redline"]
    spending = current_app.extensions.get("redline.cost_spending")
    if spending is None or spending.redis is not runtime.redis:
        spending = CostSpending(runtime.redis)
        current_app.extensions["redline.cost_spending"] = spending
    return runtime.settings, spending


class QueryCost(SchemaExtension):
    """Refuses an operation that would cost more than the budget per request, and one that
    would take a credential over its cost points per minute, before any resolver runs (no SQL);
    every answered operation carries ``extensions.cost`` = {requested, budget}.

    The cost, computed from the executed operation's document (fragments expanded, variables'
    values used, ``@skip``/``@include`` ignored: the fields count as if asked for):

    - every field costs ``FIELD_COST`` (1); ``__typename`` is free and introspection
      (``__schema``, ``__type``) a flat ``INTROSPECTION_COST``;
    - a field in ``HEAVY_FIELDS`` (scorecards, ledger vetoes, analytics, reports, workbook
      imports) adds its weight;
    - a field with a selection adds its selection's cost once per object it answers with: a
      connection (a field taking ``first``) multiplies the cost of its items (``edges``) by its
      page, ``first`` or DEFAULT_PAGE (50) when absent, at most MAX_PAGE (500); a list of
      objects by its size in ``LIST_SIZES``, else ``ASSUMED_LIST_SIZE`` (20);
    - aliases and root fields add up.

    So ``{ assessments(first: 100) { edges { node { id scorecard { total } } } } }`` costs
    1 (assessments) + 1 (edges) + 100 x (1 node + 1 id + 1 scorecard + 50 + 1 total) = 5,402.

    Rate: an operation costing at least ``query_cost_rate_threshold`` spends its cost from the
    credential's ``query_cost_per_minute`` points (``CostSpending``, keyed by
    ``credential_of``); cheaper operations are never counted, so ordinary use never waits.
    """

    def __init__(self, *, execution_context: Any = None) -> None:
        super().__init__(execution_context=execution_context)
        self.cost: dict[str, int] | None = None

    def on_execute(self):  # type: ignore[override]
        ctx = self.execution_context
        settings, spending = _spending()
        budget = settings.query_cost_budget
        if ctx.graphql_document is not None:
            requested = operation_cost(
                ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables
            )
            self.cost = {"requested": requested, "budget": budget}
            if requested > budget:
                raise GraphQLError(
                    f"This operation would cost {requested:,} points, more than the budget of "
                    f"{budget:,} a request may spend: ask for smaller pages (first), fewer "
                    "aliases or fewer nested lists, or split it into several requests.",
                    extensions={"code": TOO_COSTLY, "cost": dict(self.cost)},
                )
            if spending is not None and requested >= settings.query_cost_rate_threshold:
                per_minute = settings.query_cost_per_minute
                wait = spending.spend(credential_of(ctx.context), requested, per_minute)
                if wait:
                    raise GraphQLError(
                        f"These credentials have spent their {per_minute:,} cost points a "
                        f"minute on expensive operations (this one costs {requested:,}): try "
                        f"again in {wait} seconds, or ask for less at a time.",
                        extensions={
                            "code": RATE_LIMITED,
                            "retryAfter": wait,
                            "cost": dict(self.cost),
                        },
                    )
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.cost} if self.cost is not None else {}
