"""The `redline` command: demo, serve, worker, scheduler, db upgrade, tenants import, users
create, audit verify, export-schema, citus-ddl, schema-changes, schema-release."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from redline.config import Settings
from redline.db import make_engine, make_session_factory, unit_of_work, writer_sessions
from redline.errors import DomainError
from redline.logs import configure_logging


def _sessions(settings: Settings):
    """Sessions for the commands, which write while a server and workers may be writing too."""
    return writer_sessions(make_session_factory(make_engine(settings.database_url)))


def _fail(exc: DomainError) -> NoReturn:
    for problem in exc.problems:
        where = f"{problem.field}: " if problem.field else ""
        click.echo(f"error: {where}{problem.message}", err=True)
    click.echo("Nothing was saved.", err=True)
    sys.exit(1)


@contextmanager
def _database_errors() -> Iterator[None]:
    """A database that is unreachable or not migrated: one line and exit 1, not a traceback."""
    try:
        yield
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        click.echo(f"error: database: {reason}", err=True)
        click.echo(
            "Check DATABASE_URL, and that `redline db upgrade` has run. Nothing was saved.",
            err=True,
        )
        sys.exit(1)


@click.group()
def main() -> None:
    """Redline: work-safety responsibility assessment."""
    configure_logging()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option(
    "--instance",
    default="instance",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the demo database and the embedded Redis.",
)
def demo(host: str, port: int, instance: Path) -> None:
    """Fresh demo data, embedded Redis and worker, and the app; no services needed."""
    from redline.demo.run import run_demo

    run_demo(instance, host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the app with Flask's server on DATABASE_URL and REDIS_URL (production: gunicorn
    'redline.wsgi:app')."""
    from redline.app import build_runtime, create_app
    from redline.headers import ServerHandler

    create_app(build_runtime(Settings.from_env())).run(
        host=host, port=port, threaded=True, request_handler=ServerHandler
    )


@main.command()
@click.option("--threads", default=4, show_default=True, help="Worker threads.")
@click.option(
    "--metrics-port",
    type=int,
    envvar="REDLINE_METRICS_PORT",
    help="Serve the jobs' durations to Prometheus on this port, at /metrics.",
)
def worker(threads: int, metrics_port: int | None) -> None:
    """Run job workers on REDIS_URL until SIGINT/SIGTERM, and the outbox relay that sends what
    the outbox still holds (jobs asked for while Redis was down)."""
    from redline import jobs, metrics, outbox
    from redline.app import build_runtime, freeze_startup_heap

    runtime = build_runtime(Settings.from_env())
    freeze_startup_heap()
    if metrics_port is not None:
        metrics.serve_worker_metrics(metrics_port)
    running = jobs.start_worker(runtime.broker, threads=threads)
    relay = outbox.Relay(
        runtime.engine, runtime.broker, interval=runtime.settings.outbox_relay_seconds
    ).start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(
        f"worker: {threads} threads on queues {sorted(runtime.broker.get_declared_queues())}"
    )
    stop.wait()
    relay.stop()
    running.stop(timeout=10_000)


