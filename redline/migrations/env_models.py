"""Every module that maps tables, imported so the metadata holds all of them (migrations, the
schema check)."""

import redline.outbox  # noqa: F401
import scoring.job_runs
import scoring.ledgers.models
import scoring.models
import scoring.notifications
import scoring.rankings.models  # noqa: F401
import tenants.models  # noqa: F401
