"""Finding templates: the list the API pages (narrowed as asked), a family by its code and a
family's newest version."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from scoring.templates.models import Template, TemplateFamily, TemplateState


def templates_query(
    *,
    state: TemplateState | None = None,
    family_code: str | None = None,
    owner_id: int | None = None,
) -> Select[tuple[Template]]:
    """Templates in one state, of one family, or written by one unit."""
    query = select(Template)
    if state is not None:
        query = query.where(Template.state == state)
    if family_code is not None:
        query = query.join(TemplateFamily, TemplateFamily.id == Template.family_id)
        query = query.where(TemplateFamily.code == family_code)
    if owner_id is not None:
        query = query.where(Template.owner_node_id == owner_id)
    return query


def family_of_code(session: Session, code: str) -> TemplateFamily | None:
    """The family with this code, if the session sees one."""
    return session.scalars(select(TemplateFamily).where(TemplateFamily.code == code)).one_or_none()


def latest_version(session: Session, family: TemplateFamily) -> Template:
    """The family's highest version (a draft, or the published or archived one)."""
    newest = select(func.max(Template.version)).where(Template.family_id == family.id)
    return session.scalars(
        select(Template).where(
            Template.family_id == family.id, Template.version == newest.scalar_subquery()
        )
    ).one()
