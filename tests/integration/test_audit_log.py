"""The audit log's chain: entries appended in order by concurrent writers, the database's
refusal to change them, and a verification that names what was edited, deleted or slipped in."""

from __future__ import annotations

import subprocess
import threading
import uuid
from contextlib import contextmanager
from itertools import pairwise

import psycopg
import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import DBAPIError

from redline.db import make_engine, make_session_factory, unit_of_work, writer_sessions
from redline.migrations.rls import SCOPED_ROLE
from tenants import audit
from tenants.audit import SQLITE_TRIGGERS, AuditChain, AuditEntry, Who
from tests.conftest import REPO
from tests.factories.tenants import node


def _append(sessions, customer_id: int, node_id: int, n: int, who: str = "tester") -> None:
    writers = writer_sessions(sessions)
    for i in range(n):
        with writers() as session, unit_of_work(session):
            audit.record(
                session,
                Who(None, who, "10.0.0.1", f"req-{who}-{i}"),
                "testAction",
                customer_id=customer_id,
                node_id=node_id,
                subject=f"Thing:{i}",
                details={"i": i, "note": "第" + str(i)},
            )


@pytest.fixture
def jiaxing(world):
    return node(world, "330400")


def _log(sessions) -> tuple[int, int]:
    """How many entries and chains the log holds (the demo's import wrote one per province)."""
    with sessions() as session:
        result = audit.verify(session)
    assert result.intact
    return result.entries, result.chains


def test_entries_chain_in_order_and_verify_as_intact(world, sessions, jiaxing):
    entries_before, chains = _log(sessions)
    _append(sessions, jiaxing.customer_id, jiaxing.id, 5)
    with sessions() as session:
        chain = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.chain == jiaxing.customer_id)
            .order_by(AuditEntry.seq)
        ).all()
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        assert [e.action for e in chain][-5:] == ["testAction"] * 5
        assert chain[0].prev_hash == audit.GENESIS
        assert all(b.prev_hash == a.hash for a, b in pairwise(chain))
        head = session.get_one(AuditChain, jiaxing.customer_id)
        assert (head.last_seq, head.last_hash) == (len(chain), chain[-1].hash)
        result = audit.verify(session, batch=2)  # batches smaller than the chain
    assert result.intact
    assert (result.entries, result.chains) == (entries_before + 5, chains)


def test_concurrent_writers_number_the_chain_without_gaps(world, sessions, jiaxing):
    """Two writers (and a third on another province's chain) append at once; on SQLite the
    write lock, on PostgreSQL the chain head's row lock, keeps the numbers in commit order."""
    entries_before, chains = _log(sessions)
    zhejiang, sichuan = jiaxing.customer_id, node(world, "510000")
    threads = [
        threading.Thread(target=_append, args=(sessions, zhejiang, jiaxing.id, 15, "a")),
        threading.Thread(target=_append, args=(sessions, zhejiang, jiaxing.id, 15, "b")),
        threading.Thread(target=_append, args=(sessions, sichuan.customer_id, sichuan.id, 10, "c")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with sessions() as session:
        seqs = session.scalars(
            select(AuditEntry.seq).where(AuditEntry.chain == zhejiang).order_by(AuditEntry.seq)
        ).all()
        written = session.scalars(
            select(AuditEntry.actor_name).where(AuditEntry.chain == zhejiang)
        ).all()
        result = audit.verify(session)
    assert seqs == list(range(1, len(seqs) + 1))
    assert (written.count("a"), written.count("b")) == (15, 15)
    assert result.intact
    assert (result.entries, result.chains) == (entries_before + 40, chains)


def test_the_database_refuses_to_change_or_delete_an_entry(world, engine, sessions, jiaxing):
    _append(sessions, jiaxing.customer_id, jiaxing.id, 1)
    for statement in (
        "UPDATE audit_entry SET details = '{}'",
        "DELETE FROM audit_entry",
    ):
        with pytest.raises(DBAPIError, match="never changed or deleted"), engine.begin() as db:
            db.execute(text(statement))
    with sessions() as session:
        mine = select(AuditEntry.details).where(AuditEntry.action == "testAction")
        assert session.scalar(mine) == '{"i": 0, "note": "第0"}'
    assert _log(sessions)[0] >= 1


def test_the_scoped_role_may_only_read_and_append(world, engine, backend):
    if backend != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    with engine.connect() as db:
        allowed = {
            p: db.execute(
                text(f"SELECT has_table_privilege('{SCOPED_ROLE}', 'audit_entry', '{p}')")
            ).scalar()
            for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
        }
    assert allowed == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": False,
        "DELETE": False,
        "TRUNCATE": False,
    }


@contextmanager
def _tampering(engine):
    """What an intruder with the owner's rights does: switch the refusal off for a moment."""
    with engine.begin() as db:
        if engine.dialect.name == "postgresql":
            db.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers
        else:
            for name in SQLITE_TRIGGERS:
                db.execute(text(f"DROP TRIGGER {name}"))
        yield db
        if engine.dialect.name == "sqlite":
            for create in SQLITE_TRIGGERS.values():
                db.execute(text(create))


def _findings(sessions) -> list[str]:
    with sessions() as session:
        return [str(f) for f in audit.verify(session).findings or []]


def test_an_edited_entry_is_named(world, engine, sessions, jiaxing):
    _append(sessions, jiaxing.customer_id, jiaxing.id, 4)
    with _tampering(engine) as db:
        db.execute(text("UPDATE audit_entry SET actor_name = 'someone-else' WHERE seq = 2"))
    findings = _findings(sessions)
    assert len(findings) == 1
    assert f"chain {jiaxing.customer_id}, entry #2" in findings[0]
    assert "edited" in findings[0] and "testAction" in findings[0]


def test_an_edit_with_its_hash_made_anew_is_named_by_the_next_entry(
    world, engine, sessions, jiaxing
):
    _append(sessions, jiaxing.customer_id, jiaxing.id, 4)
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.seq == 2)).one()
        entry.details = '{"i": 99}'
        forged = audit.entry_hash(entry)
        session.rollback()
    with _tampering(engine) as db:
        db.execute(
            text("UPDATE audit_entry SET details = '{\"i\": 99}', hash = :h WHERE seq = 2"),
            {"h": forged},
        )
    findings = _findings(sessions)
    assert findings == [
        f"chain {jiaxing.customer_id}, entry #2: the entry before #3 is not the one #3 was "
        "chained to: it was edited (its hash made anew) or replaced"
    ]


