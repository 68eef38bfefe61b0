"""The demo's people (users.csv): the accounts it prints, the story's clerks, and the actors the
loaders replay the story as, named in the tables by username."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.demo.tables import Row, table
from tenants.access import Actor, load_actor
from tenants.models import Role, TenantNode, User
from tenants.users import create_user

DEMO_PASSWORD = "redline-demo"  # noqa: S105 - the published demo password
USERS = "username display_name unit_code roles story_only note"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    node_code: str
    roles: tuple[Role, ...]
    note: str
    story_only: bool  # a clerk of the story: no known password


def _user(row: Row) -> DemoUser:
    return DemoUser(
        row.text("username"),
        row.text("display_name"),
        row.text("unit_code"),
        tuple(_role(row, word) for word in row.words("roles")),
        row.optional("note"),
        row.flag("story_only"),
    )


def _role(row: Row, word: str) -> Role:
    try:
        return Role(word)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise row.fail("roles", f"unknown role {word!r}: use {known}") from None


def demo_users() -> tuple[DemoUser, ...]:
    return tuple(_user(row) for row in table("users.csv", USERS))


def accounts() -> tuple[DemoUser, ...]:
    """The accounts people sign in with (the demo password)."""
    return tuple(user for user in demo_users() if not user.story_only)


def create_accounts(session: Session) -> None:
    """The accounts of users.csv, in one transaction."""
    with unit_of_work(session):
        for row, user in _missing(session, story_only=False):
            _create(session, row, user, DEMO_PASSWORD)


def create_story_clerks(session: Session) -> None:
    """The story's clerks of users.csv that do not exist yet, each in its own transaction."""
    for row, user in _missing(session, story_only=True):
        with unit_of_work(session):
            _create(session, row, user, None)


def _missing(session: Session, *, story_only: bool) -> list[tuple[Row, DemoUser]]:
    existing = set(session.scalars(select(User.username)))
    return [
        (row, user)
        for row, user in zip(table("users.csv", USERS), demo_users(), strict=True)
        if user.story_only is story_only and user.username not in existing
    ]


def _create(session: Session, row: Row, user: DemoUser, password: str | None) -> None:
    node = session.scalar(select(TenantNode).where(TenantNode.code == user.node_code))
    if node is None:
        raise row.fail("unit_code", f"no unit {user.node_code!r}")
    with row.applying():
        create_user(
            session,
            None,
            node,
            username=user.username,
            display_name=user.display_name,
            password=password or _unusable_password(node),
            roles=user.roles,
            generated=password is None,
        )


def _unusable_password(node: TenantNode) -> str:
    # Clerks made for the story only: nobody is meant to sign in as them.
    return f"story-only-{node.code}-{random.SystemRandom().getrandbits(64):x}"


class People:
    """The places and people the tables name: units by code, actors by username."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.nodes = {n.code: n for n in session.scalars(select(TenantNode))}
        self.users = {u.username: u for u in session.scalars(select(User))}
        self._actors: dict[str, Actor] = {}

    def node(self, row: Row, column: str) -> TenantNode:
        return row.pick(column, self.nodes, "unit", "places.csv")

    def nodes_of(self, row: Row, column: str) -> list[TenantNode]:
        """The units a ``;``-separated list of codes names (empty when blank)."""
        unknown = [code for code in row.words(column) if code not in self.nodes]
        if unknown:
            raise row.fail(column, f"no unit {unknown[0]!r} in places.csv")
        return [self.nodes[code] for code in row.words(column)]

    def actor(self, row: Row, column: str) -> Actor:
        user = row.pick(column, self.users, "user", "users.csv")
        if user.username not in self._actors:
            self._actors[user.username] = load_actor(self.session, user)
        return self._actors[user.username]
