"""The jobs API: notifications to units, long job runs and their progress."""
