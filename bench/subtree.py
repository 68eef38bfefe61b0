"""Benchmark: subtree queries on a national-scale tree, materialised path vs recursive CTE.

Builds a synthetic tree the size of China's (31 provinces, ~43,000 units) in a scratch
PostgreSQL database with the real schema (migrations), then times, for every province and
every city, the
index-backed path-range query Redline uses against a recursive CTE over parent_id (the
baseline), in the same run. Prints the medians and the ratio.

    .venv/bin/python bench/subtree.py [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import statistics
import time

import psycopg
from scratch import scratch_database  # bench/: run as a script, bench/ is on the path
from sqlalchemy import text

from redline.db import make_engine
from redline.migrations import upgrade

PATH_RANGE = """
SELECT count(*) FROM tenant_node WHERE path >= :p AND path < :q
"""
RECURSIVE_CTE = """
WITH RECURSIVE sub(id) AS (
    SELECT id FROM tenant_node WHERE id = :root
    UNION ALL
    SELECT t.id FROM tenant_node t JOIN sub ON t.parent_id = sub.id
)
SELECT count(*) FROM sub
"""


def build_tree(conn: psycopg.Connection) -> int:
    """31 provinces x 11 cities x 9 counties x 13 townships (+ the levels above): ~44,000."""
    rows = []
    next_id = 1
    with conn.cursor() as cur:
        for p in range(31):
            cur.execute(
                "INSERT INTO customer (id, code, name, created_at, updated_at) "
                "VALUES (%s, %s, %s, now(), now())",
                (p + 1, f"P{p:02d}", f"Province {p}"),
            )
        for p in range(31):
            pcode = f"{11 + p:02d}0000"
            pid, next_id = next_id, next_id + 1
            rows.append((pid, p + 1, None, pcode, "province", "province", f"/{pcode}/", 0))
            for c in range(11):
                ccode = f"{pcode[:2]}{c + 1:02d}00"
                cid, next_id = next_id, next_id + 1
                cpath = f"/{pcode}/{ccode}/"
                rows.append((cid, p + 1, pid, ccode, "city", "city", cpath, 1))
                for k in range(9):
                    kcode = f"{ccode[:4]}{k + 1:02d}"
                    kid, next_id = next_id, next_id + 1
                    kpath = f"{cpath}{kcode}/"
                    rows.append((kid, p + 1, cid, kcode, "county", "county", kpath, 2))
                    for t in range(13):
                        tcode = f"{kcode}{t + 1:03d}"
                        rows.append(
                            (next_id, p + 1, kid, tcode, "township", "town", f"{kpath}{tcode}/", 3)
                        )
                        next_id += 1
        with cur.copy(
            "COPY tenant_node (id, customer_id, parent_id, code, level, kind, path, "
            "depth, name_zh, name_en, created_at, updated_at) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row((*row, row[3], row[3], "now", "now"))
        cur.execute("ANALYZE tenant_node")
    conn.commit()
    return len(rows)


def time_both(conn, roots, repeat: int) -> dict[str, list[float]]:
    """Seconds per round over all roots, for each of the two queries, interleaved."""
    timings: dict[str, list[float]] = {"path range": [], "recursive CTE": []}
    for _ in range(repeat):
        start = time.perf_counter()
        for _id, path in roots:
            conn.execute(text(PATH_RANGE), {"p": path, "q": path[:-1] + "0"}).scalar()
        timings["path range"].append(time.perf_counter() - start)
        start = time.perf_counter()
        for root_id, _path in roots:
            conn.execute(text(RECURSIVE_CTE), {"root": root_id}).scalar()
        timings["recursive CTE"].append(time.perf_counter() - start)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        engine = make_engine(url)
        upgrade(engine)
        with psycopg.connect(url) as conn:
            total = build_tree(conn)
        results = {}
        with engine.connect() as conn:
            for level in ("province", "city"):
                roots = conn.execute(
                    text("SELECT id, path FROM tenant_node WHERE level = :l ORDER BY id"),
                    {"l": level},
                ).all()
                results[level] = (len(roots), time_both(conn, roots, args.repeat))
        engine.dispose()

    print(f"{total} units; median of {args.repeat} rounds; ms per subtree query")
    for level, (count, timings) in results.items():
        ms = {k: statistics.median(v) / count * 1000 for k, v in timings.items()}
        print(
            f"  {count:>3} {level} subtrees (~{total // count} units each): path range "
            f"{ms['path range']:.3f} ms, recursive CTE {ms['recursive CTE']:.3f} ms, "
            f"ratio {ms['path range'] / ms['recursive CTE']:.2f}x"
        )


if __name__ == "__main__":
    main()
