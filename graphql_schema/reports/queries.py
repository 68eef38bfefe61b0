"""Queries of the reports area: the reports one may fetch, the province's letterhead and its
versions, and the labels a letterhead may reword."""

from __future__ import annotations

from typing import Annotated

import strawberry

from scoring.reports import archive
from scoring.reports import letterhead as letterheads
from scoring.reports.words import LANGUAGES, default_words

from ..core.context import Info
from ..core.enums import Language, ReportKind
from ..core.pagination import After, Before, Connection, First, Last, paginate
from ..jobs.types import Report
from .types import ReportLabel, ReportLetterhead


@strawberry.type
class ReportQueries:
    @strawberry.field(
        description="Reports you may fetch, newest first: those you asked for and those about "
        "units of your subtrees (printed or still printing: see printedAt and jobRun)."
    )
    def reports(
        self,
        info: Info,
        kind: Annotated[
            ReportKind | None,
            strawberry.argument(description="Only reports of this kind; null: every kind."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Report]:
        ctx = info.context
        actor = ctx.require_actor()
        query = archive.reports_visible_to(ctx.db, actor)
        if kind is not None:
            query = query.where(archive.Report.kind == kind)
        return paginate(
            ctx.db,
            query,
            -archive.Report.id,  # newest first
            Report.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
            key_of=lambda r: -r.id,
        )

    @strawberry.field(
        description="Your province's letterhead: the newest version, or the one named; null "
        "while the reports print Redline's defaults (or no such version)."
    )
    def report_letterhead(
        self,
        info: Info,
        version: Annotated[
            int | None,
            strawberry.argument(description="The version to read; null: the newest."),
        ] = None,
    ) -> ReportLetterhead | None:
        ctx = info.context
        actor = ctx.require_actor()
        if version is None:
            found = letterheads.current(ctx.db, actor.customer_id)
        else:
            found = letterheads.version_of(ctx.db, actor.customer_id, version)
        return None if found is None else ReportLetterhead.from_model(found)

    @strawberry.field(
        description="Every saved version of your province's letterhead, newest first."
    )
    def report_letterhead_versions(self, info: Info) -> list[ReportLetterhead]:
        ctx = info.context
        actor = ctx.require_actor()
        return [
            ReportLetterhead.from_model(v) for v in letterheads.versions(ctx.db, actor.customer_id)
        ]

    @strawberry.field(
        description="The labels the reports print, with Redline's text: a letterhead's wording "
        "may say any of them otherwise."
    )
    def report_labels(
        self,
        info: Info,
        language: Annotated[
            Language | None,
            strawberry.argument(description="Only the labels of this language; null: both."),
        ] = None,
    ) -> list[ReportLabel]:
        info.context.require_actor()
        languages = [language.value] if language is not None else list(LANGUAGES)
        return [
            ReportLabel(language=Language(lang), key=key, default_text=text)
            for lang in languages
            for key, text in default_words(lang).items()
        ]
