"""Generated worlds for the isolation properties: provinces, users, grants, and what each may see.

A world is two provinces: ``A``, a random tree of cities, counties and townships with users
holding random role grants, and ``B``, a small province that is only ever a victim. Every unit
has a hazard and an accident (rows owned by a node), every province a template (a row owned by
the customer), every user an API token. What a user of ``A`` may see is worked out by
``tests.factories.tenants.expected`` (an oracle walking ``parent_id`` links, sharing no code with
``TenantScope``); everything else is a victim: units of ``A`` outside the user's scope (a
sibling county, the children of a submitter's unit) and all of ``B``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import Engine, MetaData, event, select
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from scoring.ledgers.models import (
    Accident,
    AccidentClass,
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    ReportStatus,
    Sector,
)
from scoring.templates import service as templates
from scoring.templates.models import Template
from tenants.hierarchy import NodeInput, create_node
from tenants.models import (
    ApiToken,
    Role,
    RoleGrant,
    TenantKind,
    TenantLevel,
    TenantNode,
    User,
)
from tenants.users import grant_role
from tests.factories.api import gid
from tests.factories.templates import sample_content
from tests.factories.tenants import Expected, add_user, expected
from tests.factories.walk import ID_KINDS, ID_KINDS_OF, Objects, Secrets, model_version

ROLES = list(Role)
LEVELS = [TenantLevel.PROVINCE, TenantLevel.CITY, TenantLevel.COUNTY, TenantLevel.TOWNSHIP]
KINDS = {
    TenantLevel.PROVINCE: TenantKind.PROVINCE,
    TenantLevel.CITY: TenantKind.CITY,
    TenantLevel.COUNTY: TenantKind.COUNTY,
    TenantLevel.TOWNSHIP: TenantKind.TOWN,
}
# Province A's codes start 11, B's 22: six digits, unique, never a count or an id in an answer.
PREFIX = {"A": "11", "B": "22"}
HAN = {"A": "甲", "B": "乙"}
# An id of no row: kinds the world has no object of are walked with it (the call still runs).
NO_ROW = "987654321"


# --- what hypothesis draws ---------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    home: int  # index of the user's unit in the province's units
    grants: tuple[tuple[Role, int], ...]  # (role, index of a unit in the home's subtree)


@dataclass(frozen=True)
class WorldSpec:
    parents: tuple[int | None, ...]  # A's units: the index of each one's parent (root: None)
    victim_parents: tuple[int | None, ...]  # B's units
    users: tuple[UserSpec, ...]
    pick: int  # which victim a user's calls name, among those it may not see


def _depths(parents: tuple[int | None, ...]) -> list[int]:
    out: list[int] = []
    for p in parents:
        out.append(0 if p is None else out[p] + 1)
    return out


def subtree(parents: tuple[int | None, ...], root: int) -> list[int]:
    """The indexes of ``root`` and its descendants (parents come before their children)."""
    inside = {root}
    for i, p in enumerate(parents):
        if p is not None and p in inside:
            inside.add(i)
    return sorted(inside)


@st.composite
def trees(draw: st.DrawFn, max_units: int) -> tuple[int | None, ...]:
    """A province and a random tree of cities, counties and townships below it: each new unit
    goes under a unit of the level above (parents before children)."""
    parents: list[int | None] = [None]
    size = draw(st.integers(2, max_units))
    for _ in range(size - 1):
        depths = _depths(tuple(parents))
        candidates = [i for i, d in enumerate(depths) if d < len(LEVELS) - 1]
        parents.append(draw(st.sampled_from(candidates)))
    return tuple(parents)


@st.composite
def worlds(draw: st.DrawFn, max_units: int = 9, max_users: int = 3) -> WorldSpec:
    """A province with users holding random grants on random units, and a victim province."""
    parents = draw(trees(max_units))
    victim_parents = draw(trees(4))
    users = []
    for _ in range(draw(st.integers(1, max_users))):
        home = draw(st.integers(0, len(parents) - 1))
        below = subtree(parents, home)
        grants = draw(
            st.lists(
                st.tuples(st.sampled_from(ROLES), st.sampled_from(below)),
                max_size=3,
                unique=True,
            )
        )
        users.append(UserSpec(home, tuple(grants)))
    return WorldSpec(parents, victim_parents, tuple(users), draw(st.integers(0, 1000)))


# --- the world in the database -------------------------------------------------------------------


@dataclass
class World:
    spec: WorldSpec
    units: dict[str, list[TenantNode]]  # "A", "B" -> units by index
    usernames: list[str]  # A's generated users, as in spec.users
    templates: dict[str, Template]
    customer: dict[str, int]


def _unit_input(province: str, index: int, level: TenantLevel) -> NodeInput:
    code = f"{PREFIX[province]}{index:04d}"
    return NodeInput(
        code,
        f"{HAN[province]}单位{index:03d}",
        f"Unit {province}{index:03d}",
        level,
        KINDS[level],
    )


def build(session: Session, spec: WorldSpec) -> World:
    """The world of ``spec`` (committed), made by the services as the system."""
    units: dict[str, list[TenantNode]] = {}
    for province, parents in (("A", spec.parents), ("B", spec.victim_parents)):
        made: list[TenantNode] = []
        for index, (parent, depth) in enumerate(zip(parents, _depths(parents), strict=True)):
            up = None if parent is None else made[parent]
            made.append(create_node(session, None, _unit_input(province, index, LEVELS[depth]), up))
        units[province] = made
    usernames = []
    for n, user_spec in enumerate(spec.users):
        name = f"usr.a.{n:03d}"
        someone = add_user(session, units["A"][user_spec.home], name, display_name=f"用户甲{n:03d}")
        for role, at in user_spec.grants:
            grant_role(session, None, someone, units["A"][at], role)
        usernames.append(name)
    add_user(session, units["B"][0], "usr.b.000", Role.ADMIN, display_name="用户乙000")
    for province, made in units.items():
        for index, unit in enumerate(made):
            tag = f"{HAN[province]}{index:03d}"
            session.add(
                Hazard(
                    customer_id=unit.customer_id,
                    node_id=unit.id,
                    title=f"隐患{tag}",
                    place=f"地点{tag}",
                    sector=Sector.FIRE,
                    severity=HazardSeverity.GENERAL,
                    source=HazardSource.SELF_INSPECTION,
                    found_on=date(2026, 3, 1),
                    deadline=date(2026, 4, 1),
                    state=HazardState.OPEN,
                )
            )
            session.add(
                Accident(
                    customer_id=unit.customer_id,
                    node_id=unit.id,
                    occurred_on=date(2026, 3, 2),
                    title=f"事故{tag}",
                    sector=Sector.ROAD_TRANSPORT,
                    deaths=1,
                    serious_injuries=0,
                    direct_loss=Decimal(0),
                    accident_class=AccidentClass.GENERAL,
                    report_status=ReportStatus.ON_TIME,
                )
            )
    made_templates = {}
    for province, made in units.items():
        made_templates[province] = templates.create_template(
            session,
            None,
            owner_node=made[0],
            family_code=f"fam-{province.lower()}",
            family_name=f"考核族{HAN[province]}",
            content=replace(sample_content(), title=f"考核细则{HAN[province]}"),
        )
    for someone in session.scalars(select(User)).all():
        session.add(
            ApiToken(
                customer_id=someone.customer_id,
                user_id=someone.id,
                name=f"令牌{someone.username}",
                prefix="rl_test",
                token_hash=hashlib.sha256(someone.username.encode()).hexdigest(),
            )
        )
    session.commit()
    return World(
        spec,
        units,
        usernames,
        made_templates,
        {p: made[0].customer_id for p, made in units.items()},
    )


def empty_database(engine: Engine) -> None:
    """Every row of every table gone (a world per example), as after every test."""
    from tests.conftest import _empty_all_tables

    _empty_all_tables(engine)


# --- one user's view: its objects, the victims' and the secrets ---------------------------------


@dataclass
class View:
    """What one user of A may see (the oracle's), the objects its calls name, and the secrets."""

    username: str
    scope: Expected
    objects: Objects
    secrets: Secrets
    own_names: set[str] = field(default_factory=set)  # in scope: the detector's control


def _pick(rows: list[Any], pick: int) -> Any | None:
    return rows[pick % len(rows)] if rows else None


def view_of(session: Session, world: World, username: str) -> View:
    """The oracle's scope of ``username``, its own objects, one victim object of every kind (of
    A where one is outside its scope, else B's), and what of the victims it must never read."""
    session.rollback()
    scope = expected(session, username)
    me = session.scalars(select(User).where(User.username == username)).one()
    pick = world.spec.pick
    nodes = session.scalars(select(TenantNode).order_by(TenantNode.id)).all()
    users = session.scalars(select(User).order_by(User.id)).all()
    grants = session.scalars(select(RoleGrant).order_by(RoleGrant.id)).all()
    tokens = session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    hazards = session.scalars(select(Hazard).order_by(Hazard.id)).all()
    accidents = session.scalars(select(Accident).order_by(Accident.id)).all()
    a, b = world.customer["A"], world.customer["B"]

    def foreign_first(rows: list[Any], visible: Any) -> Any:
        """A victim of A (outside the scope) when there is one, else one of B."""
        inside = [r for r in rows if r.customer_id == a and not visible(r)]
        return _pick(inside, pick) or _pick([r for r in rows if r.customer_id == b], pick)

    victims: dict[str, Any] = {
        "Tenant": foreign_first(nodes, lambda n: n.id in scope.nodes),
        "User": foreign_first(users, lambda u: u.id in scope.users),
        "RoleGrant": foreign_first(grants, lambda g: g.id in scope.grants),
        "ApiToken": foreign_first(tokens, lambda t: t.id in scope.tokens),
        "Hazard": foreign_first(hazards, lambda h: h.node_id in scope.writable),
        "Accident": foreign_first(accidents, lambda x: x.node_id in scope.writable),
        "Template": world.templates["B"],
    }
    own_rows: dict[str, Any] = {
        "Tenant": session.get(TenantNode, me.node_id),
        "User": me,
        "RoleGrant": next((g for g in grants if g.user_id == me.id), None),
        "ApiToken": next((t for t in tokens if t.user_id == me.id), None),
        "Hazard": next((h for h in hazards if h.node_id == me.node_id), None),
        "Accident": next((x for x in accidents if x.node_id == me.node_id), None),
        "Template": world.templates["A"],
    }
    from strawberry.types import get_object_definition

    from graphql_schema.schema import NODE_TYPES

    # Every node type, and every type the walk's tables say an id names (one that is not a
    # node type yet has no row here either).
    kinds = {get_object_definition(t, strict=True).name for t in NODE_TYPES}
    kinds |= {k for k in (*ID_KINDS.values(), *ID_KINDS_OF.values()) if k != "*"}
    victim_ids, own_ids, versions = {}, {}, {}
    for kind in sorted(kinds):
        row = victims.get(kind)
        victim_ids[kind] = gid(kind, row.id) if row is not None else str(GlobalID(kind, NO_ROW))
        if row is not None and (v := model_version(row)) is not None:
            versions[victim_ids[kind]] = v
        if own_rows.get(kind) is not None:
            own_ids[kind] = gid(kind, own_rows[kind].id)
    objects = Objects(victim_ids, own_ids, versions, unit_code=victims["Tenant"].code)

    hidden_nodes = [n for n in nodes if n.id not in scope.nodes]
    hidden_users = [u for u in users if u.id not in scope.users]
    hidden_hazards = [h for h in hazards if h.node_id not in scope.writable]
    hidden_accidents = [x for x in accidents if x.node_id not in scope.writable]
    names = {n.name_zh for n in hidden_nodes} | {n.name_en for n in hidden_nodes}
    names |= {u.username for u in hidden_users} | {u.display_name for u in hidden_users}
    names |= {h.title for h in hidden_hazards} | {h.place for h in hidden_hazards if h.place}
    names |= {x.title for x in hidden_accidents}
    names |= {f"令牌{u.username}" for u in hidden_users}
    b_template = world.templates["B"]
    names |= {b_template.title, f"考核族{HAN['B']}"}
    ids = {gid("Tenant", n.id) for n in hidden_nodes}
    ids |= {gid("User", u.id) for u in hidden_users}
    ids |= {gid("RoleGrant", g.id) for g in grants if g.id not in scope.grants}
    ids |= {gid("ApiToken", t.id) for t in tokens if t.id not in scope.tokens}
    ids |= {gid("Hazard", h.id) for h in hidden_hazards}
    ids |= {gid("Accident", x.id) for x in hidden_accidents}
    b_templates = session.scalars(select(Template.id).where(Template.customer_id == b)).all()
    ids |= {gid("Template", t) for t in b_templates}
    secrets = Secrets(codes={n.code for n in hidden_nodes}, names=names, ids=ids)
    own_names = {h.title for h in hazards if h.node_id in scope.writable}
    own_names |= {n.name_zh for n in nodes if n.id in scope.writable}
    session.rollback()
    return View(username, scope, objects, secrets, own_names)


# --- the database, before and after: the rows outside a user's scope -----------------------------


def _reference_columns(metadata: MetaData) -> dict[str, dict[str, str]]:
    """Per table, its columns naming a unit or a user ("tenant_node" / "app_user")."""
    out: dict[str, dict[str, str]] = {}
    for table in metadata.sorted_tables:
        refs = {}
        for fk in table.foreign_keys:
            if fk.column.table.name in ("tenant_node", "app_user") and fk.parent.name != "id":
                refs[fk.parent.name] = fk.column.table.name
        out[table.name] = refs
    return out


# Writes every act makes, whoever acts, that hold nothing of a province's data (table -> why).
NOT_TENANT_DATA = {
    "audit_chain": "the heads of the audit trail's hash chains: every audited act moves its"
    " province's (or the system's) head; the entries themselves are checked",
}
# Tables whose rows of no province a user's act may add (table -> why).
SYSTEM_ROWS = {
    "audit_entry": "a failed sign-in under a name no province has is audited as the system's",
}


class WriteWatch:
    """The tables written through an engine since last asked (INSERT, UPDATE, DELETE
    statements), and those a foreign key's ON DELETE action may change with them: a snapshot
    after a call need only look again at those (a write snapshotted as a whole after every
    mutation costs seconds per user on PostgreSQL)."""

    WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)

    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self.engine, self.written = engine, set()
        self.dependents: dict[str, set[str]] = {t: set() for t in metadata.tables}
        for table in metadata.sorted_tables:
            for fk in table.foreign_keys:
                if (fk.ondelete or "").upper() in ("CASCADE", "SET NULL", "SET DEFAULT"):
                    self.dependents[fk.column.table.name].add(table.name)
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        match = self.WRITE.match(statement)
        if match:
            self.written.add(match.group(1))

    def take(self) -> set[str]:
        """The tables written since the last call, with their dependents (transitively)."""
        out, todo = set(), list(self.written)
        self.written = set()
        while todo:
            name = todo.pop()
            if name in out or name not in self.dependents:
                continue
            out.add(name)
            todo += self.dependents[name]
        return out

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def outside_snapshot(
    engine: Engine,
    metadata: MetaData,
    customer_id: int,
    scope: Expected,
    user_id: int,
    tables: set[str] | None = None,
) -> dict[str, tuple[int, str]]:
    """Per table, the count and a hash of the rows outside what the user may write: every row
    of another province; of its own province, a unit outside its writable units (ancestors
    included), and a row naming such a unit or a user it may not see. Rows of its province that
    name no unit nor user (an outbox message, a job run) cannot be told apart and are left out,
    as are the user's own browser sessions."""
    refs = _reference_columns(metadata)
    inside = {"tenant_node": scope.writable, "app_user": scope.users}
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if tables is not None and table.name not in tables:
                continue
            if table.name in NOT_TENANT_DATA:
                continue
            pk = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*pk)).mappings().all()
            kept = []
            for row in rows:
                if table.name == "web_session" and row["user_id"] == user_id:
                    continue
                if table.name in SYSTEM_ROWS and row["customer_id"] is None:
                    continue
                if "customer_id" in table.c and row["customer_id"] == customer_id:
                    if table.name == "tenant_node":
                        if row["id"] in scope.writable:
                            continue
                    elif table.name == "app_user":
                        if row["id"] in scope.users:
                            continue
                    else:
                        named = [
                            (row[c], target) for c, target in refs[table.name].items() if row[c]
                        ]
                        if all(v in inside[t] for v, t in named):
                            continue
                kept.append(tuple(row.values()))
            digest = hashlib.sha256(repr(kept).encode()).hexdigest()
            out[table.name] = (len(kept), digest)
    return out
