"""Assessments: cycles, the units' entries and evidence, review and spot checks, vetoes, the
audit trail, and the scorecards computed from them."""
