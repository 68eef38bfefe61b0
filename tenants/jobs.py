"""Background jobs of the tenants package."""

from __future__ import annotations

import logging

from sqlalchemy import delete

from redline.db import unit_of_work, utcnow
from redline.jobs import actor, job_sessions
from tenants.models import WebSession

log = logging.getLogger(__name__)

PURGE_SESSIONS_ACTOR = "tenants.purge_expired_sessions"


@actor(PURGE_SESSIONS_ACTOR, queue_name="maintenance", max_retries=3)
def purge_expired_sessions() -> None:
    """Delete browser sessions past their expiry (idempotent: a second run deletes nothing)."""
    with job_sessions()() as session, unit_of_work(session):
        removed = session.execute(delete(WebSession).where(WebSession.expires_at <= utcnow()))
    log.info("purged %d expired sessions", removed.rowcount or 0)
