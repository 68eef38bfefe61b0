"""The schema: the root Query and Mutation assembled from each area's classes (in the order the
schema file lists their fields), every node type, and the limits and extensions."""

from __future__ import annotations

from functools import partial

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.tools import merge_types

from .assessments.mutations import AssessmentMutations
from .assessments.queries import AssessmentQueries
from .assessments.types import Appeal, Assessment, Attachment, Cycle, SpotCheck, VetoFlag
from .core.cost import QueryCost
from .core.errors import should_mask
from .core.extensions import (
    CsrfProtection,
    IntrospectionSwitch,
    LoggedMaskErrors,
    MutationsWrite,
    PasswordChangeGate,
    RedlineSchema,
)
from .core.input_rules import SCALARS, TextRules
from .core.nodes import NodeQueries
from .core.persisted import PersistedQueries
from .jobs.mutations import JobMutations
from .jobs.queries import JobQueries
from .jobs.types import JobRun, Report
from .ledgers.accidents.mutations import AccidentMutations
from .ledgers.accidents.queries import AccidentQueries
from .ledgers.accidents.types import Accident
from .ledgers.common import LedgerFile
from .ledgers.hazards.mutations import HazardMutations
from .ledgers.hazards.queries import HazardQueries
from .ledgers.hazards.types import Hazard
from .ledgers.statements.mutations import StatementMutations
from .ledgers.statements.queries import StatementQueries
from .ledgers.statements.types import ResponsibilityStatement
from .ledgers.tasks.mutations import TaskMutations
from .ledgers.tasks.queries import TaskQueries
from .ledgers.tasks.types import ActionPlan, TaskElement
from .notifications.mutations import NotificationMutations
from .notifications.queries import NotificationQueries
from .notifications.types import Notification
from .rankings.analytics import AnalyticsQueries
from .rankings.queries import RankingQueries
from .reports.mutations import ReportMutations
from .reports.queries import ReportQueries
from .spotchecks.mutations import SpotCheckDrawMutations
from .spotchecks.queries import SpotCheckDrawQueries
from .spotchecks.types import SpotCheckDraw
from .templates.mutations import TemplateMutations
from .templates.queries import TemplateQueries
from .templates.types import Template
from .tenants.mutations import TenantMutations
from .tenants.queries import TenantQueries
from .tenants.types import ApiToken, RoleGrant, Tenant, User

Query = merge_types(
    "Query",
    (
        NodeQueries,
        TenantQueries,
        TemplateQueries,
        AssessmentQueries,
        AccidentQueries,
        HazardQueries,
        TaskQueries,
        StatementQueries,
        NotificationQueries,
        JobQueries,
        RankingQueries,
        AnalyticsQueries,
        ReportQueries,
        SpotCheckDrawQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        TenantMutations,
        TemplateMutations,
        AssessmentMutations,
        AccidentMutations,
        HazardMutations,
        TaskMutations,
        StatementMutations,
        NotificationMutations,
        JobMutations,
        ReportMutations,
        SpotCheckDrawMutations,
    ),
)

# merge_types takes no description: the root types get theirs here (the same fields in the
# same order).
Query = strawberry.type(
    Query,
    name="Query",
    description="What a client reads: the signed-in viewer, units, templates, cycles and "
    "assessments, the ledgers, rankings and analytics, notifications, jobs and reports. Every "
    "answer is limited to what the viewer's roles let them see.",
)
Mutation = strawberry.type(
    Mutation,
    name="Mutation",
    description="What a client changes. Each mutation answers with a payload: the changed "
    "objects, or `errors` (and nothing saved) when the input is refused.",
)

# Every node type, so that node(id:) can answer any of them.
NODE_TYPES: list[type] = [
    Tenant,
    User,
    RoleGrant,
    ApiToken,
    Template,
    Cycle,
    Assessment,
    Attachment,
    SpotCheck,
    VetoFlag,
    Appeal,
    LedgerFile,
    Accident,
    Hazard,
    ActionPlan,
    TaskElement,
    ResponsibilityStatement,
    Notification,
    JobRun,
    Report,
    SpotCheckDraw,
]

# Limits every operation must keep; QueryCost (core/cost.py) adds a cost budget on top.
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000
# Operations whose parsed and validated documents each process keeps.
CACHED_DOCUMENTS = 512
# The depth and alias limits as validation rules made once. QueryDepthLimiter and
# MaxAliasesLimiter make their rule's class anew for each request, and the validation cache's key
# holds the rules, so every request was validated again (6 ms for a ranking page's document).
LIMIT_RULES = [depth_rule(MAX_DEPTH, should_ignore=None), aliases_rule(MAX_ALIASES)]


def _build_schema() -> strawberry.Schema:
    return RedlineSchema(
        query=Query,
        mutation=Mutation,
        types=NODE_TYPES,
        scalar_overrides=SCALARS,
        extensions=[
            # The frontend's hundred-odd operations parse and validate once per process.
            partial(ParserCache, maxsize=CACHED_DOCUMENTS),
            partial(ValidationCache, maxsize=CACHED_DOCUMENTS),
            PersistedQueries,
            IntrospectionSwitch,
            partial(AddValidationRules, LIMIT_RULES),
            partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
            TextRules,
            CsrfProtection,
            PasswordChangeGate,
            QueryCost,
            MutationsWrite,
            partial(
                LoggedMaskErrors, should_mask_error=should_mask, error_message="Unexpected error."
            ),
        ],
    )


# Built once: strawberry types (relay fields among them) belong to one schema.
schema = _build_schema()
