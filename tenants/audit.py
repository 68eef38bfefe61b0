"""The audit log: who did what, when and from where, appended to one hash chain per province.

Each entry's hash covers its content and the hash of the entry before it in its chain, so an
entry edited, deleted or slipped in afterwards breaks the chain where it happened; ``verify``
(``redline audit verify``) walks every chain and names the entries that do not hold. The
database refuses to change or delete entries (triggers on both backends; on PostgreSQL the
scoped role is also granted only SELECT and INSERT), so the log is appended to and read, nothing
else. Sign-in events that name no known account go to the system chain (0).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from redline.db import Base, UtcDateTime, utcnow
from tenants.access import Actor
from tenants.models import Customer, Role, TenantNode
from tenants.scope import in_subtree

SYSTEM_CHAIN = 0  # events of no province: sign-ins with a username nobody has
GENESIS = "0" * 64  # what the first entry of a chain links to
DETAILS_MAX_CHARS = 4000  # longer details are kept as their size and digest
# Inputs never written down (a one-time code's mutations record their own entries without it).
SECRET_FIELDS = frozenset({"password", "currentPassword", "newPassword", "otp", "secret", "token"})


class AuditChain(Base):
    """The head of one chain: how many entries it has and the last one's hash. Appending
    locks this row, so the entries of a chain are numbered without gaps in commit order."""

    __tablename__ = "audit_chain"

    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


class AuditEntry(Base):
    """One thing done: appended, hash-chained, never changed."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        UniqueConstraint("chain", "seq", name="uq_audit_entry_chain_seq"),
        Index("ix_audit_entry_customer_at", "customer_id", "at"),
    )

    # Sharded by chain (its province's id, or 0): the key carries it (see ProvinceSharded).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    __mapper_args__ = {"primary_key": ["id"]}
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    # The unit the entry concerns, which decides who may read it (its subtree's admins).
    node_id: Mapped[int | None] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(80))  # the username then, or "system"
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(200))  # what it was done to: "User:12"
    details: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed as stored
    address: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# The database's refusal to change the log, per dialect (the migration and the tests' table
# emptying use these; a trigger stops every role, the owner's included, until it is dropped).
APPEND_ONLY_MESSAGE = "audit entries are never changed or deleted"
SQLITE_TRIGGERS = {
    "audit_entry_no_update": f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
    "audit_entry_no_delete": f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
}
POSTGRESQL_TRIGGER = f"""
CREATE OR REPLACE FUNCTION redline_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION redline_audit_append_only();
"""


@dataclass(frozen=True)
class Who:
    """Who did it and from where: an actor (or a user found by username), or the system."""

    user_id: int | None
    name: str
    address: str = ""
    request_id: str = ""

    @classmethod
    def of(cls, actor: Actor | None, address: str = "", request_id: str = "") -> Who:
        if actor is None:
            return cls(None, "system", address, request_id)
        return cls(actor.user_id, actor.username, address, request_id)


def canonical(details: Mapping[str, Any]) -> str:
    """``details`` as the JSON text that is stored and hashed: sorted keys, secrets masked,
    anything long kept as its size and digest."""
    text = json.dumps(_masked(details), sort_keys=True, ensure_ascii=False, default=str)
    if len(text) <= DETAILS_MAX_CHARS:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()
    summary = {"chars": len(text), "sha256": digest, "fields": sorted(details)}
    return json.dumps(summary, sort_keys=True)


