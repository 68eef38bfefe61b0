"""The schema: root Query and Mutation assembled from each part's classes, with the limits."""

from __future__ import annotations

import inspect
import logging
from functools import partial
from typing import Annotated

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
from strawberry.relay.types import InvalidGlobalIDError
from strawberry.tools import merge_types
from strawberry.types.graphql import OperationType

from redline.errors import ErrorCode

from .context import Info
from .errors import should_mask
from .ids import node_type
from .input_rules import SCALARS, TextRules
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
    @strawberry.field(description="Any object by its global id; null if there is none you can see.")
    async def node(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The ID of the object.")],
    ) -> relay.Node | None:
        found_type = node_type(info, id)
        if found_type is None:
            return None
        found = found_type.resolve_node(id.node_id, info=info, required=False)
        return await found if inspect.isawaitable(found) else found


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


class MutationsWrite(SchemaExtension):
    """A mutation's database session takes the write lock as each transaction begins (see
    ``Context.db``); queries read without it."""

    def on_execute(self):  # type: ignore[override]
        if self.execution_context.operation_type is OperationType.MUTATION:
            self.execution_context.context.writes = True
        yield


class LoggedMaskErrors(MaskErrors):
    """Masks unexpected errors and logs them, with the request id the client also receives;
    the errors it keeps all carry an ``extensions.code``."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if isinstance(error.original_error, InvalidGlobalIDError):  # strawberry sets none
                error.extensions = {**(error.extensions or {}), "code": ErrorCode.INVALID.name}
        return processed

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


class RedlineSchema(strawberry.Schema):
    """The schema, logging a refused request as one line: an unexpected error is logged once,
    with its traceback, by ``LoggedMaskErrors``."""

    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        context = getattr(execution_context, "context", None)
        request_id = getattr(context, "request_id", "-")
        for error in errors:
            if not should_mask(error):
                code = (error.extensions or {}).get("code", "INVALID")
                log.info("request %s refused (%s): %s", request_id, code, error.message)


def _build_schema() -> strawberry.Schema:
    return RedlineSchema(
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
        scalar_overrides=SCALARS,
        extensions=[
            partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
            partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
            partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
            TextRules,
            CsrfProtection,
            MutationsWrite,
            partial(
                LoggedMaskErrors, should_mask_error=should_mask, error_message="Unexpected error."
            ),
        ],
    )


# Built once: strawberry types (relay fields among them) belong to one schema.
schema = _build_schema()
