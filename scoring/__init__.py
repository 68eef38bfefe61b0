"""Scoring: indicator templates, assessment cycles, the scoring engine, rankings (to come)."""
