"""Mutations of the templates area: write a draft, publish, archive, copy, extend, import Excel."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, Problem, fail
from redline.scanning import require_clean
from scoring.templates.document import Imported, TemplateContent
from scoring.templates.excel import read_workbook
from scoring.templates.models import Template as TemplateModel
from scoring.templates.models import TemplateState
from scoring.templates.office_layout import Standard, read_standard
from scoring.templates.reading import family_of_code, latest_version
from scoring.templates.service import (
    archive,
    create_template,
    extend_template,
    new_version,
    publish,
    update_draft,
)
from scoring.templates.validation import template_problems
from tenants.access import Actor

from ..core.context import Info
from ..core.errors import UserError, user_errors
from ..core.mutations import Input, errors_field, get, mutate
from ..tenants.types import Tenant
from .inputs import (
    READ_LIMIT,
    ArchiveTemplateInput,
    CreateTemplateInput,
    ExtendTemplateInput,
    ImportTemplateInput,
    NewTemplateVersionInput,
    PublishTemplateInput,
    UpdateTemplateDraftInput,
    content_of,
)
from .standards import (
    ImportStandardInput,
    StandardLayoutInput,
    StandardPreview,
    StandardPreviewPayload,
    layout_of,
)
from .types import Template


@strawberry.type(description="The result of a mutation of a template.")
class TemplatePayload:
    template: Template | None = strawberry.field(
        default=None, description="The template as saved; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="An imported draft, and what keeps it from being published (its `problems`) "
    'named by the cells of the file ("Items!E7", "评定标准!D12") where they came from.'
)
class ImportPayload:
    template: Template | None = strawberry.field(
        default=None, description="The draft as imported; null when refused."
    )
    problems: list[UserError] = strawberry.field(
        default_factory=list,
        description="What keeps the draft from being published, by cell; empty when nothing.",
    )
    errors: list[UserError] = errors_field()


def _with_cells(
    session: Session, template: TemplateModel, imported: Imported
) -> tuple[TemplateModel, list[Problem]]:
    """The draft, and its problems named by the cells of the file."""
    return template, [imported.at_cell(p) for p in template_problems(session, template)]


def _imported(
    session: Session,
    actor: Actor,
    input: ImportTemplateInput | ImportStandardInput,
    imported: Imported,
) -> tuple[TemplateModel, list[Problem]]:
    """The draft an imported file becomes: the named draft's new content, the named family's
    draft (its newest version, when a draft) or next version, or version 1 of a new family;
    and its problems, named by cells."""
    return _with_cells(session, _draft_of(session, actor, input, imported.content), imported)


def _draft_of(
    session: Session,
    actor: Actor,
    input: ImportTemplateInput | ImportStandardInput,
    content: TemplateContent,
) -> TemplateModel:
    if input.id is not None:
        template = get(session, Template, input.id, "id")
        if input.expected_version is None:
            raise fail("expectedVersion", "give the lockVersion you read", ErrorCode.REQUIRED)
        return update_draft(
            session, actor, template, content, expected_version=input.expected_version
        )
    code = (input.family_code or "").strip()
    family = family_of_code(session, code) if code else None
    if family is not None:
        latest = latest_version(session, family)
        if latest.state is TemplateState.DRAFT:
            # The family's draft is where a workbook goes, not a second draft beside it.
            expected = input.expected_version
            return update_draft(
                session,
                actor,
                latest,
                content,
                expected_version=latest.lock_version if expected is None else expected,
            )
        copy = new_version(session, actor, latest)
        return update_draft(session, actor, copy, content, expected_version=copy.lock_version)
    if input.owner_node_id is None:
        raise fail(
            "ownerNodeId",
            "give the province for a new family (or the id or familyCode of an existing one)",
            ErrorCode.REQUIRED,
        )
    owner = get(session, Tenant, input.owner_node_id, "ownerNodeId")
    return create_template(
        session,
        actor,
        owner_node=owner,
        family_code=code,
        family_name=input.family_name or "",
        content=content,
    )


@strawberry.type
class TemplateMutations:
    @strawberry.mutation(description="Start a new template family with a draft version 1.")
    def create_template(self, info: Info, input: Input[CreateTemplateInput]) -> TemplatePayload:
        def action(session: Session, actor: Actor) -> TemplateModel:
            owner = get(session, Tenant, input.owner_node_id, "ownerNodeId")
            return create_template(
                session,
                actor,
                owner_node=owner,
                family_code=input.family_code,
                family_name=input.family_name,
                content=content_of(input.content),
            )

        return mutate(info, action, TemplatePayload, template=Template.from_model)

    @strawberry.mutation(description="Save a draft's whole content (settings, items, vetoes).")
    def update_template_draft(
        self, info: Info, input: Input[UpdateTemplateDraftInput]
    ) -> TemplatePayload:
        def action(session: Session, actor: Actor) -> TemplateModel:
            template = get(session, Template, input.id, "id")
            return update_draft(
                session,
                actor,
                template,
                content_of(input.content),
                expected_version=input.expected_version,
            )

        return mutate(info, action, TemplatePayload, template=Template.from_model)

    @strawberry.mutation(
        description="Publish a draft that has no problems; it never changes afterwards."
    )
    def publish_template(self, info: Info, input: Input[PublishTemplateInput]) -> TemplatePayload:
        def action(session: Session, actor: Actor) -> TemplateModel:
            template = get(session, Template, input.id, "id")
            return publish(session, actor, template, expected_version=input.expected_version)

        return mutate(info, action, TemplatePayload, template=Template.from_model)

    @strawberry.mutation(description="Retire a published template (it stays readable).")
    def archive_template(self, info: Info, input: Input[ArchiveTemplateInput]) -> TemplatePayload:
        def action(session: Session, actor: Actor) -> TemplateModel:
            return archive(session, actor, get(session, Template, input.id, "id"))

        return mutate(info, action, TemplatePayload, template=Template.from_model)

    @strawberry.mutation(
        description="Copy a template into the next draft version of its family (also: copy "
        "last year's template, with this year's year and title)."
    )
    def new_template_version(
        self, info: Info, input: Input[NewTemplateVersionInput]
    ) -> TemplatePayload:
        def action(session: Session, actor: Actor) -> TemplateModel:
            template = get(session, Template, input.id, "id")
            return new_version(session, actor, template, year=input.year, title=input.title)

        return mutate(info, action, TemplatePayload, template=Template.from_model)

    @strawberry.mutation(
        description="Start a city's local template: the province's published template plus "
        "the city's indicators in the categories left open for them."
    )
    def extend_template(self, info: Info, input: Input[ExtendTemplateInput]) -> TemplatePayload:
        def action(session: Session, actor: Actor) -> TemplateModel:
            base = get(session, Template, input.base_id, "baseId")
            owner = get(session, Tenant, input.owner_node_id, "ownerNodeId")
            content = content_of(input.content) if input.content is not None else None
            return extend_template(session, actor, base, owner_node=owner, content=content)

        return mutate(info, action, TemplatePayload, template=Template.from_model)

    @strawberry.mutation(
        description="Import a template from an .xlsx workbook (multipart upload), as a draft."
    )
    def import_template(self, info: Info, input: Input[ImportTemplateInput]) -> ImportPayload:
        data = input.file.read(READ_LIMIT)

        def action(session: Session, actor: Actor) -> tuple[TemplateModel, list[Problem]]:
            require_clean(data, input.file.filename or "", "file", info.context.settings)
            return _imported(session, actor, input, read_workbook(data))

        return mutate(
            info, action, ImportPayload, template=Template.from_model, problems=user_errors
        )

    @strawberry.mutation(
        description="Read a grading standard in an office's own layout (.xlsx or .csv, multipart "
        "upload) and show how it would be imported: the columns and their roles, the tree with "
        "points per level, the clauses read from the criteria and what is left for a person. "
        "Nothing is saved."
    )
    def preview_standard(
        self, info: Info, input: Input[StandardLayoutInput]
    ) -> StandardPreviewPayload:
        data = input.file.read(READ_LIMIT)
        filename = input.file.filename or ""

        def action(session: Session, actor: Actor) -> Standard:
            require_clean(data, filename, "file", info.context.settings)
            return read_standard(data, filename, layout_of(input))

        # A preview writes nothing: nothing to record.
        return mutate(
            info, action, StandardPreviewPayload, audited=False, preview=StandardPreview.of
        )

    @strawberry.mutation(
        description="Import a grading standard in an office's own layout as a draft template, "
        "read as previewStandard shows it. Criteria left unread stay in each item's criteria "
        "text for a person to structure in the editor."
    )
    def import_standard(self, info: Info, input: Input[ImportStandardInput]) -> ImportPayload:
        data = input.file.read(READ_LIMIT)
        filename = input.file.filename or ""

        def action(session: Session, actor: Actor) -> tuple[TemplateModel, list[Problem]]:
            require_clean(data, filename, "file", info.context.settings)
            standard = read_standard(
                data, filename, layout_of(input), title=input.title, year=input.year
            )
            return _imported(session, actor, input, standard.imported())

        return mutate(
            info, action, ImportPayload, template=Template.from_model, problems=user_errors
        )
