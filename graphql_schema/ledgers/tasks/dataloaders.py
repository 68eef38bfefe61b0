"""The DataLoaders of the task lists: a plan's sections and their element counts, pages of a
plan's elements."""

from __future__ import annotations

from scoring.ledgers.models import PlanSection, TaskElement

from ...core.dataloaders import by_key, counts_by
from ...core.pagination import Pages

SECTIONS = by_key(PlanSection.plan_id, PlanSection.plan_id, PlanSection.position)
# Visible elements per section (None: directly under the plan), per plan.
SECTION_COUNTS = counts_by(TaskElement.plan_id, TaskElement.section_id)
ELEMENTS_OF_PLAN = Pages(TaskElement.plan_id, TaskElement.position)
