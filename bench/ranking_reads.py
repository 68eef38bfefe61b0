"""Benchmark: leaders reading a 1,000-row ranking at once through gunicorn, by worker settings.

Builds the province of ``ranking_publish.py`` (1,287 townships under 99 counties and 11 cities)
in a scratch PostgreSQL database, publishes its rankings, and signs ``--clients`` of the
province's leaders in, one browser each (session rows, as sign-in keeps them). Then, for each
gunicorn shape of ``--shapes`` (processes x threads, gthread), production's settings and one job
worker (``submission_burst.servers``): ``--clients`` threads released together each read the
province-wide township ranking ``--reads`` times, 1,000 rows as two pages of 500 (the
frontend's ``RankingPage`` by its hash, as the browser sends it), in two modes:

- cold: the response cache off, so every page is executed;
- warm: the response cache on (the default), filled by one read before the round.

The baseline, same server, clients and sessions: as many requests of the frontend's ``Viewer``
query (every page load sends it). Prints pages per second, p50, p99 and max of each round, and
the peak resident set of the gunicorn workers during the cold round.

    .venv/bin/python bench/ranking_reads.py [--shapes 2x4,4x2,2x8] [--clients 20] [--reads 5]
        [--pg URL] [--redis-server URL]
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests
from generate import SERVER  # bench/: run as a script, bench/ is on the path
from ranking_publish import province_database
from scratch import scratch_database
from sqlalchemy import select
from strawberry.relay import to_base64
from submission_burst import (
    RssSampler,
    _persisted,
    _post,
    _Refused,
    _top_error,
    gunicorn_shape,
    redis_database,
    run_round,
    servers,
    sign_in,
    viewer_sender,
)

from redline.db import unit_of_work
from scoring.rankings.status import publish_rankings
from tenants.models import Role, TenantLevel, TenantNode
from tenants.users import create_user

PAGE = 500
MIB = 1024 * 1024


@dataclass(frozen=True)
class Read:
    """One page a client asks for, in one browser session (``run_round`` sends it)."""

    cookie: str
    csrf: str
    after: str | None  # the cursor after which the page starts (None: the first page)


@dataclass(frozen=True)
class Province:
    cycle_id: int
    province_id: int
    sessions: list[tuple[str, str]]  # (cookie, CSRF token) of each leader's browser


def build(url: str, browsers: int) -> Province:
    """The ranked province and its leaders' browser sessions, in the database at ``url``."""
    engine, sessions, cycle_id = province_database(url)
    publish_rankings(sessions, cycle_id, force=True)
    signed_in: list[tuple[str, str]] = []
    with sessions() as session, unit_of_work(session):
        province = session.scalars(
            select(TenantNode).where(TenantNode.customer_id == 1, TenantNode.depth == 0)
        ).one()
        for number in range(browsers):
            # A leader each: the cost allowance per minute is per person, and one person does
            # not read 200 pages of 500 rows in a few seconds.
            user = create_user(
                session, None, province, username=f"bench-leader-{number}",
                display_name=f"leader {number}", password=secrets.token_urlsafe(16),
                roles=(Role.ADMIN,),
            )  # fmt: skip
            signed_in.append(sign_in(session, user.id, "bench/ranking_reads"))
        province_id = province.id
    engine.dispose()
    return Province(cycle_id, province_id, signed_in)


def page_variables(province: Province, after: str | None = None) -> dict[str, object]:
    """The RankingPage variables of a page of the province-wide township ranking."""
    return {
        "cycle": to_base64("Cycle", province.cycle_id),
        "scope": to_base64("Tenant", province.province_id),
        "level": TenantLevel.TOWNSHIP.name,
        "first": PAGE,
        "after": after,
    }


