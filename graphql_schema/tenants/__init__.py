"""The tenants area of the API: units, users, roles, sign-in, API tokens."""
