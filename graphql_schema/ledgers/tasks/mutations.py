"""Mutations of the task lists: issuing plans (as input or as a workbook), completing task
elements with evidence, reopening them."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from redline.scanning import require_clean
from scoring.ledgers import task_excel, tasks
from scoring.ledgers.history import FILES_MAX
from scoring.ledgers.models import ActionPlan as ActionPlanModel
from scoring.ledgers.models import TaskElement as TaskElementModel
from tenants.access import Actor

from ...core.context import Info
from ...core.errors import UserError
from ...core.mutations import Input, cap, errors_field, evidence_store, get, mutate
from ...tenants.types import Tenant
from ..common import read_files
from .inputs import (
    CompleteTaskElementInput,
    CreateActionPlanInput,
    ImportActionPlanInput,
    ReopenTaskElementInput,
    plan_of,
)
from .types import ActionPlan, TaskElement


@strawberry.type(description="The result of createActionPlan or importActionPlan.")
class ActionPlanPayload:
    action_plan: ActionPlan | None = strawberry.field(
        default=None, description="The plan as saved; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of completeTaskElement or reopenTaskElement.")
class TaskElementPayload:
    task_element: TaskElement | None = strawberry.field(
        default=None, description="The element as saved; null when refused."
    )
    errors: list[UserError] = errors_field()


def _element(session: Session, global_id: relay.GlobalID) -> TaskElementModel:
    return get(session, TaskElement, global_id, "elementId")


@strawberry.type
class TaskMutations:
    @strawberry.mutation(
        description="Issue an action plan (assessors and admins of the owner); every "
        "responsible unit must be the owner or below it."
    )
    def create_action_plan(
        self, info: Info, input: Input[CreateActionPlanInput]
    ) -> ActionPlanPayload:
        def action(session: Session, actor: Actor) -> ActionPlanModel:
            owner = get(session, Tenant, input.owner_node_id, "ownerNodeId")
            return tasks.create_plan(session, actor, owner, plan_of(input))

        return mutate(info, action, ActionPlanPayload, action_plan=ActionPlan.from_model)

    @strawberry.mutation(
        description="Issue an action plan from an .xlsx workbook (multipart upload)."
    )
    def import_action_plan(
        self, info: Info, input: Input[ImportActionPlanInput]
    ) -> ActionPlanPayload:
        # One byte more than allowed is enough for the reader to say it is too large.
        data = input.file.read(task_excel.MAX_BYTES + 1)

        def action(session: Session, actor: Actor) -> ActionPlanModel:
            require_clean(data, input.file.filename or "", "file", info.context.settings)
            owner = get(session, Tenant, input.owner_node_id, "ownerNodeId")
            return task_excel.import_plan(session, actor, owner, data)

        return mutate(info, action, ActionPlanPayload, action_plan=ActionPlan.from_model)

    @strawberry.mutation(
        description="Complete a pending task element (keepers of its unit), with a note and "
        "evidence files."
    )
    def complete_task_element(
        self, info: Info, input: Input[CompleteTaskElementInput]
    ) -> TaskElementPayload:
        def action(session: Session, actor: Actor) -> TaskElementModel:
            cap(input.files, FILES_MAX, "files")
            return tasks.complete_element(
                session,
                actor,
                _element(session, input.element_id),
                note=input.note,
                files=read_files(info, input.files),
                expected_version=input.expected_version,
                store=evidence_store(info),
                settings=info.context.settings,
            )

        return mutate(info, action, TaskElementPayload, task_element=TaskElement.from_model)

    @strawberry.mutation(
        description="Reopen a done task element (assessors and admins above its unit)."
    )
    def reopen_task_element(
        self, info: Info, input: Input[ReopenTaskElementInput]
    ) -> TaskElementPayload:
        def action(session: Session, actor: Actor) -> TaskElementModel:
            return tasks.reopen_element(
                session,
                actor,
                _element(session, input.element_id),
                reason=input.reason,
                expected_version=input.expected_version,
            )

        return mutate(info, action, TaskElementPayload, task_element=TaskElement.from_model)
