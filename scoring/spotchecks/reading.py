"""Who reads a spot-check draw: before it is published, the offices of the drawing unit and
above (an unannounced check stays unannounced); once published (一公开), every unit of the
drawing unit's subtree too."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from scoring.spotchecks.models import SpotCheckDraw, SpotCheckDrawTarget
from tenants.access import Actor
from tenants.models import TenantNode
from tenants.scope import in_subtree


def _prefixes(path: str) -> list[str]:
    """The paths of a node and of every node above it ("/a/b/" -> "/a/", "/a/b/")."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def draws_visible_to(session: Session, actor: Actor) -> Select[tuple[SpotCheckDraw]]:
    """The draws of the actor's province they may read (``session`` unused: the rule needs
    only the actor's nodes)."""
    del session
    node = TenantNode.__table__.c
    offices = [in_subtree(node.path, path) for path in actor.scope.subtree_paths]
    mine = sorted(
        {p for path in (actor.node_path, *(g.path for g in actor.grants)) for p in _prefixes(path)}
    )
    scope_paths = (
        select(node.id)
        .where(
            node.customer_id == actor.customer_id,
            or_(false(), *offices, node.path.in_(mine)),
        )
        .correlate(None)
    )
    office_paths = (
        select(node.id)
        .where(node.customer_id == actor.customer_id, or_(false(), *offices))
        .correlate(None)
    )
    return select(SpotCheckDraw).where(
        SpotCheckDraw.customer_id == actor.customer_id,
        SpotCheckDraw.scope_node_id.in_(scope_paths),
        or_(
            SpotCheckDraw.scope_node_id.in_(office_paths),
            SpotCheckDraw.published_at.is_not(None),
        ),
    )


def draws_of_cycle(session: Session, actor: Actor, cycle_id: int) -> Select[tuple[SpotCheckDraw]]:
    """The draws of one cycle the actor may read, in the order they were made."""
    return draws_visible_to(session, actor).where(SpotCheckDraw.cycle_id == cycle_id)


def targets_of(session: Session, draw_id: int) -> list[SpotCheckDrawTarget]:
    """A draw's targets, stratum by stratum in the order drawn (read through a visible draw)."""
    return list(
        session.scalars(
            select(SpotCheckDrawTarget)
            .where(SpotCheckDrawTarget.draw_id == draw_id)
            .order_by(SpotCheckDrawTarget.stratum, SpotCheckDrawTarget.position)
        )
    )


def readable(session: Session, actor: Actor, draw: SpotCheckDraw) -> bool:
    """Whether the actor may read ``draw`` (the rule of :func:`draws_visible_to`, for one)."""
    scope = session.get(TenantNode, draw.scope_node_id)
    if scope is None or draw.customer_id != actor.customer_id:
        return False
    if any(scope.path.startswith(path) for path in actor.scope.subtree_paths):
        return True
    mine = {
        p for path in (actor.node_path, *(g.path for g in actor.grants)) for p in _prefixes(path)
    }
    return draw.published_at is not None and scope.path in mine
