"""The hidden-hazard ledger: hazards (list, filters), their statistics, recording, the
rectification workflow with evidence uploads, listing and delisting for supervision."""
