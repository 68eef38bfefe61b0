"""Inputs of the task lists' mutations: a whole plan (or its workbook), completing and reopening
task elements."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import ErrorCode, fail
from scoring.ledgers import tasks

from ...core.enums import SectionKind


@strawberry.input(description="A task element: its responsible unit by code (or exact name).")
class TaskElementInput:
    code: str = strawberry.field(description="Its code, unique in the plan.")
    title: str = strawberry.field(description="What is to be done.")
    responsible: str = strawberry.field(
        description="The responsible unit's code, or its name if one unit under the plan's "
        "owner has it."
    )
    deadline: date | None = strawberry.field(default=None, description="Within the plan's period.")


@strawberry.input(description="A topic (projects and elements) or a project (elements).")
class PlanSectionInput:
    code: str = strawberry.field(description="Its code, unique in the plan.")
    title: str = strawberry.field(description="Its title.")
    kind: SectionKind = strawberry.field(description="TOPIC (专题) or PROJECT (专项).")
    sections: list[PlanSectionInput] = strawberry.field(
        default_factory=list, description="A topic's projects; a project has none."
    )
    elements: list[TaskElementInput] = strawberry.field(
        default_factory=list, description="Its own task elements."
    )


@strawberry.input(
    description="A whole plan. Errors name its fields as paths: "
    "sections.0.sections.1.elements.3.responsible."
)
class CreateActionPlanInput:
    owner_node_id: relay.GlobalID = strawberry.field(description="The unit issuing the plan.")
    title: str = strawberry.field(description="Its title.")
    period_start: date | None = strawberry.field(
        default=None, description="Required: the first day of the plan's period."
    )
    period_end: date | None = strawberry.field(
        default=None, description="Required: the last day, not before periodStart."
    )
    sections: list[PlanSectionInput] = strawberry.field(
        default_factory=list, description="Its topics (and projects), in plan order."
    )
    elements: list[TaskElementInput] = strawberry.field(
        default_factory=list, description="Elements of a plan without topics."
    )


@strawberry.input(
    description="An action plan in an .xlsx workbook (multipart upload; the layout of "
    "ActionPlan.downloadUrl). Errors name rows and columns: file.rows.7.deadline."
)
class ImportActionPlanInput:
    owner_node_id: relay.GlobalID = strawberry.field(description="The unit issuing the plan.")
    file: Upload = strawberry.field(description="The .xlsx workbook.")


@strawberry.input(description="Complete a pending element, saying what was done.")
class CompleteTaskElementInput:
    element_id: relay.GlobalID = strawberry.field(description="The task element.")
    expected_version: int = strawberry.field(description="The element's version as you read it.")
    note: str = strawberry.field(description="What was done: the evidence statement (required).")
    files: list[Upload] = strawberry.field(
        default_factory=list, description="Evidence files (multipart upload)."
    )


@strawberry.input(description="Send a done element back to pending, saying why.")
class ReopenTaskElementInput:
    element_id: relay.GlobalID = strawberry.field(description="The task element.")
    expected_version: int = strawberry.field(description="The element's version as you read it.")
    reason: str = strawberry.field(description="Why it goes back to pending (required).")


def _element_input(data: TaskElementInput) -> tasks.ElementInput:
    return tasks.ElementInput(data.code, data.title, data.responsible, data.deadline)


def _section_input(data: PlanSectionInput, path: str) -> tasks.SectionInput:
    # Topics hold projects, projects hold elements: no input nests deeper (refused before
    # walking it, however deep it goes).
    if data.sections and path.count("sections.") >= 2:
        raise fail(f"{path}.sections", "a project holds task elements only", ErrorCode.INVALID)
    return tasks.SectionInput(
        code=data.code,
        title=data.title,
        kind=SectionKind(data.kind).value,
        sections=tuple(
            _section_input(s, f"{path}.sections.{i}") for i, s in enumerate(data.sections)
        ),
        elements=tuple(_element_input(e) for e in data.elements),
    )


def plan_of(data: CreateActionPlanInput) -> tasks.PlanInput:
    """The service's plan from the input (sections nested no deeper than plans go)."""
    return tasks.PlanInput(
        title=data.title,
        period_start=data.period_start,
        period_end=data.period_end,
        sections=tuple(_section_input(s, f"sections.{i}") for i, s in enumerate(data.sections)),
        elements=tuple(_element_input(e) for e in data.elements),
    )