def _masked(value: Any) -> Any:
    if hasattr(value, "filename") and hasattr(value, "stream"):  # an uploaded file
        return {"file": value.filename}
    if isinstance(value, Mapping):
        return {str(k): "***" if k in SECRET_FIELDS else _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


def entry_hash(entry: AuditEntry) -> str:
    """The SHA-256 of an entry's content and the hash it links to."""
    content = [
        entry.chain,
        entry.seq,
        entry.at.isoformat(timespec="microseconds"),
        entry.customer_id,
        entry.node_id,
        entry.actor_user_id,
        entry.actor_name,
        entry.action,
        entry.subject,
        entry.details,
        entry.address,
        entry.request_id,
        entry.prev_hash,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def record(
    session: Session,
    who: Who,
    action: str,
    *,
    customer_id: int | None,
    node_id: int | None = None,
    subject: str = "",
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry to the customer's chain in the session's transaction: it is kept if and
    only if what it records is. The chain's head stays locked until the transaction ends."""
    chain = customer_id or SYSTEM_CHAIN
    _ensure_chain(session, chain)
    seq, prev = session.execute(
        update(AuditChain)
        .where(AuditChain.chain == chain)
        .values(last_seq=AuditChain.last_seq + 1)
        .returning(AuditChain.last_seq, AuditChain.last_hash)
    ).one()
    entry = AuditEntry(
        chain=chain,
        seq=seq,
        at=utcnow(),
        customer_id=customer_id,
        node_id=node_id,
        actor_user_id=who.user_id,
        actor_name=who.name[:80],
        action=action,
        subject=subject[:200],
        details=canonical(details or {}),
        address=who.address[:64],
        request_id=who.request_id[:64],
        prev_hash=prev,
    )
    entry.hash = entry_hash(entry)
    session.execute(
        update(AuditChain).where(AuditChain.chain == chain).values(last_hash=entry.hash)
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass
class Description:
    """What a service says about the change it made, for the entry its caller records: the
    unit it concerns, what it was done to, and details the input alone does not tell (a
    deleted row's content, say)."""

    node_id: int | None = None
    subject: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


DESCRIPTION_KEY = "audit_description"


def describe(
    session: Session, *, node_id: int | None = None, subject: str | None = None, **details: Any
) -> None:
    """Say more about the change being made in this session's transaction (see Description)."""
    described = session.info.setdefault(DESCRIPTION_KEY, Description())
    described.node_id = node_id if node_id is not None else described.node_id
    described.subject = subject if subject is not None else described.subject
    described.details.update(details)


def take_description(session: Session) -> Description:
    """What the services said about this transaction's change, forgotten once taken."""
    return session.info.pop(DESCRIPTION_KEY, None) or Description()


def _ensure_chain(session: Session, chain: int) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(AuditChain)
        .values(chain=chain, last_seq=0, last_hash=GENESIS)
        .on_conflict_do_nothing(index_elements=["chain"])
    )


@dataclass(frozen=True)
class Finding:
    """Where a chain does not hold, and what that means."""

    chain: int
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry #{self.seq}" + (f" (id {self.entry_id})" if self.entry_id else "")
        return f"chain {self.chain}, {where}: {self.problem}"


@dataclass
class Verification:
    """What a walk of the log found."""

    chains: int = 0
    entries: int = 0
    findings: list[Finding] | None = None

    @property
    def intact(self) -> bool:
        return not self.findings


def verify(session: Session, batch: int = 2000) -> Verification:
    """Walk every chain in order and name each entry that was edited, deleted or inserted
    afterwards (a system session: the whole log is read, streamed in batches)."""
    result = Verification(findings=[])
    heads = {c.chain: c for c in session.scalars(select(AuditChain).order_by(AuditChain.chain))}
    chains = sorted(set(heads) | set(session.scalars(select(AuditEntry.chain).distinct())))
    for chain in chains:
        result.chains += 1
        result.findings.extend(_verify_chain(session, chain, heads.get(chain), batch, result))
    return result


def _verify_chain(
    session: Session, chain: int, head: AuditChain | None, batch: int, result: Verification
) -> Iterator[Finding]:
    expected_seq, expected_prev = 1, GENESIS
    for entry in _entries_of(session, chain, batch):
        result.entries += 1
        if entry.seq > expected_seq:
            missing = _span(expected_seq, entry.seq - 1)
            yield Finding(chain, expected_seq, None, f"{missing} deleted")
        elif entry.prev_hash != expected_prev:
            yield Finding(
                chain,
                entry.seq - 1,
                None,
                f"the entry before #{entry.seq} is not the one #{entry.seq} was chained to: "
                "it was edited (its hash made anew) or replaced",
            )
        if entry_hash(entry) != entry.hash:
            yield Finding(
                chain,
                entry.seq,
                entry.id,
                f"edited: its content ({entry.action} at {entry.at.isoformat()} by "
                f"{entry.actor_name}) no longer matches its hash",
            )
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    if head is None:
        yield Finding(chain, expected_seq - 1, None, "the chain has entries but no head")
    elif head.last_seq >= expected_seq:
        yield Finding(chain, expected_seq, None, f"{_span(expected_seq, head.last_seq)} deleted")
    elif head.last_seq == expected_seq - 1 and head.last_hash != expected_prev:
        yield Finding(chain, head.last_seq, None, "the last entry is not the one appended last")


def _span(first: int, last: int) -> str:
    return f"entry #{first} was" if first == last else f"entries #{first} to #{last} were"


def _entries_of(session: Session, chain: int, batch: int) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.chain == chain, AuditEntry.seq > after)
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        session.expunge_all()


def readable_by(actor: Actor) -> Select[tuple[AuditEntry]]:
    """The entries an actor may read: those of units their ADMIN grants reach (an admin reads
    what was done in their subtree, by anyone); nothing for an actor who administers nothing."""
    paths = [g.path for g in actor.grants if g.role is Role.ADMIN]
    query = select(AuditEntry).join(TenantNode, TenantNode.id == AuditEntry.node_id)
    if not paths:
        return query.where(false())
    return query.where(
        AuditEntry.customer_id == actor.customer_id,
        or_(*(in_subtree(TenantNode.path, path) for path in paths)),
    )


def chain_names(session: Session) -> dict[int, str]:
    """Each chain's province, by code and name, for reports."""
    names = {SYSTEM_CHAIN: "system"}
    for customer in session.scalars(select(Customer)):
        names[customer.id] = f"{customer.name} ({customer.code})"
    return names
