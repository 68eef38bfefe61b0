"""The database kernel: declarative base, engine and session factory for SQLite and PostgreSQL."""

from __future__ import annotations

import enum
import operator
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    Enum,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    any_,
    create_engine,
    event,
    literal,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every mapped class; constraint names are stable so migrations can name them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (the only time the database stores)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime in UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


AMOUNT_PLACES = Decimal("0.0001")


class Amount(TypeDecorator[Decimal]):
    """An exact decimal (points, values) to 4 places: NUMERIC on PostgreSQL.

    SQLite has no decimal type: the number is stored as REAL and read back through its shortest
    repr, which is exact for the 4-place figures of up to 10 digits stored here, without the
    float-to-Decimal detour (and its warning) of a plain Numeric. Both read back at scale 4.
    """

    impl = Numeric(14, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(Numeric(14, 4, asdecimal=dialect.name != "sqlite"))

    def process_bind_param(self, value: Decimal | None, dialect) -> object:
        if value is None:
            return None
        return float(value) if dialect.name == "sqlite" else Decimal(value)

    def process_result_value(self, value: object, dialect) -> Decimal | None:
        if value is None:
            return None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return number.quantize(AMOUNT_PLACES)  # the same scale on both databases


# JSON documents (structured clauses, tier lists): JSONB on PostgreSQL.
Document = JSON().with_variant(JSONB(), "postgresql")


class Timestamped:
    """Adds created_at / updated_at columns kept by the ORM."""

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


def str_enum(enum_class: type[enum.StrEnum], length: int) -> Enum:
    """A column type storing a StrEnum by value as plain text (portable, readable in SQL)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def enum_check(column: str, values: type[enum.StrEnum]) -> str:
    """A check constraint's text: ``column`` holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


def make_engine(url: str, **kwargs: object) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # The sqlite3 driver's own transaction handling breaks SAVEPOINT: take it over.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            immediate = connection.get_execution_options().get(WRITE_LOCK_AT_BEGIN, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


# An execution option: SQLite transactions of such an engine take the write lock when they
# begin, so concurrent writers wait for each other (busy timeout) instead of failing.
WRITE_LOCK_AT_BEGIN = "sqlite_write_lock_at_begin"


def reading_bind(bind: Engine | Connection) -> Engine:
    """The engine of ``bind`` without the write lock at begin: for a reader beside a writer."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    return engine.execution_options(**{WRITE_LOCK_AT_BEGIN: False})


def writer_sessions(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions like ``sessions`` whose SQLite transactions lock for writing from the start.

    For job threads, which read and then write while other threads do the same: a deferred
    SQLite transaction that reads, then writes after another one committed, fails at once with
    "database is locked" (it cannot wait: its snapshot is stale). PostgreSQL is unaffected.
    """
    bind = sessions.kw["bind"]
    return sessionmaker(
        bind.execution_options(**{WRITE_LOCK_AT_BEGIN: True}),
        **{k: v for k, v in sessions.kw.items() if k != "bind"},
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (resolvers read them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit what the block did, or roll all of it back if it raised."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def among(session: Session, column: Any, values: Collection[Any]) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL, for ids and texts, ``column = ANY(:values)``: one
    array parameter.

    An IN list has a placeholder per value, so each length is another statement, which
    SQLAlchemy expands, psycopg parses again (past 4 KB it keeps no parsed copy) and the server
    plans again: reading 500 tenant nodes by id took twice as long that way. The array keeps
    one statement for every length. SQLite has no arrays: there it stays an IN list, and so it
    does for enums (an array of an enum needs the enum's own type)."""
    kind = column.type
    if (
        session.get_bind().dialect.name == "postgresql"
        and isinstance(kind, Integer | String)
        and not isinstance(kind, Enum)
    ):
        return column == any_(literal(list(values), ARRAY(kind)))
    return column.in_(values)


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows, each with the same keys, into ``table`` in the session's transaction.

    On PostgreSQL the rows go through ``COPY ... FROM STDIN``: a snapshot's thousands of ranking
    rows take half the time of a batched INSERT, most of which is building the statements'
    parameters. Values pass through the columns' types as in an INSERT; Python-side column
    defaults are not applied, so the rows name every column they need. Elsewhere, one
    executemany INSERT.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        connection.execute(table.insert(), list(rows))
        return
    names = list(rows[0])
    values_of = operator.itemgetter(*names)
    # Only the columns whose type converts a value (enums, amounts, documents) are visited.
    processed = [
        (index, process)
        for index, name in enumerate(names)
        if (process := table.c[name].type._cached_bind_processor(dialect)) is not None
    ]
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            values = list(values_of(row)) if len(names) > 1 else [values_of(row)]
            for index, process in processed:
                values[index] = process(values[index])
            copy.write_row(values)
