"""Redline: the composition root and shared kernel (config, database, jobs, app factory, CLI)."""
