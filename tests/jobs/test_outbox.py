"""The job outbox: jobs are rows of the writer's transaction, sent after its commit, coalesced
by key, and kept until a broker takes them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline import jobs, outbox
from redline.db import unit_of_work
from redline.outbox import OutboxMessage
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.rescoring import REQUEST_RANKINGS_ACTOR
from scoring.ledgers.effects import LEDGER_CHANGED_ACTOR
from scoring.ledgers.hazards import HazardInput, record_hazard
from scoring.ledgers.models import HazardSeverity, HazardSource, Sector
from tests.factories.assessments import assessment_of, full_entries, open_sample_cycle
from tests.factories.jobs import unsent
from tests.factories.tenants import actor, node

HAZARD_SECTOR = next(iter(Sector)).value


def test_a_key_coalesces_while_a_message_waits(world: Session):
    with unit_of_work(world):
        first = outbox.enqueue(world, "scoring.publish_rankings", 1, key="rank:1")
        assert outbox.enqueue(world, "scoring.publish_rankings", 1, key="rank:1") is None
    with unit_of_work(world):
        assert outbox.enqueue(world, "scoring.publish_rankings", 1, key="rank:1") is None
        other = outbox.enqueue(world, "scoring.publish_rankings", 2, key="rank:2")
    assert first is not None and other is not None
    assert [(m.args, m.key) for m in unsent(world)] == [([1], "rank:1"), ([2], "rank:2")]


def test_a_rolled_back_transaction_asks_for_nothing(world: Session):
    with pytest.raises(RuntimeError), unit_of_work(world):
        outbox.enqueue(world, "scoring.publish_rankings", 1)
        raise RuntimeError("the service failed")
    assert unsent(world) == []


def test_rows_are_sent_after_the_commit_once_a_broker_is_bound(world: Session, sessions):
    broker = jobs.configure(jobs.stub_broker(), sessions)
    import scoring.jobs.actors  # noqa: F401 - declares the actors on the configured broker

    jobs.configure(broker, sessions)
    with unit_of_work(world):
        outbox.enqueue(world, "scoring.publish_rankings", 7, delay_ms=10)
        outbox.enqueue(world, REQUEST_RANKINGS_ACTOR, 3)
    assert unsent(world) == []
    sent = world.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert all(m.sent_at is not None for m in sent)
    assert broker.queues["scoring"].qsize() == 1
    # The delayed message waits in the delay queue of its actor's queue.
    assert broker.queues["rankings.DQ"].qsize() == 1


def test_an_unreachable_broker_leaves_the_rows_for_the_relay(world: Session, sessions):
    class Down(StubBroker):
        def enqueue(self, message, *, delay=None):
            raise ConnectionError("redis is down")

    import scoring.jobs.actors  # noqa: F401

    down = jobs.configure(Down(middleware=jobs.middleware()), sessions)
    with unit_of_work(world):
        outbox.enqueue(world, REQUEST_RANKINGS_ACTOR, 3)
    [waiting] = unsent(world)
    assert waiting.attempts == 1
    assert "redis is down" in (waiting.last_error or "")
    down.close()

    up = jobs.configure(jobs.stub_broker(), sessions)
    assert outbox.relay(world.get_bind(), up) == 1
    assert unsent(world) == []
    assert up.queues["scoring"].qsize() == 1


def test_a_message_for_an_actor_that_is_gone_does_not_hold_back_the_others(
    world: Session, sessions
):
    """A row written before an upgrade removed its actor can never be sent: the relay drops it,
    says why, and sends the rest (it used to stop there, every time, for good)."""
    import scoring.jobs.actors  # noqa: F401

    with unit_of_work(world):
        outbox.enqueue(world, "scoring.an_actor_of_an_older_version", 1)
        outbox.enqueue(world, REQUEST_RANKINGS_ACTOR, 3)
    broker = jobs.configure(jobs.stub_broker(), sessions)
    assert outbox.relay(world.get_bind(), broker) == 1
    assert unsent(world) == []
    world.rollback()
    gone = world.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    assert gone.last_error == "no such actor: scoring.an_actor_of_an_older_version"
    assert broker.queues["scoring"].qsize() == 1


def test_submitting_asks_for_the_rankings_and_a_draft_edit_does_not(world: Session):
    with unit_of_work(world):
        cycle = open_sample_cycle(world)
    clerk = actor(world, "xjd-clerk")
    xjd = assessment_of(world, cycle, "330402901")
    with unit_of_work(world):
        save_entries(world, clerk, xjd, full_entries(), expected_version=xjd.version)
    assert unsent(world) == []  # a draft's edits move no ranking
    with unit_of_work(world):
        submit(world, clerk, xjd, expected_version=xjd.version)
    [message] = unsent(world)
    assert (message.actor_name, message.args, message.customer_id) == (
        REQUEST_RANKINGS_ACTOR,
        [xjd.cycle_id],
        xjd.customer_id,
    )


def test_a_ledger_change_asks_to_rescore_the_units_above(world: Session):
    clerk = actor(world, "xjd-clerk")
    xjd = node(world, "330402901")
    for place in ("warehouse", "dock"):
        with unit_of_work(world):
            record_hazard(
                world,
                clerk,
                xjd,
                HazardInput(
                    title=f"blocked fire exit at the {place}",
                    sector=HAZARD_SECTOR,
                    source=HazardSource.SELF_INSPECTION.value,
                    severity=HazardSeverity.GENERAL.value,
                    found_on=date(2026, 3, 1),
                    deadline=date(2026, 3, 31),
                ),
                now=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
            )
    # Two changes of one unit while the first message waits: one message.
    [message] = unsent(world)
    assert (message.actor_name, message.args) == (LEDGER_CHANGED_ACTOR, [xjd.id])


def test_a_savepoint_sends_nothing_before_the_transaction_commits(world: Session, sessions):
    import scoring.jobs.actors  # noqa: F401

    broker = jobs.configure(jobs.stub_broker(), sessions)
    with unit_of_work(world):
        with world.begin_nested():
            outbox.enqueue(world, REQUEST_RANKINGS_ACTOR, 3)
        assert broker.queues["scoring"].qsize() == 0  # released, not committed
    assert broker.queues["scoring"].qsize() == 1


def test_after_a_failed_send_commits_leave_the_rows_to_the_relays(world: Session, sessions):
    class Down(StubBroker):
        sends = 0

        def enqueue(self, message, *, delay=None):
            Down.sends += 1
            raise ConnectionError("redis is down")

    import scoring.jobs.actors  # noqa: F401

    jobs.configure(Down(middleware=jobs.middleware()), sessions)
    for assessment_id in (1, 2, 3):
        with unit_of_work(world):
            outbox.enqueue(world, REQUEST_RANKINGS_ACTOR, assessment_id)
    # The first commit tried and failed; the next two did not make their requests wait.
    assert Down.sends == 1
    assert len(unsent(world)) == 3
