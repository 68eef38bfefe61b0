"""The job outbox: jobs asked for inside a transaction are rows of it, sent to the broker after
the commit, so a job is never sent for work that rolled back and never lost while Redis is down.

A service calls :func:`enqueue` with its session; the row commits with the service's own work.
Right after the commit the rows are sent (``after_commit``), and a relay in every worker process
sends whatever is left (Redis was down, the process died between commit and send): delivery is
at least once, which the actors' idempotence makes safe. A ``key`` coalesces: while a message
with the same key waits unsent, asking again adds nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

import dramatiq
from dramatiq.errors import ActorNotFound
from sqlalchemy import Engine, ForeignKey, Index, Integer, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from redline.db import WRITE_LOCK_AT_BEGIN, Base, Document, UtcDateTime, utcnow

log = logging.getLogger(__name__)

_WRITTEN = "outbox_written"  # session.info flag: this transaction added outbox rows


class OutboxMessage(Base):
    """A job to send: the actor's name, its arguments (ids), an optional delay and key."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_unsent", "sent_at", "id"),
        Index("ix_outbox_message_key", "key", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The province it is for (null: the whole system), so a scoped session sees its own only.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(Document, default=list)
    key: Mapped[str | None] = mapped_column(String(200))
    delay_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def enqueue(
    session: Session,
    actor_name: str,
    *args: Any,
    customer_id: int | None = None,
    key: str | None = None,
    delay_ms: int | None = None,
) -> OutboxMessage | None:
    """Ask for ``actor_name(*args)`` once the session's transaction commits.

    With a ``key``, nothing is added while a message of that key waits unsent (in this
    transaction or committed): returns None then.
    """
    if key is not None:
        for pending in session.new:
            if isinstance(pending, OutboxMessage) and pending.key == key:
                return None
        with session.no_autoflush:
            waiting = session.scalar(
                select(OutboxMessage.id)
                .where(OutboxMessage.key == key, OutboxMessage.sent_at.is_(None))
                .limit(1)
            )
        if waiting is not None:
            return None
    message = OutboxMessage(
        customer_id=customer_id,
        actor_name=actor_name,
        args=list(args),
        key=key,
        delay_ms=delay_ms,
    )
    session.add(message)
    session.info[_WRITTEN] = True
    return message


# --- sending ---------------------------------------------------------------------------------

_broker: dramatiq.Broker | None = None
# After a failed send, commits leave sending to the relays for this long (a circuit breaker:
# while Redis is down, requests do not each wait for it to time out).
PAUSE_AFTER_FAILURE = 10.0
_paused_until = 0.0


def bind_broker(broker: dramatiq.Broker | None) -> None:
    """Send outbox rows to ``broker`` after commits in this process (None: leave them for a
    relay; processes that never configured jobs, such as migrations, send nothing)."""
    global _broker
    _broker = broker


def relay(engine: Engine, broker: dramatiq.Broker | None = None, *, batch: int = 500) -> int:
    """Send unsent outbox rows, oldest first, and mark them sent; returns how many were sent.

    Stops at the first failure (Redis down): the rest stay for the next call. On PostgreSQL
    concurrent relays skip each other's rows (SKIP LOCKED), so none is sent twice by them.
    """
    broker = broker or _broker
    if broker is None:
        return 0
    sent = 0
    with Session(engine.execution_options(**{WRITE_LOCK_AT_BEGIN: True})) as session:
        while True:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(batch)
            )
            if engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(session.scalars(query))
            if not rows:
                break
            failed = False
            for row in rows:
                try:
                    _send(broker, row)
                except ActorNotFound:
                    # A message for an actor this version no longer has (written before an
                    # upgrade): it can never be sent, so it must not hold back the others.
                    log.error("outbox: no actor %s; message %s dropped", row.actor_name, row.id)
                    row.last_error = f"no such actor: {row.actor_name}"
                    row.sent_at = utcnow()
                    continue
                except Exception as exc:  # any failure of the broker: try again later
                    _pause()
                    row.attempts += 1
                    row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                    log.warning("outbox: cannot send %s yet (%s)", row.actor_name, exc)
                    failed = True
                    break
                row.sent_at = utcnow()
                sent += 1
            session.commit()
            if failed or len(rows) < batch:
                break
    return sent


def resume() -> None:
    """Send after commits again at once (tests; the pause ends by itself)."""
    global _paused_until
    _paused_until = 0.0


def _pause() -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE


def _send(broker: dramatiq.Broker, row: OutboxMessage) -> None:
    actor = broker.get_actor(row.actor_name)
    options: dict[str, Any] = {"outbox_id": row.id}
    actor.send_with_options(args=tuple(row.args), delay=row.delay_ms, **options)


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint released: the transaction goes on, nothing is committed yet
    if not session.info.pop(_WRITTEN, False) or _broker is None:
        return
    if time.monotonic() < _paused_until:
        return  # the broker failed a moment ago: the relays send these rows
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    try:
        relay(engine)
    except Exception:
        log.exception("outbox: sending after commit failed; the relay will retry")


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


class Relay:
    """A thread sending what the outbox still holds every ``interval`` seconds (workers and the
    demo run one): this is what drains the outbox after a Redis outage."""

    def __init__(self, engine: Engine, broker: dramatiq.Broker, interval: float = 2.0) -> None:
        self.engine = engine
        self.broker = broker
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)

    def start(self) -> Relay:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                relay(self.engine, self.broker)
            except Exception:
                log.exception("outbox relay failed; retrying in %.0f s", self.interval)
