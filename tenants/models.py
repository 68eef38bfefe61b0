"""The tenant hierarchy, users, role grants and credentials, as mapped tables."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from redline.db import Base, Timestamped, UtcDateTime, enum_check, str_enum, utcnow


class TenantLevel(enum.StrEnum):
    """Administrative level, from the top: province > city > county > township."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"

    @property
    def rank(self) -> int:
        """0 for a province, 3 for a township."""
        return list(TenantLevel).index(self)


class TenantKind(enum.StrEnum):
    """What sort of unit a node is; regions have kinds per level, departments attach to a region."""

    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    COUNTY = "county"
    COUNTY_CITY = "county_city"
    TOWN = "town"
    TOWNSHIP = "township"
    STREET = "street"
    MANAGEMENT_REGION = "management_region"
    DEVELOPMENT_ZONE = "development_zone"
    DEPARTMENT = "department"
    AFFILIATED_UNIT = "affiliated_unit"
    ENTERPRISE = "enterprise"  # an enterprise the region supervises and assesses (企业)

    @property
    def is_region(self) -> bool:
        """False for departments, directly affiliated units and enterprises, which attach to
        a region at its level."""
        return self not in (
            TenantKind.DEPARTMENT,
            TenantKind.AFFILIATED_UNIT,
            TenantKind.ENTERPRISE,
        )


# Which region kinds exist at which level (departments exist at every level).
REGION_KINDS: dict[TenantLevel, frozenset[TenantKind]] = {
    TenantLevel.PROVINCE: frozenset({TenantKind.PROVINCE}),
    TenantLevel.CITY: frozenset({TenantKind.CITY}),
    TenantLevel.COUNTY: frozenset(
        {
            TenantKind.DISTRICT,
            TenantKind.COUNTY,
            TenantKind.COUNTY_CITY,
            TenantKind.DEVELOPMENT_ZONE,
        }
    ),
    TenantLevel.TOWNSHIP: frozenset(
        {
            TenantKind.TOWN,
            TenantKind.TOWNSHIP,
            TenantKind.STREET,
            TenantKind.MANAGEMENT_REGION,
            TenantKind.DEVELOPMENT_ZONE,
        }
    ),
}


class Role(enum.StrEnum):
    """What a user may do on the node a role is granted on (DOMAIN.md, "Tenants")."""

    ADMIN = "admin"  # manages the subtree: nodes, users, roles
    TEMPLATE_AUTHOR = "template_author"  # writes indicator templates for the subtree
    ASSESSOR = "assessor"  # reviews and spot-checks descendants
    SUBMITTER = "submitter"  # fills the node's own self-assessment
    VIEWER = "viewer"  # leaders: read the subtree

    @property
    def covers_subtree(self) -> bool:
        """A submitter acts for its own node only; every other role reaches the whole subtree."""
        return self is not Role.SUBMITTER


class Customer(Base, Timestamped):
    """A SaaS customer: one province. No data crosses customers."""

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class CustomerOwned:
    """Every tenant row carries its customer (province) id: the scope wall, the Citus shard key."""

    @declared_attr
    def customer_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("customer.id"), index=True)


class ProvinceSharded(CustomerOwned):
    """A row of a table the database may shard by province (Citus distributes it by
    ``customer_id``): its key is ``(id, customer_id)`` and every key to another such table
    carries the province too (``province_key``), so a row and all it refers to live on one
    shard. Ids stay unique on their own, so the ORM knows a row by its id alone.

    SQLite keeps ``id`` as its rowid key, with a unique ``(id, customer_id)`` beside it for
    the keys to point at (migration 0021).
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True, sort_order=-2)
    __mapper_args__ = {"primary_key": ["id"]}

    @declared_attr
    def customer_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("customer.id"), primary_key=True, index=True, sort_order=-1)


def province_key(column: str, table: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """The key from ``column`` to a row of ``table`` in the same province (both sharded)."""
    return ForeignKeyConstraint(
        [column, "customer_id"], [f"{table}.id", f"{table}.customer_id"], ondelete=ondelete
    )


class TenantNode(Base, CustomerOwned, Timestamped):
    """One assessed unit: a region (province, city, county, township) or a department of one.

    ``path`` is the materialised path of codes ("/330000/330400/330402/"); a subtree is the
    index-backed range [path, path + "0"), since "0" is the character right after "/".
    """

    __tablename__ = "tenant_node"
    __table_args__ = (
        CheckConstraint(enum_check("level", TenantLevel), name="level"),
        CheckConstraint(enum_check("kind", TenantKind), name="kind"),
        Index("ix_tenant_node_customer_parent", "customer_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    level: Mapped[TenantLevel] = mapped_column(str_enum(TenantLevel, 16))
    kind: Mapped[TenantKind] = mapped_column(str_enum(TenantKind, 24))
    # Byte-wise collation on PostgreSQL, so the range scan means "starts with".
    path: Mapped[str] = mapped_column(
        String(1000).with_variant(String(1000, collation="C"), "postgresql"), unique=True
    )
    depth: Mapped[int] = mapped_column(Integer)

    parent: Mapped[TenantNode | None] = relationship(remote_side=[id], lazy="raise_on_sql")

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to the parent."""
        return self.path.strip("/").split("/")[:-1]

    def __repr__(self) -> str:
        return f"<TenantNode {self.code} {self.name_en}>"


class NodeOwned(CustomerOwned):
    """A row that belongs to one tenant node; scoping lets a user see it when they see the node."""

    @declared_attr
    def node_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenant_node.id"), index=True)


class User(Base, NodeOwned, Timestamped):
    """A person who signs in; belongs to one node, acts through role grants."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by an admin's reset (and for new accounts): the next sign-in must choose a password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # The second factor (RFC 6238 TOTP): the secret being set up, then the one in use, and the
    # last time step accepted (a code is good once).
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")


# Usernames are unique whatever their case: PG-XJD and pg-xjd would be one account.
Index("uq_app_user_username_lower", func.lower(User.username), unique=True)


class RoleGrant(Base, NodeOwned):
    """A role held by a user on a node (and, for most roles, its subtree)."""

    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint("user_id", "node_id", "role", name="uq_role_grant_user_node_role"),
        CheckConstraint(enum_check("role", Role), name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, 24))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise_on_sql")


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, only its hash is stored."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    # Idle sessions end: the last request is noted (at most once a minute).
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class ApiToken(Base, CustomerOwned):
    """A bearer token for scripts, acting as its user; shown once, stored as a hash."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The token that made this one, if a script made it: revoking that one revokes this too.
    created_by_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL"), index=True
    )
