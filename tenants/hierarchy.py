"""Creating, renaming and moving tenant nodes, with the hierarchy's rules checked first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.inputs import InputRejected, check_text
from tenants.access import Actor
from tenants.models import REGION_KINDS, Customer, Role, TenantKind, TenantLevel, TenantNode
from tenants.scope import in_subtree

CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,39}")
NAME_MAX = 200
# A province code is also its customer's code, a shorter column than the node's.

# A province's code space: the codes beginning with the first two characters of its code (the
# province digits of an administrative code, GB/T 2260: Zhejiang 330000 -> 33). Every unit of a
# province has a code in its space, and no two provinces share one, so a code another province
# could hold is refused as invalid whether or not it holds it: no answer tells a caller what
# another province has.
CODE_SPACE_LENGTH = 2


def nodes_by_id(session: Session, ids: Iterable[int]) -> dict[int, TenantNode]:
    """The tenant nodes of ``ids`` the session sees, by id: one query (none for no ids)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {n.id: n for n in session.scalars(select(TenantNode).where(TenantNode.id.in_(wanted)))}


def check_code(code: str, field: str = "code") -> Problem | None:
    """A code is 1-40 letters, digits or hyphens (administrative codes are digits)."""
    if not code:
        return Problem(field, "must not be empty", ErrorCode.REQUIRED)
    # fullmatch: with match() and "$", a trailing newline would slip into codes and paths.
    if not CODE_PATTERN.fullmatch(code):
        return Problem(
            field,
            f"{code!r} is not a valid code: use 1-40 letters, digits or '-', starting with a "
            "letter or digit",
            ErrorCode.INVALID,
        )
    return None


def code_space(province_code: str) -> str:
    """The prefix every code in the province of ``province_code`` begins with."""
    return province_code[:CODE_SPACE_LENGTH]


def province_code_of(node: TenantNode) -> str:
    """The code of ``node``'s province (the first code of its path)."""
    return node.path.strip("/").split("/")[0]


def check_code_space(code: str, province_code: str, field: str = "code") -> Problem | None:
    """A unit's code lies in its province's code space (see CODE_SPACE_LENGTH)."""
    prefix = code_space(province_code)
    if code.startswith(prefix):
        return None
    return Problem(
        field,
        f"{code!r} is not a code of this province: its units' codes begin with {prefix!r}",
        ErrorCode.INVALID,
    )


def _check_new_province_space(session: Session, code: str) -> None:
    """A new province's code space overlaps no other province's (a system operation: the
    platform operator sees every province, so naming the other one tells nothing new)."""
    prefix = code_space(code)
    for other in session.scalars(select(Customer.code).order_by(Customer.code)):
        if prefix.startswith(code_space(other)) or code_space(other).startswith(prefix):
            raise fail(
                "code",
                f"the codes beginning with {prefix!r} belong to the province {other}",
                ErrorCode.DUPLICATE,
            )


def check_name_en(value: str, kind: TenantKind, field: str) -> Problem | None:
    """A region has an English name; a department, an affiliated unit or an enterprise may have
    none (blank: its Chinese name stands in)."""
    if not kind.is_region and not (value or "").strip():
        return None
    return check_name(value, field)


def check_name(value: str, field: str) -> Problem | None:
    """A name is clean text, not blank and at most 200 characters."""
    if not value or not value.strip():
        return Problem(field, "must not be empty", ErrorCode.REQUIRED)
    if len(value) > NAME_MAX:
        return Problem(field, f"is longer than {NAME_MAX} characters", ErrorCode.INVALID)
    try:
        check_text(value)  # the API checked already; a CSV file can hold anything
    except InputRejected as exc:
        return Problem(field, str(exc), ErrorCode.INVALID)
    return None


def parse_level(value: str, field: str = "level") -> TenantLevel | Problem:
    """The level named by ``value``, or the problem with it."""
    try:
        return TenantLevel(value.strip().lower())
    except ValueError:
        allowed = ", ".join(v.value for v in TenantLevel)
        return Problem(field, f"{value!r} is not a level (one of: {allowed})", ErrorCode.INVALID)


def parse_kind(value: str, field: str = "kind") -> TenantKind | Problem:
    """The kind named by ``value``, or the problem with it."""
    try:
        return TenantKind(value.strip().lower())
    except ValueError:
        allowed = ", ".join(v.value for v in TenantKind)
        return Problem(field, f"{value!r} is not a kind (one of: {allowed})", ErrorCode.INVALID)


