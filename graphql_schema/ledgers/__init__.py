"""The ledgers area of the API: one sub-area per ledger (accidents, hidden hazards, task lists,
responsibility statements) and what they share (``common``, ``dataloaders``)."""
