"""The assessments area of the API: cycles, assessments, the unit's entries and evidence, the
review (adjustments, spot checks, vetoes) and the audit trail."""
