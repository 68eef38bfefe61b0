"""Tenants: the hierarchy, users, roles, sign-in, and the tenant scope of every query."""
