"""Every module that maps tables, imported so the metadata holds all of them (migrations, the
schema check)."""

import tenants.audit
import tenants.models  # noqa: F401
