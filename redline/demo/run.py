"""The demo: a fresh SQLite database with the seeded places and users, an embedded Redis, an
in-process worker with its outbox relay, the job scheduler as a child process, and the web app
on http://127.0.0.1:5000."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

import click
from sqlalchemy.orm import Session

from redline import jobs, outbox
from redline.app import build_runtime, create_app
from redline.config import Settings
from redline.db import make_engine, make_session_factory
from redline.demo.assessments import (
    load_demo_assessments,
    load_demo_late_vetoes,
    publish_demo_rankings,
)
from redline.demo.draws import load_demo_draws
from redline.demo.ledgers import load_demo_ledgers
from redline.demo.letterheads import load_demo_letterheads
from redline.demo.notifications import load_demo_notifications
from redline.demo.people import DEMO_PASSWORD, accounts, create_accounts
from redline.demo.tables import data_file
from redline.headers import ServerHandler
from redline.migrations import upgrade
from redline.redis_conn import EmbeddedRedis
from tenants.importer import import_rows, read_table


def places_file() -> Path:
    """The demo hierarchy (Zhejiang, Sichuan, Liaoning), in the demo's data folder."""
    return data_file("places.csv")


def load_demo_data(session: Session) -> None:
    """Import the places and create the demo accounts (into an empty, migrated database)."""
    import_rows(session, read_table(places_file()))
    create_accounts(session)


def run_demo(instance: Path, host: str, port: int) -> None:
    """Build the demo database, start Redis and a worker, serve until Ctrl-C, stop everything."""
    instance.mkdir(parents=True, exist_ok=True)
    db_file = instance / "demo.db"
    for stale in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
        stale.unlink(missing_ok=True)
    settings = Settings.from_env(database_url=f"sqlite:///{db_file.resolve()}", redis_url=None)
    if not os.environ.get("REDLINE_ATTACHMENT_DIR"):
        # The demo keeps everything it writes in its instance folder.
        settings = settings.with_(attachment_dir=(instance / "attachments").resolve())
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        load_demo_data(session)
        # Before the assessments: their submissions keep the figures the ledgers give then.
        load_demo_ledgers(session, settings=settings)
        load_demo_assessments(session)
        load_demo_draws(session)
        # The scheduled jobs' morning: reminders of the deadlines, overdue rows flagged.
        load_demo_notifications(session)
        # Zhejiang prints its reports on its own letterhead.
        load_demo_letterheads(session, settings)
    # Rankings as the jobs publish them, oldest cycle first (the newer ones show the movement);
    # the worker publishes again for the changes the story queued in the outbox.
    sessions = make_session_factory(engine)
    publish_demo_rankings(sessions)
    # July 2026: a concealed accident of 2025 found out reopens 嘉善县's final 2025 result; the
    # worker republishes that cycle's rankings as a new version (the first stays readable).
    with sessions() as session:
        load_demo_late_vetoes(session)
    engine.dispose()

    redis_server = EmbeddedRedis(instance / "redis.db")
    # SIGTERM ends the demo like Ctrl-C does: through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = relay = scheduler = None
    try:
        runtime = build_runtime(settings, redis=redis_server.client())
        worker = jobs.start_worker(runtime.broker, threads=2)
        # Sends the jobs the demo's story asked for while it was loaded (its rankings among them).
        relay = outbox.Relay(runtime.engine, runtime.broker, interval=1.0).start()
        scheduler = _start_scheduler(settings, redis_server)
        app = create_app(runtime)
        _print_banner(host, port, redis_server)
        app.run(
            host=host, port=port, threaded=True, use_reloader=False, request_handler=ServerHandler
        )
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("\nStopping the scheduler, the worker and the embedded Redis...")
        if scheduler is not None:
            scheduler.terminate()
            scheduler.wait(timeout=10)
        if relay is not None:
            relay.stop()
        if worker is not None:
            worker.stop(timeout=5000)
        redis_server.stop()
        click.echo("Stopped.")


def _start_scheduler(settings: Settings, redis_server: EmbeddedRedis) -> subprocess.Popen[bytes]:
    """`redline scheduler` on the embedded Redis (periodiq needs a main thread of its own), set
    to die with the demo even if the demo is killed outright."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": redis_server.url,
        "REDLINE_ATTACHMENT_DIR": str(settings.attachment_dir),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "redline.cli", "scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )


def _die_with_parent() -> None:
    # Linux prctl(PR_SET_PDEATHSIG, SIGTERM): the child gets SIGTERM when the demo dies.
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)


def _print_banner(host: str, port: int, redis_server: EmbeddedRedis) -> None:
    url = f"http://{host}:{port}"
    click.echo(f"\nRedline demo: {url}/ (sign in with an account below)")
    click.echo(f"The API: {url}/graphql; GraphiQL, to try it by hand: {url}/graphiql")
    click.echo(
        f"Embedded Redis pid {redis_server.pid}; worker threads, outbox relay and job scheduler"
        " running."
    )
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for user in accounts():
        roles = ", ".join(r.value for r in user.roles)
        click.echo(f"  {user.username:<16} {user.node_code:<10} {roles:<38} {user.note}")
    click.echo("Press Ctrl-C to stop.\n")
