"""Writing templates: create, edit the draft, publish, archive, a new version, a city's local
extension. Each checks the author and the state first; the caller commits."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Null, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from redline import versions
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.templates.document import (
    CONTENT,
    MAX_CODE,
    MAX_FAMILY_NAME,
    ItemInput,
    TemplateContent,
    walk_items,
)
from scoring.templates.models import Template, TemplateFamily, TemplateState
from scoring.templates.storage import (
    bands_document,
    clear_tree,
    load_template,
    template_content,
    write_tree,
)
from scoring.templates.validation import (
    Checker,
    check_settings,
    content_problems,
    extension_problems,
    item_code,
    template_problems,
)
from tenants.access import Actor, user_id_of
from tenants.models import Role, TenantLevel, TenantNode


def _owner_node(session: Session, template: Template) -> TenantNode | None:
    return session.get(TenantNode, template.owner_node_id)


def _require_author(
    session: Session, actor: Actor | None, template: Template, field: str = "id"
) -> TenantNode | None:
    """The template's owner node, after checking the actor writes templates there."""
    node = _owner_node(session, template)
    if actor is None:
        return node
    if node is None:
        raise fail(field, "you cannot write this template", ErrorCode.PERMISSION_DENIED)
    actor.require(node, Role.TEMPLATE_AUTHOR, field=field)
    return node


def _name(template: Template) -> str:
    return f"template “{template.title}” version {template.version}"


def _require_draft(template: Template) -> None:
    if template.state is not TemplateState.DRAFT:
        raise fail(
            "id",
            f"{_name(template)} is {template.state}: it cannot change; make a new version",
            ErrorCode.INVALID_STATE,
        )


