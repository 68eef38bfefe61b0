"""Places and people: tenant nodes and users by code, actors, scoped sessions, added users."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import utcnow
from redline.demo.run import DEMO_PASSWORD
from tenants.access import Actor, load_actor
from tenants.hierarchy import NodeInput, create_node
from tenants.models import (
    ApiToken,
    Role,
    RoleGrant,
    TenantKind,
    TenantLevel,
    TenantNode,
    User,
    WebSession,
)
from tenants.scope import scoped
from tenants.users import create_user


def node(session: Session, code: str, *, fresh: bool = False) -> TenantNode:
    """The tenant node with this code; ``fresh``: after ending the session's transaction, so
    it shows what requests committed since."""
    if fresh:
        session.rollback()
    return session.scalars(select(TenantNode).where(TenantNode.code == code)).one()


def user(session: Session, username: str, *, fresh: bool = False) -> User:
    """The user with this name; ``fresh`` as for :func:`node`."""
    if fresh:
        session.rollback()
    return session.scalars(select(User).where(User.username == username)).one()


def actor(session: Session, username: str) -> Actor:
    """The actor of a (demo) user."""
    return load_actor(session, user(session, username))


def scoped_session(sessions, who: Actor) -> Session:
    """A fresh session scoped to what ``who`` may see (as a request's session is)."""
    return scoped(sessions(), who.scope)


def add_user(
    session: Session,
    unit: str | TenantNode,
    username: str,
    *roles: Role,
    display_name: str | None = None,
    password: str = DEMO_PASSWORD,
) -> User:
    """A user of ``unit`` (its code, or the node) with ``roles``, created by the system; signs
    in with the demo password unless given another (not committed)."""
    return create_user(
        session,
        None,
        unit if isinstance(unit, TenantNode) else node(session, unit),
        username=username,
        display_name=display_name or username,
        password=password,
        roles=roles,
    )


# Sichuan users the demo lacks: county and township clerks, and a county office.
SICHUAN_USERS = (
    ("jiange-clerk", "510823", Role.SUBMITTER),  # 剑阁县
    ("cangxi-clerk", "510824", Role.SUBMITTER),  # 苍溪县, Jiange's sibling
    ("puan-clerk", "510823100", Role.SUBMITTER),  # 普安镇, a town of Jiange
    ("jiange-office", "510823", Role.ASSESSOR),
)


def add_sichuan_users(session: Session) -> None:
    """The Guangyuan clerks and offices of :data:`SICHUAN_USERS` (committed)."""
    for username, code, role in SICHUAN_USERS:
        add_user(session, code, username, role)
    session.commit()


def add_traps(session: Session) -> None:
    """Rows that a slightly wrong rule would leak, added to the demo world (committed).

    - Siblings of Nanhu (330402) whose paths start like Nanhu's without its trailing "/":
      3304021 (next code up) and 330402-A ("-" sorts before "/"), each with a child and an
      admin (trap-3304021, trap-330402-A).
    - nanhu-clerk: a submitter (only) on Nanhu, which has children it must not see.
    - A token and a browser session for every user.
    """
    jiaxing = node(session, "330400")
    for code, level, kind in (
        ("3304021", TenantLevel.COUNTY, TenantKind.DISTRICT),
        ("330402-A", TenantLevel.CITY, TenantKind.DEPARTMENT),
    ):
        trap = create_node(
            session, None, NodeInput(code, "陷阱", f"Trap {code}", level, kind), jiaxing
        )
        child_level = TenantLevel.TOWNSHIP if level is TenantLevel.COUNTY else level
        child_kind = TenantKind.TOWN if level is TenantLevel.COUNTY else TenantKind.AFFILIATED_UNIT
        child = NodeInput(f"{code}9", "陷阱", "Trap child", child_level, child_kind)
        create_node(session, None, child, trap)
        add_user(session, trap, f"trap-{code}", Role.ADMIN, display_name="Trap")
    add_user(session, "330402", "nanhu-clerk", Role.SUBMITTER, display_name="Nanhu clerk")
    for someone in session.scalars(select(User)).all():
        session.add(
            ApiToken(
                customer_id=someone.customer_id,
                user_id=someone.id,
                name="script",
                prefix="rl_test",
                token_hash=f"token-{someone.id}",
            )
        )
        session.add(
            WebSession(
                user_id=someone.id,
                token_hash=f"session-{someone.id}",
                csrf_token="c",
                expires_at=utcnow(),
            )
        )
    session.commit()


@dataclass
class Expected:
    """What one user may see, by the rule, as database ids."""

    customer_id: int
    nodes: set[int]  # everything shown as a node (ancestors included)
    writable: set[int]  # subtrees and own nodes (no ancestors)
    users: set[int]
    grants: set[int]
    tokens: set[int]


def expected(session: Session, username: str) -> Expected:
    """What ``username`` may see, worked out from the rows by walking ``parent_id`` links (not
    paths, not ``TenantScope``): an oracle sharing no code with the scope it checks."""
    nodes = {n.id: n for n in session.scalars(select(TenantNode))}

    def chain(node_id: int | None) -> list[int]:
        out = []
        while node_id is not None:
            out.append(node_id)
            node_id = nodes[node_id].parent_id
        return out

    who = session.scalar(select(User).where(User.username == username))
    grants = session.scalars(select(RoleGrant)).all()
    writable, reached = {who.node_id}, [who.node_id]
    for grant in grants:
        if grant.user_id == who.id:
            reached.append(grant.node_id)
            if grant.role is Role.SUBMITTER:
                writable.add(grant.node_id)
            else:
                writable |= {n for n in nodes if grant.node_id in chain(n)}
    ancestors = {a for n in reached for a in chain(n)[1:]}
    users = {u.id for u in session.scalars(select(User)) if u.node_id in writable}
    return Expected(
        customer_id=who.customer_id,
        nodes=writable | ancestors,
        writable=writable,
        users=users,
        grants={g.id for g in grants if g.node_id in writable},
        tokens={t.id for t in session.scalars(select(ApiToken)) if t.user_id in users},
    )
