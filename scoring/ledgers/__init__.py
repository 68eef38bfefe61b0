"""Ledgers that feed indicators: accidents, hazards, task lists, responsibility statements."""