def check_kind(level: TenantLevel, kind: TenantKind, field: str = "kind") -> Problem | None:
    """Region kinds belong to particular levels; departments exist at every level."""
    if kind.is_region and kind not in REGION_KINDS[level]:
        allowed = ", ".join(sorted(k.value for k in REGION_KINDS[level]))
        return Problem(
            field,
            f"a {level.value} cannot be a {kind.value} (a {level.value} region is one of: "
            f"{allowed}; or department, affiliated_unit, enterprise)",
            ErrorCode.INVALID,
        )
    return None


def check_placement(
    level: TenantLevel,
    kind: TenantKind,
    parent: tuple[TenantLevel, TenantKind] | None,
    field: str = "parent",
) -> Problem | None:
    """The level-order rule: a region sits exactly one level below a region; a department or
    affiliated unit sits at its parent's own level; only a province has no parent."""
    if parent is None:
        if level is TenantLevel.PROVINCE and kind.is_region:
            return None
        return Problem(field, f"a {level.value} {kind.value} needs a parent", ErrorCode.REQUIRED)
    parent_level, parent_kind = parent
    if kind.is_region:
        if not parent_kind.is_region:
            return Problem(
                field,
                f"a region ({kind.value}) cannot sit under a {parent_kind.value}",
                ErrorCode.LEVEL_ORDER,
            )
        if level.rank != parent_level.rank + 1:
            return Problem(
                field,
                f"a {level.value} cannot sit directly under a {parent_level.value}"
                + (
                    f" (expected a {TenantLevel(list(TenantLevel)[parent_level.rank + 1]).value})"
                    if parent_level is not TenantLevel.TOWNSHIP
                    else " (a township is the lowest region level)"
                ),
                ErrorCode.LEVEL_ORDER,
            )
        return None
    if level is not parent_level:
        return Problem(
            field,
            f"a {kind.value} has its parent's level ({parent_level.value}), not {level.value}",
            ErrorCode.LEVEL_ORDER,
        )
    return None


def child_path(parent_path: str | None, code: str) -> str:
    """The materialised path of a node with ``code`` under ``parent_path``."""
    return f"{parent_path or '/'}{code}/"


@dataclass
class NodeInput:
    """What defines a node; shared by the API and the importer."""

    code: str
    name_zh: str
    name_en: str
    level: TenantLevel
    kind: TenantKind


def _validate(data: NodeInput, parent: TenantNode | None) -> None:
    problems = [
        p
        for p in (
            check_code(data.code)
            or (check_code_space(data.code, province_code_of(parent)) if parent else None),
            check_name(data.name_zh, "nameZh"),
            check_name_en(data.name_en, data.kind, "nameEn"),
            check_kind(data.level, data.kind),
        )
        if p is not None
    ]
    if not problems:
        placement = check_placement(
            data.level, data.kind, (parent.level, parent.kind) if parent else None, "parentId"
        )
        if placement:
            problems.append(placement)
    if problems:
        raise DomainError(problems)


@contextmanager
def _claiming_code(session: Session, code: str) -> Iterator[None]:
    """Run the block in a savepoint; a unique clash on a code or path becomes a DUPLICATE error
    and undoes only the block (whatever it added is dropped from the session).

    Codes are unique across all customers, which a scoped session cannot see, so the database's
    unique constraint decides; the savepoint keeps the rest of the transaction usable.

    begin_nested() flushes what is pending before the savepoint opens, so the caller's earlier
    changes are flushed first, outside (their failures are not ours to rename): every change
    this module makes must be made inside the block.
    """
    session.flush()
    try:
        with session.begin_nested():
            yield
    except IntegrityError as exc:
        if "code" not in str(exc.orig).lower() and "path" not in str(exc.orig).lower():
            raise
        raise fail("code", f"{code} is already used by another unit", ErrorCode.DUPLICATE) from None


def create_node(
    session: Session, actor: Actor | None, data: NodeInput, parent: TenantNode | None
) -> TenantNode:
    """Add a node under ``parent`` (a province, with its customer, when there is none).

    ``actor`` None means a system operation (CLI import); otherwise the actor must be an admin
    over the parent. The caller commits.
    """
    data.name_zh, data.name_en, data.code = data.name_zh.strip(), data.name_en.strip(), data.code
    _validate(data, parent)
    if actor is not None:
        if parent is None:
            raise fail(
                "parentId",
                "provinces are created by the platform operator",
                ErrorCode.PERMISSION_DENIED,
            )
        actor.require(parent, Role.ADMIN, field="parentId")
    if parent is None:
        _check_new_province_space(session, data.code)
    node = TenantNode(
        customer_id=parent.customer_id if parent else None,
        parent_id=parent.id if parent else None,
        code=data.code,
        name_zh=data.name_zh,
        name_en=data.name_en,
        level=data.level,
        kind=data.kind,
        path=child_path(parent.path if parent else None, data.code),
        depth=(parent.depth + 1) if parent else 0,
    )
    # The province's customer and the node succeed or fail together: a clash on either code
    # must not leave a customer without its province behind in the caller's transaction.
    with _claiming_code(session, data.code):
        if parent is None:
            customer = Customer(code=data.code, name=data.name_en)
            session.add(customer)
            session.flush()
            node.customer_id = customer.id
        session.add(node)
        session.flush()
    return node


