"""Shared test factories and helpers, one module per area (tenants, templates, the API...)."""
