"""Counting ledger rows for many units at once: one query over their subtrees, then each row
goes to every requested unit whose subtree holds it (a township's hazard counts for the
township, its district and its city alike)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement, and_, or_

from tenants.models import TenantNode
from tenants.scope import in_subtree


class _Owned(Protocol):
    customer_id: int


Row = TypeVar("Row", bound=_Owned)


def outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another one of them: fewer, equivalent subtree conditions."""
    unique = sorted(set(paths))
    return [p for p in unique if not any(p != q and p.startswith(q) for q in unique)]


def in_subtrees(
    customer_column: ColumnElement[int], nodes: Sequence[TenantNode]
) -> ColumnElement[bool]:
    """Rows (joined to their TenantNode) in the subtree of any of ``nodes``; the ledger table's
    ``customer_column`` narrows to the nodes' customers first."""
    return and_(
        customer_column.in_({n.customer_id for n in nodes}),
        or_(*(in_subtree(TenantNode.path, p) for p in outermost(n.path for n in nodes))),
    )


def _prefixes(path: str) -> Iterator[str]:
    """ "/a/b/" -> "/a/", "/a/b/": the paths of the node and of its ancestors."""
    codes = path.strip("/").split("/")
    for depth in range(1, len(codes) + 1):
        yield "/" + "/".join(codes[:depth]) + "/"


def by_subtree(
    rows: Iterable[tuple[Row, str]], nodes: Sequence[TenantNode]
) -> dict[int, list[Row]]:
    """``(row, its node's path)`` pairs given to each node (by id) whose subtree holds the row,
    in the order given; every node has a list, maybe empty."""
    ids: dict[tuple[int, str], list[int]] = defaultdict(list)
    for node in nodes:
        ids[(node.customer_id, node.path)].append(node.id)
    found: dict[int, list[Row]] = {node.id: [] for node in nodes}
    for row, path in rows:
        for prefix in _prefixes(path):
            for node_id in ids.get((row.customer_id, prefix), ()):
                found[node_id].append(row)
    return found