def update_node(
    session: Session,
    actor: Actor | None,
    node: TenantNode,
    *,
    name_zh: str | None = None,
    name_en: str | None = None,
    kind: TenantKind | None = None,
    code: str | None = None,
    parent: TenantNode | None = None,
) -> TenantNode:
    """Rename, re-kind, re-code or move a node (with its subtree). The caller commits."""
    if actor is not None:
        actor.require(node, Role.ADMIN, field="id")
        if parent is not None:
            actor.require(parent, Role.ADMIN, field="parentId")
    problems: list[Problem] = []
    if name_zh is not None and (p := check_name(name_zh, "nameZh")):
        problems.append(p)
    if name_en is not None and (p := check_name_en(name_en, kind or node.kind, "nameEn")):
        problems.append(p)
    # A new code is valid and, a province's as a unit's, in the province's code space.
    if code is not None and (
        (p := check_code(code))
        or (code != node.code and (p := check_code_space(code, province_code_of(node))))
    ):
        problems.append(p)
    if kind is not None and (p := check_kind(node.level, kind)):
        problems.append(p)
    new_kind = kind or node.kind
    if kind is not None and kind.is_region != node.kind.is_region and _has_children(session, node):
        problems.append(
            Problem(
                "kind",
                "a unit with children cannot switch between region and department",
                ErrorCode.INVALID,
            )
        )
    moving = parent is not None and parent.id != node.parent_id
    if moving:
        assert parent is not None
        if parent.customer_id != node.customer_id:
            problems.append(
                Problem("parentId", "a unit cannot move to another province", ErrorCode.INVALID)
            )
        elif parent.path.startswith(node.path):
            problems.append(
                Problem(
                    "parentId",
                    f"{parent.code} is inside {node.code}: a unit cannot move under itself",
                    ErrorCode.CYCLE,
                )
            )
    if not problems and (moving or kind is not None):
        target = parent if moving else _parent_of(session, node)
        placement = check_placement(
            node.level, new_kind, (target.level, target.kind) if target else None, "parentId"
        )
        if placement:
            problems.append(placement)
    if problems:
        raise DomainError(problems)
    new_code = code if code is not None else node.code
    rewrite = moving or new_code != node.code
    if rewrite:
        assert not moving or parent is not None
        old_path = node.path
        parent_path = parent.path if moving else (_parent_path(node) if node.parent_id else None)
        depth_delta = (parent.depth + 1 - node.depth) if moving else 0
    # A province's customer carries its code and name: they change together.
    customer = session.get_one(Customer, node.customer_id) if node.parent_id is None else None
    # Every change is made inside the savepoint (see _claiming_code).
    with _claiming_code(session, new_code):
        if name_zh is not None:
            node.name_zh = name_zh.strip()
        if name_en is not None:
            node.name_en = name_en.strip()
        if kind is not None:
            node.kind = kind
        if customer is not None:
            customer.code, customer.name = new_code, node.name_en
        node.code = new_code
        if moving:
            node.parent_id = parent.id
        session.flush()
        if rewrite:
            _rewrite_subtree(session, old_path, child_path(parent_path, new_code), depth_delta)
    return node


def _parent_path(node: TenantNode) -> str:
    return node.path[: node.path.rstrip("/").rfind("/") + 1]


def _parent_of(session: Session, node: TenantNode) -> TenantNode | None:
    return session.get(TenantNode, node.parent_id) if node.parent_id else None


def _has_children(session: Session, node: TenantNode) -> bool:
    return session.scalar(select(func.count()).where(TenantNode.parent_id == node.id)) > 0


def _rewrite_subtree(session: Session, old: str, new: str, depth_delta: int) -> None:
    """Move every path under ``old`` to under ``new`` in one statement (the caller flushed)."""
    session.execute(
        update(TenantNode)
        .where(in_subtree(TenantNode.path, old))
        .values(
            path=literal(new) + func.substr(TenantNode.path, len(old) + 1),
            depth=TenantNode.depth + depth_delta,
        )
        .execution_options(synchronize_session="fetch")
    )
