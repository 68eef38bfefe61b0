"""Every mutation of the scoring API, as one class for the root Mutation."""

from __future__ import annotations

from strawberry.tools import merge_types

from .assessment_mutations import AssessmentMutations, CycleMutations
from .review_mutations import ReviewMutations
from .template_mutations import TemplateMutations

ScoringMutations = merge_types(
    "ScoringMutations", (TemplateMutations, CycleMutations, AssessmentMutations, ReviewMutations)
)
