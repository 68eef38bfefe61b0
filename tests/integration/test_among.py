"""A column among many values (``among``): the rows an IN list finds, asked on PostgreSQL with
one array parameter, so that every length of list is the same statement."""

from __future__ import annotations

from sqlalchemy import event, select

from redline.db import among
from tenants.models import TenantLevel, TenantNode


def test_among_finds_the_rows_an_in_list_finds(world, session):
    ids = session.scalars(select(TenantNode.id).order_by(TenantNode.id)).all()
    codes = session.scalars(select(TenantNode.code).order_by(TenantNode.id)).all()
    asked = [
        (TenantNode.id, [*ids[::3], 10**9]),  # one that is not there
        (TenantNode.code, [*codes[1::4], "nowhere"]),
        (TenantNode.level, [TenantLevel.TOWNSHIP, TenantLevel.COUNTY]),
        (TenantNode.id, [ids[0], ids[0]]),
    ]
    for column, values in asked:
        found = session.scalars(select(TenantNode.id).where(among(session, column, values)))
        listed = session.scalars(select(TenantNode.id).where(column.in_(values)))
        assert sorted(found) == sorted(listed) != []
    none = select(TenantNode.id).where(among(session, TenantNode.id, []))
    assert session.scalars(none).all() == []


def test_every_length_is_one_statement_on_postgresql(world, session, engine, backend):
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    ids = session.scalars(select(TenantNode.id).order_by(TenantNode.id)).all()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for some in (ids[:1], ids[:3], ids):
            session.execute(select(TenantNode.id).where(among(session, TenantNode.id, some)))
        session.execute(
            select(TenantNode.id).where(among(session, TenantNode.level, [TenantLevel.CITY]))
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    by_id, by_level = statements[:3], statements[3]
    if backend == "postgresql":
        assert len(set(by_id)) == 1 and "= ANY (" in by_id[0]
        assert " IN (" in by_level  # an enum's values stay a list (its array needs its type)
    else:
        assert len(set(by_id)) == 3 and all(" IN (" in s for s in by_id)