def test_deleted_entries_are_named_in_the_middle_and_at_the_end(world, engine, sessions, jiaxing):
    _append(sessions, jiaxing.customer_id, jiaxing.id, 6)
    with _tampering(engine) as db:
        db.execute(text("DELETE FROM audit_entry WHERE seq IN (2, 3, 6)"))
    assert _findings(sessions) == [
        f"chain {jiaxing.customer_id}, entry #2: entries #2 to #3 were deleted",
        f"chain {jiaxing.customer_id}, entry #6: entry #6 was deleted",
    ]


def test_secrets_are_masked_and_long_details_kept_as_their_digest():
    masked = audit.canonical({"input": {"password": "hunter22", "name": "x", "otp": "123456"}})
    assert masked == '{"input": {"name": "x", "otp": "***", "password": "***"}}'
    long = audit.canonical({"input": {"items": ["条目" * 10] * 500}})
    assert '"sha256"' in long and '"fields": ["input"]' in long and len(long) < 200


def test_the_production_login_role_may_only_read_and_append_the_log(
    world, backend, database_urls, jiaxing
):
    """platform/postgres/app-role.sql: the role the app runs as in production works (system
    reads, appends to the log) and is refused any change to the log by PostgreSQL's privileges,
    whatever the triggers."""
    if backend != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    role = f"redline_app_{uuid.uuid4().hex[:8]}"
    url = database_urls["postgresql"]
    script = REPO / "platform" / "postgres" / "app-role.sql"
    variables = ["-v", "ON_ERROR_STOP=1", "-v", f"app_role={role}", "-v", "app_password=x"]
    subprocess.run(["psql", url, "-q", *variables, "-f", str(script)], check=True)
    subprocess.run(["psql", url, "-q", *variables, "-f", str(script)], check=True)  # again
    app = make_engine(make_url(url).set(username=role).render_as_string(hide_password=False))
    try:
        _append(make_session_factory(app), jiaxing.customer_id, jiaxing.id, 2)
        with app.connect() as db:
            assert db.execute(text("SELECT count(*) FROM app_user")).scalar() > 0  # every province
            appended = "SELECT count(*) FROM audit_entry WHERE action = 'testAction'"
            assert db.execute(text(appended)).scalar() == 2
        for statement in (
            "UPDATE audit_entry SET details = '{}'",
            "DELETE FROM audit_entry",
            "TRUNCATE audit_entry",
            "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
        ):
            with (
                pytest.raises(DBAPIError, match=r"permission denied|must be owner"),
                app.begin() as db,
            ):
                db.execute(text(statement))
    finally:
        app.dispose()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP OWNED BY "{role}"')
            admin.execute(f'DROP ROLE "{role}"')