def _bump(session: Session, template: Template, expected_version: int, **values: object) -> None:
    """Set ``values`` and bump the lock version, only if nobody saved since ``expected_version``.

    One conditional UPDATE: two editors saving at once cannot both pass the check.
    """
    values = {"lock_version": expected_version + 1, "updated_at": utcnow(), **values}
    result = session.execute(
        update(Template)
        .where(
            Template.id == template.id,
            Template.lock_version == expected_version,
            Template.state == TemplateState.DRAFT,
        )
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise versions.conflict(_name(template), expected_version, None, "edit")
    _mirror(template, values)


def _mirror(template: Template, values: dict[str, object]) -> None:
    """Mirror what was written on the object without marking it changed (a SQL NULL as
    None), so reading it back needs no query."""
    for name, value in values.items():
        set_committed_value(template, name, None if isinstance(value, Null) else value)


def _settings(content: TemplateContent) -> dict[str, object]:
    return {
        "title": content.title.strip(),
        "year": content.year,
        "total_points": content.total_points,
        "bonus_cap": content.bonus_cap,
        "grade_excellent": content.grade_excellent,
        "grade_good": content.grade_good,
        "grade_qualified": content.grade_qualified,
        "composite_weight": content.composite_weight,
        "language": str(content.language),
        "grade_names": {
            grade: name.strip()
            for grade, name in dataclasses.asdict(content.grade_names).items()
            if name and name.strip()
        },
        "bands": bands_document(content.bands),
        "trend_min_points": content.trend_min_points,
        "trend_min_ranks": content.trend_min_ranks,
        "consequences": content.consequences.document(),
    }


def _base_of(session: Session, template: Template) -> tuple[Template, TemplateContent] | None:
    if template.extends_id is None:
        return None
    base = session.get_one(Template, template.extends_id)
    return base, template_content(session, base)


def _added_by(base: TemplateContent | None, node_id: int) -> Callable[[ItemInput], int | None]:
    """Marks the items a city added (those not in the province's template) with the city."""
    if base is None:
        return lambda item: None
    provincial = {item_code(item) for _, item, _ in walk_items(base.items)}
    return lambda item: None if item_code(item) in provincial else node_id


# --- the service --------------------------------------------------------------------------------

FAMILY_CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")


def create_template(
    session: Session,
    actor: Actor | None,
    *,
    owner_node: TenantNode,
    family_code: str,
    family_name: str,
    content: TemplateContent,
) -> Template:
    """Start a new template family owned by a province, with ``content`` as draft version 1.

    Cities do not write templates of their own: they extend the province's (extend_template).
    """
    if actor is not None:
        actor.require(owner_node, Role.TEMPLATE_AUTHOR, field="ownerNodeId")
    check = Checker()
    if owner_node.level is not TenantLevel.PROVINCE:
        check.add(
            "ownerNodeId",
            f"{owner_node.code} is a {owner_node.level}: templates are written by a province;"
            " a city writes a local template extending the province's",
        )
    code = check.text("familyCode", family_code, "the family code", MAX_CODE, required=True)
    if code and not set(code) <= FAMILY_CODE_CHARS:
        check.add("familyCode", "use letters, digits and . _ @ - in the family code")
    name = check.text("familyName", family_name, "the family name", MAX_FAMILY_NAME, required=True)
    problems = check.problems + content_problems(content)
    if problems:
        raise DomainError(problems)
    family = _new_family(session, owner_node, code, name, field="familyCode")
    settings = _settings(content)
    template = Template(
        customer_id=owner_node.customer_id,
        family_id=family.id,
        version=1,
        state=TemplateState.DRAFT,
        owner_node_id=owner_node.id,
        lock_version=1,
        **settings,
    )
    session.add(template)
    session.flush()
    _mirror(template, {"bands": settings["bands"]})
    write_tree(session, template, content, lambda item: None)
    return template


def _new_family(
    session: Session, owner_node: TenantNode, code: str, name: str, *, field: str
) -> TemplateFamily:
    family = TemplateFamily(
        customer_id=owner_node.customer_id, owner_node_id=owner_node.id, code=code, name=name
    )
    session.flush()  # begin_nested() flushes first: keep earlier changes out of the savepoint
    try:
        with session.begin_nested():
            session.add(family)
    except IntegrityError:
        raise fail(field, f"a template family {code} exists already", ErrorCode.DUPLICATE) from None
    return family


def update_draft(
    session: Session,
    actor: Actor | None,
    template: Template,
    content: TemplateContent,
    *,
    expected_version: int,
) -> Template:
    """Replace a draft's settings and whole item tree with ``content``.

    ``expected_version`` is the ``lock_version`` the editor read: a stale one is a conflict.
    A city's local template must keep the province's template it extends (extension_problems).
    """
    owner = _require_author(session, actor, template)
    _require_draft(template)
    versions.check_version(template.lock_version, expected_version, _name(template), "edit")
    problems = content_problems(content)
    based = _base_of(session, template)
    if based is not None:
        problems += extension_problems(content, based[1])
    if problems:
        raise DomainError(problems)
    owner_id = owner.id if owner is not None else template.owner_node_id
    session.flush()
    _bump(session, template, expected_version, **_settings(content))
    clear_tree(session, template)
    write_tree(session, template, content, _added_by(based[1] if based else None, owner_id))
    return template


def publish(
    session: Session,
    actor: Actor | None,
    template: Template,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Template:
    """Publish a draft that passes every check; from then on it never changes."""
    _require_author(session, actor, template)
    _require_draft(template)
    versions.check_version(template.lock_version, expected_version, _name(template), "edit")
    problems = template_problems(session, template)
    if problems:
        raise DomainError(problems)
    session.flush()
    _bump(
        session,
        template,
        expected_version,
        state=TemplateState.PUBLISHED,
        published_at=now or utcnow(),
        published_by_id=user_id_of(actor),
    )
    return template


def archive(
    session: Session, actor: Actor | None, template: Template, *, now: datetime | None = None
) -> Template:
    """Retire a published template: it stays readable, and no new cycle should use it."""
    _require_author(session, actor, template)
    if template.state is not TemplateState.PUBLISHED:
        raise fail(
            "id",
            f"{_name(template)} is {template.state}: only a published template is archived",
            ErrorCode.INVALID_STATE,
        )
    session.flush()
    values = {
        "state": TemplateState.ARCHIVED,
        "archived_at": now or utcnow(),
        "updated_at": utcnow(),
    }
    result = session.execute(
        update(Template)
        .where(Template.id == template.id, Template.state == TemplateState.PUBLISHED)
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise fail("id", f"{_name(template)} was archived meanwhile", ErrorCode.CONFLICT)
    for name, value in values.items():
        set_committed_value(template, name, value)
    return template


def new_version(
    session: Session,
    actor: Actor | None,
    template: Template,
    *,
    year: int | None = None,
    title: str | None = None,
) -> Template:
    """Copy a template, whole, into a new draft of its family (the next version number).

    This is how a published template is edited, and how last year's template becomes this
    year's draft (give ``year`` and ``title``). The original is left as it was.
    """
    owner = _require_author(session, actor, template)
    content = template_content(session, template)
    changed = dataclasses.replace(
        content,
        year=content.year if year is None else year,
        title=content.title if title is None else title,
    )
    check = Checker()
    check_settings(check, changed)
    problems = [p for p in check.problems if p.field in (f"{CONTENT}.year", f"{CONTENT}.title")]
    if template.extends_id is not None and changed.year != content.year:
        # A local template keeps its province's year: extend the province's new version.
        problems.append(
            Problem(
                f"{CONTENT}.year",
                "a local template follows the year of the province's template it extends:"
                " extend the province's template of that year instead",
                ErrorCode.INVALID,
            )
        )
    if problems:
        # Name the mutation's own arguments, not a document the caller never sent.
        raise DomainError(
            [Problem(p.field.removeprefix(f"{CONTENT}."), p.message, p.code) for p in problems]
        )
    _, items, _ = load_template(session, template.id)
    added_by = {row.code: row.added_by_node_id for row in items}
    copy = _next_version(session, template.family_id, template, owner, changed)
    copy.copied_from_id = template.id
    copy.extends_id = template.extends_id
    session.flush()
    write_tree(session, copy, changed, lambda item: added_by.get(item_code(item)))
    return copy


def _next_version(
    session: Session,
    family_id: int,
    source: Template,
    owner: TenantNode | None,
    content: TemplateContent,
) -> Template:
    latest = session.scalar(
        select(func.max(Template.version)).where(Template.family_id == family_id)
    )
    settings = _settings(content)
    template = Template(
        customer_id=source.customer_id,
        family_id=family_id,
        version=(latest or 0) + 1,
        state=TemplateState.DRAFT,
        owner_node_id=owner.id if owner is not None else source.owner_node_id,
        lock_version=1,
        **settings,
    )
    session.flush()  # begin_nested() flushes first: keep earlier changes out of the savepoint
    try:
        with session.begin_nested():
            session.add(template)
    except IntegrityError:
        raise fail(
            "id", "someone else made a new version at the same time: try again", ErrorCode.CONFLICT
        ) from None
    _mirror(template, {"bands": settings["bands"]})
    return template


def _extension_family_code(base_family: TemplateFamily, node: TenantNode) -> str:
    for code in (
        f"{base_family.code}@{node.code}",
        f"f{base_family.id}@{node.code}",
        f"f{base_family.id}@n{node.id}",
    ):
        if len(code) <= MAX_CODE:
            return code
    raise AssertionError("ids are short")  # pragma: no cover


def extend_template(
    session: Session,
    actor: Actor | None,
    base: Template,
    *,
    owner_node: TenantNode,
    content: TemplateContent | None = None,
) -> Template:
    """Start a city's local template on the province's published ``base``: a new draft.

    It copies ``base`` (or takes ``content``, which must keep ``base``); the city then adds
    indicators under the local categories with update_draft. Its family is the city's for that
    provincial scheme: a later year's extension becomes its next version.
    """
    if actor is not None:
        actor.require(owner_node, Role.TEMPLATE_AUTHOR, field="ownerNodeId")
    base_owner = _owner_node(session, base)
    if base.state is not TemplateState.PUBLISHED:
        raise fail(
            "baseId",
            f"{_name(base)} is {base.state}: a local template extends a published one",
            ErrorCode.INVALID_STATE,
        )
    if base.extends_id is not None:
        raise fail("baseId", f"{_name(base)} is a local template itself: extend the province's")
    if (
        base_owner is None
        or owner_node.customer_id != base.customer_id
        or owner_node.id == base_owner.id
        or not owner_node.path.startswith(base_owner.path)
    ):
        raise fail(
            "ownerNodeId",
            f"{owner_node.code} is not below the unit that owns {_name(base)}",
        )
    base_content = template_content(session, base)
    chosen = base_content if content is None else content
    problems = content_problems(chosen)
    if content is not None:
        problems += extension_problems(content, base_content)
    if problems:
        raise DomainError(problems)
    base_family = session.get_one(TemplateFamily, base.family_id)
    code = _extension_family_code(base_family, owner_node)
    family = session.scalars(
        select(TemplateFamily).where(
            TemplateFamily.code == code, TemplateFamily.owner_node_id == owner_node.id
        )
    ).one_or_none()
    if family is None:
        name = f"{base_family.name} · {owner_node.name_zh}"[:MAX_FAMILY_NAME]
        family = _new_family(session, owner_node, code, name, field="ownerNodeId")
    template = _next_version(session, family.id, base, owner_node, chosen)
    template.extends_id = base.id
    session.flush()
    write_tree(session, template, chosen, _added_by(base_content, owner_node.id))
    return template