def page_sender(base: str, province: Province):
    """Send one page of the province-wide township ranking; "ok" when it holds its rows."""

    def send(http: requests.Session, read: Read) -> tuple[str, int | None]:
        body = _persisted("RankingPage", page_variables(province, read.after))
        try:
            answer = _post(http, base, read, body)  # type: ignore[arg-type] - a cookie and a CSRF
        except _Refused as refused:
            return str(refused), None
        if error := _top_error(answer):
            return error, None
        rows = len(answer["data"]["rankings"]["edges"])
        return ("ok" if rows else "no rows"), None

    return send


def second_cursor(base: str, province: Province) -> str:
    """The cursor after the first page (it names the snapshot, which stays current)."""
    cookie, csrf = province.sessions[0]
    send_first = _persisted("RankingPage", page_variables(province))
    with requests.Session() as http:
        answer = _post(http, base, Read(cookie, csrf, None), send_first)  # type: ignore[arg-type]
    return answer["data"]["rankings"]["pageInfo"]["endCursor"]


def reads(province: Province, clients: int, per_client: int, cursor: str) -> list[Read]:
    """What the clients send, laid out so that client i takes items i, i + clients, ...: each
    reads the ranking ``per_client`` times, the first page then the second."""
    out: list[Read] = []
    for _ in range(per_client):
        for page in (None, cursor):
            for client in range(clients):
                cookie, csrf = province.sessions[client % len(province.sessions)]
                out.append(Read(cookie, csrf, page))
    return out


def run_shape(url: str, province: Province, shape: str, args: argparse.Namespace) -> list[str]:
    """The lines of one gunicorn shape: baseline, cold and warm rounds."""
    lines: list[str] = []
    for mode, cache_seconds in (("cold", "0"), ("warm", "600")):
        with (
            tempfile.TemporaryDirectory(prefix="redline-reads-") as tmp,
            redis_database(args.redis_server) as redis_url,
            servers(
                url,
                redis_url,
                Path(tmp),
                gunicorn_shape(shape),
                {"REDLINE_RESPONSE_CACHE_SECONDS": cache_seconds},
            ) as up,
        ):
            cursor = second_cursor(up.base, province)
            items = reads(province, args.clients, args.reads, cursor)
            send = page_sender(up.base, province)
            run_round(up.base, items[: args.clients * 2], args.clients, send)  # warm-up
            if mode == "cold":
                baseline = run_round(up.base, items, args.clients, viewer_sender(up.base))  # type: ignore[arg-type]
                lines.append("  " + baseline.line("baseline (Viewer query)"))
            with RssSampler(up.api_processes()) as rss:
                pages = run_round(up.base, items, args.clients, send)  # type: ignore[arg-type]
            lines.append("  " + pages.line(f"{mode} (RankingPage, {PAGE} rows)"))
            if mode == "cold":
                lines.append(
                    f"  cold / baseline: p50 {pages.quantile(0.5) / baseline.quantile(0.5):.1f}x,"
                    f" p99 {pages.quantile(0.99) / baseline.quantile(0.99):.1f}x;"
                    f" peak RSS of the gunicorn workers {rss.total / MIB:.0f} MiB together ("
                    + ", ".join(f"{v / MIB:.0f}" for v in rss.each.values())
                    + " MiB each)"
                )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="2x4,4x2,2x8", help="gunicorn processes x threads")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--reads", type=int, default=5, help="1,000-row reads per client")
    parser.add_argument("--pg", default=SERVER, help="the server (a scratch database is made)")
    parser.add_argument("--redis-server", default="redis://127.0.0.1:6379")
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        province = build(url, args.clients)
        print(f"province built; {args.clients} browsers signed in", file=sys.stderr, flush=True)
        for shape in args.shapes.split(","):
            lines = run_shape(url, province, shape, args)
            print(
                f"\n== gunicorn {' '.join(gunicorn_shape(shape))}: {args.clients} clients, each"
                f" reading {args.reads} x 1,000 rows ({2 * args.reads} pages of {PAGE})"
            )
            print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
