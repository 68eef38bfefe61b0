"""Queries of the scoring API: templates, cycles, assessments (single ones through node(id:))."""

from __future__ import annotations

import strawberry
from sqlalchemy import false, select

from scoring.assessments.models import Assessment as AssessmentModel
from scoring.assessments.models import Cycle as CycleModel
from scoring.templates.models import Template as TemplateModel
from scoring.templates.models import TemplateFamily
from tenants.models import TenantNode
from tenants.scope import in_subtree

from ..context import Info
from ..ids import argument_id
from ..pagination import Connection, paginate
from .types import (
    Assessment,
    AssessmentFilter,
    Cycle,
    CycleFilter,
    Template,
    TemplateFilter,
)


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
                owner = argument_id(filter.owner_id, "Tenant", "filter.ownerId")
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
                template = argument_id(filter.template_id, "Template", "filter.templateId")
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
                cycle = argument_id(filter.cycle_id, "Cycle", "filter.cycleId")
                stmt = stmt.where(AssessmentModel.cycle_id == cycle)
            if filter.state is not None:
                stmt = stmt.where(AssessmentModel.state == filter.state)
            if filter.late is not None:
                stmt = stmt.where(AssessmentModel.late.is_(filter.late))
            if filter.subtree_of is not None:
                root_id = argument_id(filter.subtree_of, "Tenant", "filter.subtreeOf")
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
