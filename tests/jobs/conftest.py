"""Fixtures the jobs tests share: the real Redis broker."""

from __future__ import annotations

import pytest

from redline import jobs


@pytest.fixture
def redis_broker(redis_client, sessions):
    """The real Redis broker (the test's database), configured with the test's sessions and
    emptied before and after the test."""
    broker = jobs.configure(jobs.redis_broker(redis_client), sessions)
    broker.flush_all()
    yield broker
    broker.flush_all()
    broker.close()
