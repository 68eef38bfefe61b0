"""Users and their role grants: creating, disabling and enabling users, granting and revoking
roles on nodes."""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode, Problem, fail
from tenants import audit
from tenants.access import Actor, user_id_of
from tenants.hierarchy import check_name
from tenants.models import Role, RoleGrant, TenantNode, User
from tenants.passwords import hash_password, password_problems, temporary_password

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{2,79}$")


def create_user(
    session: Session,
    actor: Actor | None,
    node: TenantNode,
    *,
    username: str,
    display_name: str,
    password: str,
    roles: tuple[Role, ...] = (),
    must_change_password: bool = False,
    generated: bool = False,
) -> User:
    """Add a user belonging to ``node``, with roles on that node. The caller commits.

    Usernames are unique whatever their case, in every province: a name taken elsewhere is
    refused as taken (a username names one person across the whole service). A password a
    person chose must meet the policy; one the system ``generated`` (a temporary password, an
    unusable one) is not checked again."""
    if actor is not None:
        actor.require(node, Role.ADMIN, field="nodeId")
    problems: list[Problem] = []
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        problems.append(
            Problem(
                "username",
                "use 3-80 letters, digits or . _ @ -, starting with a letter or digit",
                ErrorCode.INVALID,
            )
        )
    if p := check_name(display_name, "displayName"):
        problems.append(p)
    if not generated:  # a password the system made is as strong as it makes it
        problems += password_problems(password, username=username, display_name=display_name)
    if problems:
        raise DomainError(problems)
    user = User(
        customer_id=node.customer_id,
        node_id=node.id,
        username=username,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    session.flush()  # begin_nested() flushes first: keep earlier changes out of the savepoint
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        raise fail("username", f"{username} is taken", ErrorCode.DUPLICATE) from None
    for role in roles:
        session.add(
            RoleGrant(
                customer_id=node.customer_id,
                user_id=user.id,
                node_id=node.id,
                role=role,
                granted_by_id=user_id_of(actor),
            )
        )
    session.flush()
    return user


def add_user(
    session: Session,
    actor: Actor,
    node: TenantNode,
    *,
    username: str,
    display_name: str,
    roles: tuple[Role, ...] = (),
) -> tuple[User, str]:
    """An admin adds a user to a unit they administer: the user and a temporary password to
    hand over, which must be changed at the first sign-in."""
    actor.require(node, Role.ADMIN, field="nodeId")
    password = temporary_password()
    user = create_user(
        session,
        actor,
        node,
        username=username,
        display_name=display_name,
        password=password,
        roles=roles,
        must_change_password=True,
        generated=True,
    )
    return user, password


def set_active(session: Session, actor: Actor, user: User, active: bool) -> User:
    """Disable a user (their sessions and API tokens stop working at once; nothing they did
    is lost) or enable them again. Admins cannot disable themselves."""
    node = session.get_one(TenantNode, user.node_id)
    actor.require(node, Role.ADMIN, field="id")
    if not active and user.id == actor.user_id:
        raise fail("id", "you cannot disable yourself; ask another admin", ErrorCode.INVALID)
    user.is_active = active
    session.flush()
    return user


def grant_role(
    session: Session, actor: Actor | None, user: User, node: TenantNode, role: Role
) -> RoleGrant:
    """Give ``user`` the ``role`` on ``node``, which must be the user's node or below it."""
    if actor is not None:
        actor.require(node, Role.ADMIN, field="nodeId")
    home = session.get_one(TenantNode, user.node_id)
    if node.customer_id != user.customer_id or not node.path.startswith(home.path):
        raise fail(
            "nodeId",
            f"{user.username} belongs to {home.code}: roles can only be granted "
            f"on {home.code} or units below it",
            ErrorCode.INVALID,
        )
    grant = RoleGrant(
        customer_id=node.customer_id,
        user_id=user.id,
        node_id=node.id,
        role=role,
        granted_by_id=user_id_of(actor),
    )
    session.flush()  # begin_nested() flushes first: keep earlier changes out of the savepoint
    try:
        with session.begin_nested():
            session.add(grant)
    except IntegrityError:
        raise fail(
            "role", f"{user.username} already has {role.value} on {node.code}", ErrorCode.DUPLICATE
        ) from None
    return grant


def revoke_role(session: Session, actor: Actor | None, grant: RoleGrant) -> None:
    """Take a role away. Admins cannot revoke their own admin role (another admin must)."""
    node = session.get_one(TenantNode, grant.node_id)
    if actor is not None:
        actor.require(node, Role.ADMIN, field="id")
        if grant.user_id == actor.user_id and grant.role is Role.ADMIN:
            raise fail(
                "id",
                "you cannot revoke your own admin role; ask another admin",
                ErrorCode.PERMISSION_DENIED,
            )
    user = session.get_one(User, grant.user_id)
    # The row goes; the audit log keeps what it said.
    audit.describe(
        session,
        node_id=node.id,
        subject=f"RoleGrant:{grant.id}",
        revoked={"user": user.username, "role": grant.role.value, "node": node.code},
    )
    session.delete(grant)
    session.flush()
