"""The probes: /livez asks nothing else, /readyz asks the database, Redis and the schema's
migration, and names what is not ready."""

from __future__ import annotations

from sqlalchemy import text

from redline.schema_version import head_revision


def test_livez_and_readyz_answer_when_all_is_ready(app):
    client = app.test_client()
    assert client.get("/livez").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "migrations": "ok",
    }


def test_readyz_names_a_schema_behind_the_release_and_a_redis_that_is_down(
    app, runtime, engine, monkeypatch
):
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0018'"))
    try:
        client = app.test_client()
        monkeypatch.setattr(runtime.redis, "ping", _refused)
        answer = client.get("/readyz")
        assert answer.status_code == 503
        body = answer.get_json()
        assert body["status"] == "not ready" and body["database"] == "ok"
        assert body["migrations"] == f"at 0018, this release expects {head_revision()}"
        assert body["redis"] == "unreachable: ConnectionError"
        assert client.get("/livez").status_code == 200  # alive all the same: not restarted
    finally:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()}
            )


def _refused() -> None:
    raise ConnectionError("refused")
