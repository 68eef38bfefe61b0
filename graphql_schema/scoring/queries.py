"""Queries of the scoring API: templates, cycles, assessments (single ones through node(id:))."""

from __future__ import annotations

import strawberry
from sqlalchemy import false, select
from strawberry import relay

from scoring.models import Assessment as AssessmentModel
from scoring.models import Cycle as CycleModel
from scoring.models import Template as TemplateModel
from scoring.models import TemplateFamily
from tenants.errors import DomainError, ErrorCode
from tenants.models import TenantNode
from tenants.scope import in_subtree

from ..context import Info
from ..errors import ApiError
from ..ids import database_id
from ..pagination import Connection, paginate
from .types import (
    Assessment,
    AssessmentFilter,
    Cycle,
    CycleFilter,
    Template,
    TemplateFilter,
)


def _id_or_error(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    try:
        return database_id(global_id, type_name, field)
    except DomainError as exc:
        raise ApiError(str(exc), ErrorCode.INVALID) from None


@strawberry.type
class ScoringQueries:
    @strawberry.field(description="Indicator templates of your province, oldest first.")
    def templates(
        self,
        info: Info,
        filter: TemplateFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Template]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(TemplateModel)
        if filter is not None:
            if filter.state is not None:
                stmt = stmt.where(TemplateModel.state == filter.state)
            if filter.family_code is not None:
                stmt = stmt.join(TemplateFamily, TemplateFamily.id == TemplateModel.family_id)
                stmt = stmt.where(TemplateFamily.code == filter.family_code.strip())
            if filter.owner_id is not None:
                owner = _id_or_error(filter.owner_id, "Tenant", "filter.ownerId")
                stmt = stmt.where(TemplateModel.owner_node_id == owner)
        return paginate(
            ctx.db,
            stmt,
            TemplateModel.id,
            Template.from_model,
            first=first,
            after=after,
            key_of=lambda t: t.id,
        )

    @strawberry.field(description="Assessment cycles of your province, oldest first.")
    def cycles(
        self,
        info: Info,
        filter: CycleFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Cycle]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(CycleModel)
        if filter is not None:
            if filter.state is not None:
                stmt = stmt.where(CycleModel.state == filter.state)
            if filter.template_id is not None:
                template = _id_or_error(filter.template_id, "Template", "filter.templateId")
                stmt = stmt.where(CycleModel.template_id == template)
        return paginate(
            ctx.db,
            stmt,
            CycleModel.id,
            Cycle.from_model,
            first=first,
            after=after,
            key_of=lambda c: c.id,
        )

    @strawberry.field(
        description="Assessments you can see (your unit's, and those of the units below you "
        "that you review or read), in opening order."
    )
    def assessments(
        self,
        info: Info,
        filter: AssessmentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Assessment]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(AssessmentModel)
        if filter is not None:
            if filter.cycle_id is not None:
                cycle = _id_or_error(filter.cycle_id, "Cycle", "filter.cycleId")
                stmt = stmt.where(AssessmentModel.cycle_id == cycle)
            if filter.state is not None:
                stmt = stmt.where(AssessmentModel.state == filter.state)
            if filter.late is not None:
                stmt = stmt.where(AssessmentModel.late.is_(filter.late))
            if filter.subtree_of is not None:
                root_id = _id_or_error(filter.subtree_of, "Tenant", "filter.subtreeOf")
                root = ctx.db.get(TenantNode, root_id)
                stmt = stmt.join(TenantNode, TenantNode.id == AssessmentModel.node_id).where(
                    in_subtree(TenantNode.path, root.path) if root else false()
                )
        return paginate(
            ctx.db,
            stmt,
            AssessmentModel.id,
            Assessment.from_model,
            first=first,
            after=after,
            key_of=lambda a: a.id,
        )
