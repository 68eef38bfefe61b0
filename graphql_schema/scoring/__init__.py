"""The scoring part of the API: indicator templates, cycles, assessments, review, scorecards."""