@main.command()
def scheduler() -> None:
    """Send the periodic jobs (overdue sweep, reminders, nightly recompute) when they are due,
    on REDIS_URL, until SIGINT/SIGTERM. Run exactly one per deployment."""
    import os
    import time

    # periodiq reads the local time; the actors' cron times are UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    from periodiq import Scheduler, print_periodic_actors

    from redline.app import build_runtime

    runtime = build_runtime(Settings.from_env())
    periodic = [a for a in runtime.broker.actors.values() if "periodic" in a.options]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print_periodic_actors(periodic)
    click.echo(f"scheduler: {len(periodic)} periodic jobs (cron times in UTC)")
    scheduler = Scheduler(actors=periodic)
    try:
        scheduler.schedule()
        scheduler.loop()
    except KeyboardInterrupt:
        pass


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations to DATABASE_URL."""
    from redline.migrations import upgrade

    settings = Settings.from_env()
    upgrade(make_engine(settings.database_url), revision)
    click.echo(f"database at {revision}")


@main.group()
def tenants() -> None:
    """The tenant hierarchy."""


@tenants.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tenants_import(file: Path) -> None:
    """Import units from CSV or Excel (code, parent_code, name_zh, name_en, level, kind)."""
    from tenants.importer import import_file

    with _database_errors(), _sessions(Settings.from_env())() as session:
        try:
            report = import_file(session, file)
        except DomainError as exc:
            _fail(exc)
    click.echo(f"{file.name}: {report.summary()}")


@main.group()
def users() -> None:
    """Users and roles."""


@users.command("create")
@click.option("--username", required=True)
@click.option("--node", "node_code", required=True, help="Code of the unit the user belongs to.")
@click.option("--display-name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(["admin", "template_author", "assessor", "submitter", "viewer"]),
    help="A role on the user's unit; repeat for several.",
)
@click.password_option(help="Prompted for when not given.")
def users_create(
    username: str, node_code: str, display_name: str, roles: tuple[str, ...], password: str
) -> None:
    """Create a user on a unit, with roles there."""
    from tenants import audit
    from tenants.models import Role, TenantNode
    from tenants.users import create_user

    with _database_errors(), _sessions(Settings.from_env())() as session:
        node = session.scalar(select(TenantNode).where(TenantNode.code == node_code))
        if node is None:
            click.echo(f"error: --node: no unit with code {node_code}", err=True)
            sys.exit(1)
        try:
            with unit_of_work(session):
                user = create_user(
                    session,
                    None,
                    node,
                    username=username,
                    display_name=display_name,
                    password=password,
                    roles=tuple(Role(r) for r in roles),
                )
                audit.record(
                    session,
                    audit.Who(None, "system"),
                    "createUser",
                    customer_id=node.customer_id,
                    node_id=node.id,
                    subject=f"User:{user.id}",
                    details={
                        "username": user.username,
                        "roles": list(roles),
                        "by": "redline users create",
                    },
                )
        except DomainError as exc:
            _fail(exc)
    click.echo(f"created {user.username} on {node_code} ({', '.join(roles) or 'no roles'})")


@main.group("audit")
def audit_log() -> None:
    """The audit log."""


@audit_log.command("verify")
def audit_verify() -> None:
    """Walk every chain of the audit log; name each entry edited, deleted or slipped in, and
    exit 1 if there is one."""
    from tenants import audit

    settings = Settings.from_env()
    with _database_errors(), make_session_factory(make_engine(settings.database_url))() as session:
        result = audit.verify(session)
        names = audit.chain_names(session)
    for finding in result.findings or []:
        province = names.get(finding.chain, f"chain {finding.chain}")
        click.echo(f"{province}: {finding}", err=True)
    verdict = "intact" if result.intact else f"{len(result.findings or [])} problem(s)"
    click.echo(f"audit log: {result.entries} entries in {result.chains} chains, {verdict}")
    if not result.intact:
        sys.exit(1)


_output_option = click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write here instead of standard output.",
)


@main.command("export-schema")
@_output_option
def export_schema(output: Path | None) -> None:
    """Print the GraphQL schema (SDL); commit it as graphql_schema/schema.graphql."""
    from graphql_schema.export import schema_sdl

    sdl = schema_sdl()
    if output is None:
        click.echo(sdl, nl=False)
    else:
        output.write_text(sdl, encoding="utf-8")
        click.echo(f"wrote {output}")


@main.command("citus-ddl")
@_output_option
def citus_ddl(output: Path | None) -> None:
    """Print the statements spreading the schema over a Citus cluster; commit them as
    platform/citus/distribute.sql."""
    import redline.migrations.env_models  # noqa: F401 - every table
    from redline.db import Base
    from redline.sharding import distribution_ddl

    ddl = distribution_ddl(Base.metadata)
    if output is None:
        click.echo(ddl, nl=False)
    else:
        output.write_text(ddl, encoding="utf-8")
        click.echo(f"wrote {output}")


_released_option = click.option(
    "--released",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The released schema (default graphql_schema/released.graphql).",
)
_changelog_option = click.option(
    "--changelog",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The changelog (default graphql_schema/CHANGELOG.md).",
)


@main.command("schema-changes")
@_released_option
@_changelog_option
def schema_changes(released: Path | None, changelog: Path | None) -> None:
    """Print the GraphQL schema's changes since the release, grouped BREAKING, DANGEROUS, SAFE;
    exit 1 while a breaking one is not acknowledged in the changelog's Unreleased section."""
    from graphql_schema import changes as c
    from graphql_schema.export import schema_sdl

    released_sdl = (released or c.RELEASED_FILE).read_text(encoding="utf-8")
    found = c.schema_changes(released_sdl, schema_sdl())
    click.echo(c.changes_report(found), nl=False)
    text = (changelog or c.CHANGELOG_FILE).read_text(encoding="utf-8")
    unlisted = [
        change
        for change in found
        if change.kind is not c.Kind.BREAKING and not c.is_listed(change, text)
    ]
    if unlisted:
        click.echo(
            f"note: {len(unlisted)} dangerous or safe change(s) not listed under `## Unreleased` "
            "yet (schema-release adds them)",
            err=True,
        )
    missing = c.unacknowledged(found, text)
    if missing:
        click.echo(f"error: {c.UnacknowledgedBreakingChanges(missing)}", err=True)
        sys.exit(1)


@main.command("schema-release")
@_released_option
@_changelog_option
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The release's date (default today, UTC).",
)
def schema_release(released: Path | None, changelog: Path | None, day: datetime | None) -> None:
    """Make the current GraphQL schema the released one and date the changelog's Unreleased
    section; refused while a breaking change is not acknowledged there."""
    from graphql_schema import changes as c
    from graphql_schema.export import schema_sdl

    released = released or c.RELEASED_FILE
    changelog = changelog or c.CHANGELOG_FILE
    on = (day or datetime.now(UTC)).date()
    try:
        found = c.release(schema_sdl(), released, changelog, on)
    except c.UnacknowledgedBreakingChanges as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("Nothing was released.", err=True)
        sys.exit(1)
    if not found:
        click.echo("No changes to the released GraphQL schema: nothing to release.")
        return
    click.echo(c.changes_report(found), nl=False)
    click.echo(
        f"released {len(found)} change(s) as of {on.isoformat()}: wrote {released} and {changelog}"
    )


if __name__ == "__main__":
    main()
