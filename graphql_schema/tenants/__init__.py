"""The tenants part of the API: units, users, roles, sign-in, API tokens."""
