"""The ledgers API: accidents, hidden hazards, task lists, responsibility statements."""
