"""Every module that maps tables, imported so the metadata holds all of them (the schema
checks, the distribution DDL)."""
# ruff: noqa: F401 - imported for the tables they map

import redline.outbox
import scoring.assessments.models
import scoring.followup.notifications
import scoring.jobs.runs
import scoring.ledgers.models
import scoring.rankings.models
import scoring.reports.archive
import scoring.reports.letterhead
import scoring.spotchecks.models
import scoring.templates.models
import tenants.audit
import tenants.models
