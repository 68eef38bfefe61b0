"""The app factory: wires settings, database, Redis, jobs and the GraphQL view into Flask."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass

import dramatiq
from flask import Flask, g, jsonify
from redis import Redis
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

# Declare the actors before the broker is configured:
import scoring.jobs.actors
import scoring.jobs.scheduled  # noqa: F401
import tenants.jobs  # noqa: F401
from graphql_schema.schema import schema
from graphql_schema.view import RedlineGraphQLView
from redline import downloads, frontend, headers, http, jobs, metrics
from redline.config import Settings
from redline.db import make_engine, make_session_factory
from redline.redis_conn import connect
from redline.schema_version import current_revision, head_revision
from tenants.auth import Authenticator
from tenants.throttle import SignInThrottle


@dataclass
class Runtime:
    """The long-lived services of one process, shared by the app, the CLI and the worker."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    redis: Redis
    broker: dramatiq.Broker
    authenticator: Authenticator


def build_runtime(
    settings: Settings,
    *,
    redis: Redis | None = None,
    broker: dramatiq.Broker | None = None,
    engine: Engine | None = None,
) -> Runtime:
    """Connect to the database and Redis and configure the job broker."""
    engine = engine or make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    if redis is None:
        if not settings.redis_url:
            raise RuntimeError("REDIS_URL is not set (the demo starts an embedded Redis itself)")
        redis = connect(settings.redis_url)
    broker = jobs.configure(
        broker or jobs.redis_broker(redis, heartbeat_timeout_ms=settings.job_heartbeat_ms),
        sessions,
        settings,
    )
    throttle = SignInThrottle(
        redis,
        free=settings.signin_free_failures,
        free_per_address=settings.signin_free_failures_per_address,
        window=settings.signin_window_seconds,
        first_delay=settings.signin_first_delay_seconds,
        max_delay=settings.signin_max_delay_seconds,
    )
    authenticator = Authenticator(
        sessions,
        throttle,
        settings.session_hours,
        idle_minutes=settings.session_idle_minutes,
        token_max_days=settings.api_token_max_days,
    )
    return Runtime(settings, engine, sessions, redis, broker, authenticator)


def freeze_startup_heap() -> None:
    """Keep what a server or worker process holds once it is built (modules, mappers, the
    schema: some 275,000 objects) out of the cyclic collector's full collections, which
    walked them again and again while requests and jobs made their short-lived objects: a
    tenth of a recompute's scoring (bench/RESULTS.md). Called once, before the process
    serves; what it holds then lives as long as the process anyway."""
    gc.collect()
    gc.freeze()


class NotAtHead(RuntimeError):
    """The database's schema is not at the migration this code expects."""


def _answers(ping: Callable[[], object]) -> str:
    try:
        ping()
    except NotAtHead as exc:
        return str(exc)
    except Exception as exc:  # a health check reports, whatever the failure
        return f"unreachable: {type(exc).__name__}"
    return "ok"


def create_app(runtime: Runtime) -> Flask:
    """The web app: GraphQL at /graphql, file downloads at /files, a health check at /healthz
    and the probes at /livez and /readyz, Prometheus metrics at /metrics (with a token), the
    frontend at / (and GraphiQL at /graphiql in development)."""
    app = Flask("redline")
    if runtime.settings.proxy_hops:
        # Behind load balancers: take the client address from X-Forwarded-For (sign-in throttle).
        hops = runtime.settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.extensions["redline"] = runtime
    app.add_url_rule(
        "/graphql",
        view_func=RedlineGraphQLView.as_view(
            "graphql",
            schema=schema,
            # GraphiQL is the bundled one at /graphiql (redline.frontend), never a CDN's.
            graphql_ide=None,
            authenticator=runtime.authenticator,
            session_factory=runtime.sessions,
            cookie_secure=runtime.settings.cookie_secure,
        ),
    )

    downloads.init_app(app)
    metrics.init_app(app, metrics.Backlog(runtime.broker, runtime.engine))
    http.init_app(app)
    headers.init_app(app, https=runtime.settings.cookie_secure)
    frontend.init_app(app)

    @app.get("/healthz")
    def healthz():
        """Whether the database and Redis answer (503 naming what does not)."""
        checks = {"database": _answers(_database_ping), "redis": _answers(runtime.redis.ping)}
        healthy = all(state == "ok" for state in checks.values())
        return jsonify(status="ok" if healthy else "degraded", **checks), 200 if healthy else 503

    @app.get("/livez")
    def livez():
        """The process answers (a liveness probe: nothing else is asked, so an outage of the
        database or Redis does not get every process restarted)."""
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        """Whether this process may be sent traffic: the database and Redis answer and the
        schema is at the migration this code expects (503 naming what is not ready: a new
        release before `redline db upgrade`, or one older than the schema)."""
        checks = {
            "database": _answers(_database_ping),
            "redis": _answers(runtime.redis.ping),
            "migrations": _answers(_at_head),
        }
        ready = all(state == "ok" for state in checks.values())
        return jsonify(status="ok" if ready else "not ready", **checks), 200 if ready else 503

    def _database_ping() -> None:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def _at_head() -> None:
        with runtime.engine.connect() as connection:
            found = current_revision(connection)
        if found != head_revision():
            raise NotAtHead(f"at {found}, this release expects {head_revision()}")

    @app.teardown_request
    def close_graphql_context(_exc: BaseException | None) -> None:
        context = g.pop("graphql_context", None)
        if context is not None:
            context.close()

    return app
