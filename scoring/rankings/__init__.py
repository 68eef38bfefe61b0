"""Rankings, region aggregates, commendation and criticism lists of a cycle, published as
immutable snapshots by the background jobs."""
