"""The schema: root Query and Mutation assembled from each part's classes, with the limits."""

from __future__ import annotations

import logging
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.tools import merge_types
from strawberry.types.graphql import OperationType

from tenants.errors import ErrorCode

from .errors import should_mask
from .jobs.api import TYPES as JOB_TYPES
from .jobs.api import JobMutations, JobQueries
from .ledgers.api import TYPES as LEDGER_TYPES
from .ledgers.api import LedgerMutations, LedgerQueries
from .rankings.api import TYPES as RANKING_TYPES
from .rankings.api import RankingQueries
from .scoring.mutations import ScoringMutations
from .scoring.queries import ScoringQueries
from .scoring.types import Assessment, Attachment, Cycle, SpotCheck, Template, VetoFlag
from .tenants.mutations import TenantMutations
from .tenants.queries import TenantQueries
from .tenants.types import ApiToken, RoleGrant, Tenant, User

log = logging.getLogger("redline.graphql")


@strawberry.type
class NodeQueries:
    node: relay.Node | None = relay.node(
        description="Any object by its global id; null if there is none you can see."
    )


Query = merge_types(
    "Query",
    (NodeQueries, TenantQueries, ScoringQueries, LedgerQueries, JobQueries, RankingQueries),
)
Mutation = merge_types(
    "Mutation", (TenantMutations, ScoringMutations, LedgerMutations, JobMutations)
)


class CsrfProtection(SchemaExtension):
    """Mutations authenticated by the session cookie must carry the session's CSRF token in
    the X-CSRF-Token header (API tokens and anonymous requests need none)."""

    def on_execute(self):  # type: ignore[override]
        ctx = self.execution_context.context
        if self.execution_context.operation_type is OperationType.MUTATION:
            authenticated = ctx.authenticated
            if authenticated is not None and authenticated.csrf_token is not None:
                sent = ctx.request.headers.get("X-CSRF-Token", "")
                if sent != authenticated.csrf_token:
                    self.execution_context.result = None
                    raise GraphQLError(
                        "missing or wrong X-CSRF-Token header (take it from viewer.csrfToken)",
                        extensions={"code": ErrorCode.PERMISSION_DENIED.name},
                    )
        yield


class LoggedMaskErrors(MaskErrors):
    """Masks unexpected errors and logs them, with the request id the client also receives."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        log.error(
            "unexpected error in request %s at %s",
            request_id,
            error.path,
            exc_info=error.original_error,
        )
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL", "requestId": request_id}
        return masked


# Limits every operation must keep (the API issue adds query cost on top).
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000


def _build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[
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
            *LEDGER_TYPES,
            *JOB_TYPES,
            *RANKING_TYPES,
        ],
        extensions=[
            partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
            partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
            partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
            CsrfProtection,
            partial(
                LoggedMaskErrors, should_mask_error=should_mask, error_message="Unexpected error."
            ),
        ],
    )


# Built once: strawberry types (relay fields among them) belong to one schema.
schema = _build_schema()
