"""The jobs of scoring: the actors that re-score and publish rankings, the periodic ones, the
full recompute, and the record of long runs (job runs)."""
