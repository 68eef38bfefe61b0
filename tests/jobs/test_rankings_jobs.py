"""Changes reach the rankings through the outbox, the real Redis broker and a worker: every
submission is re-scored, a burst of them publishes one snapshot, a later change another."""

from __future__ import annotations

import dramatiq
from sqlalchemy import func, select

import scoring.jobs.actors  # noqa: F401 - declares the scoring actors
from redline.outbox import OutboxMessage
from scoring.assessments.models import Assessment
from scoring.rankings.models import RankingStatus
from scoring.rankings.status import PUBLISH_ACTOR
from tests.factories.assessments import filled_cycle, submit_all
from tests.factories.rankings import current_ranking, snapshots


def _run_jobs(broker, queues: set[str] | None = None) -> None:
    """A worker on ``queues`` (default: all) until they are empty, delayed messages included."""
    worker = dramatiq.Worker(broker, queues=queues, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        for _ in range(3):  # a job may queue another: rescore -> rankings
            for queue in sorted(queues or broker.get_declared_queues()):
                broker.join(queue, timeout=30_000)
            worker.join()
    finally:
        worker.stop()


def test_a_burst_of_submissions_publishes_one_ranking(world, redis_broker):
    cycle, assessments = filled_cycle(world)
    submit_all(world, assessments)
    # Every submission re-scored first (as when a burst outpaces the 2 s the recompute waits):
    # they ask for the rankings again and again, and one recompute is queued.
    _run_jobs(redis_broker, {"scoring"})
    world.rollback()
    asked = world.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.actor_name == PUBLISH_ACTOR)
    )
    assert asked == 1
    _run_jobs(redis_broker)

    assert snapshots(world, cycle) == 1
    status = world.scalar(select(RankingStatus).where(RankingStatus.cycle_id == cycle.id))
    assert status.pending is False and status.queued is False
    ranked = current_ranking(world, cycle)
    assert len(ranked) == len(assessments)
    scores = [score for _, _, score in ranked]
    assert scores == sorted(scores, reverse=True)


def test_a_later_change_publishes_a_new_version(world, redis_broker):
    from redline.db import unit_of_work
    from scoring.assessments.review import return_assessment

    cycle, assessments = filled_cycle(world)
    submit_all(world, assessments)
    _run_jobs(redis_broker)
    first = current_ranking(world, cycle)

    returned = world.get_one(Assessment, assessments[0].id)
    with unit_of_work(world):
        return_assessment(
            world, None, returned, reason="photos missing", expected_version=returned.version
        )
    _run_jobs(redis_broker)

    assert snapshots(world, cycle) == 2
    second = current_ranking(world, cycle)
    # A returned unit leaves the ranking until it resubmits.
    assert {node for node, _, _ in second} == {node for node, _, _ in first} - {returned.node_id}
