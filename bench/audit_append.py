"""Benchmark: what the audit log's chain costs a write, and whether one province's writers queue
for its chain head.

In a scratch PostgreSQL database with the real schema, ``--writers`` threads each commit
``--each`` transactions. The baseline, in the same run, inserts one plain row per transaction
(a table of the same width, no chain). Then every transaction appends an audit entry
(``tenants.audit.record``: the head's row lock, the hash, the insert): first all writers on one
province's chain, then each writer on its own province's chain. Reported: transactions a second,
the ratio to the baseline, and ``verify``'s speed over what was appended.

    .venv/bin/python bench/audit_append.py [--writers 4] [--each 250] [--pg URL]
"""

from __future__ import annotations

import argparse
import threading
import time

from scratch import scratch_database
from sqlalchemy import text

from redline.db import make_engine, make_session_factory, unit_of_work
from redline.migrations import upgrade
from tenants import audit
from tenants.audit import Who

PLAIN = (
    "CREATE TABLE bench_plain (id serial PRIMARY KEY, customer_id int, details text,"
    " at timestamptz)"
)


def _customers(engine, count: int) -> list[tuple[int, int]]:
    """``count`` provinces, each with its root unit: (customer id, node id)."""
    out = []
    with engine.begin() as db:
        for i in range(count):
            customer = db.execute(
                text(
                    "INSERT INTO customer (code, name, created_at, updated_at) "
                    "VALUES (:c, :c, now(), now()) RETURNING id"
                ),
                {"c": f"{11 + i}0000"},
            ).scalar_one()
            node = db.execute(
                text(
                    "INSERT INTO tenant_node (customer_id, code, name_zh, name_en, level, kind,"
                    " path, depth, created_at, updated_at) VALUES (:cu, :c, :c, :c, 'province',"
                    " 'province', :p, 0, now(), now()) RETURNING id"
                ),
                {"cu": customer, "c": f"{11 + i}0000", "p": f"/{11 + i}0000/"},
            ).scalar_one()
            out.append((customer, node))
    return out


def _run(writers: int, work) -> float:
    """Seconds for ``writers`` threads each running ``work(index)``."""
    threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--each", type=int, default=250)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    total = args.writers * args.each
    details = {"input": {"assessmentId": "QXNzZXNzbWVudDoxMg==", "entries": [{"code": "1.1"}]}}

    with scratch_database(args.pg) as url:
        engine = make_engine(url, pool_size=args.writers + 2)
        upgrade(engine)
        with engine.begin() as db:
            db.execute(text(PLAIN))
        provinces = _customers(engine, args.writers)
        sessions = make_session_factory(engine)

        def plain(i: int) -> None:
            customer, _node = provinces[i]
            for n in range(args.each):
                with sessions() as session, unit_of_work(session):
                    session.execute(
                        text(
                            "INSERT INTO bench_plain (customer_id, details, at) "
                            "VALUES (:c, :d, now())"
                        ),
                        {"c": customer, "d": audit.canonical(details | {"n": n})},
                    )

        def chained(shared: bool):
            def work(i: int) -> None:
                customer, node = provinces[0 if shared else i]
                for n in range(args.each):
                    with sessions() as session, unit_of_work(session):
                        audit.record(
                            session,
                            Who(None, f"writer-{i}", "10.0.0.1", f"req-{i}-{n}"),
                            "saveEntries",
                            customer_id=customer,
                            node_id=node,
                            subject=f"Assessment:{n}",
                            details=details | {"n": n},
                        )

            return work

        baseline = _run(args.writers, plain)
        one_chain = _run(args.writers, chained(shared=True))
        own_chains = _run(args.writers, chained(shared=False))
        with sessions() as session:
            start = time.perf_counter()
            result = audit.verify(session)
            verifying = time.perf_counter() - start
        assert result.intact and result.entries == 2 * total, result
        engine.dispose()

    print(f"{args.writers} writers x {args.each} transactions each ({total} in all), PostgreSQL")
    print(f"  baseline, one plain row per transaction: {total / baseline:.0f} tx/s (1x)")
    for label, seconds in (
        ("audit entry, all on one province's chain", one_chain),
        ("audit entry, each writer its own province", own_chains),
    ):
        print(f"  {label}: {total / seconds:.0f} tx/s ({seconds / baseline:.2f}x the time)")
    print(f"  verify: {result.entries} entries in {verifying * 1000:.0f} ms")


if __name__ == "__main__":
    main()
