"""Jobs run on the real Redis broker with a real worker."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from redline.db import utcnow
from tenants.jobs import purge_expired_sessions
from tenants.models import User, WebSession
from tests.factories.jobs import run_queue


def test_purge_expired_sessions_runs_on_a_worker(world, redis_broker):
    user = world.scalar(select(User).where(User.username == "xjd-clerk"))
    now = utcnow()
    world.add_all(
        [
            WebSession(
                user_id=user.id,
                token_hash="a" * 64,
                csrf_token="x",
                expires_at=now - timedelta(minutes=1),
            ),
            WebSession(
                user_id=user.id,
                token_hash="b" * 64,
                csrf_token="y",
                expires_at=now + timedelta(hours=1),
            ),
        ]
    )
    world.commit()
    purge_expired_sessions.send()
    run_queue(redis_broker, "maintenance")
    world.rollback()
    remaining = world.scalars(select(WebSession.token_hash)).all()
    assert remaining == ["b" * 64]


def test_sign_in_enqueues_the_purge(world, gql, runtime):
    gql.sign_in("xjd-clerk")
    queued = runtime.broker.queues["maintenance"]
    assert queued.qsize() == 1
