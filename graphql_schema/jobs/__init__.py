"""The jobs area of the API: long job runs of a province, their progress, starting a full
recompute."""
