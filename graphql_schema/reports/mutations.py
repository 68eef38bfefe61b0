"""Mutations of the reports area: asking for a report to be printed, saving the letterhead."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import fail
from redline.scanning import require_clean
from scoring.jobs import printing
from scoring.reports import archive
from scoring.reports import letterhead as letterheads
from tenants.access import Actor

from ..assessments.types import Assessment
from ..core.context import Info
from ..core.enums import Language, TenantLevel
from ..core.errors import UserError
from ..core.ids import database_id
from ..core.mutations import errors_field, evidence_store, get, mutate
from ..jobs.types import Report
from ..ledgers.common import PeriodInput
from .types import ReportLetterhead

# The language a report is printed in.
PRINTED_IN = "The language it is printed in; ZH when left out."


@strawberry.input(description="Print a unit's scorecard for its cycle.")
class PrintScorecardInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="The Assessment whose scorecard is printed (one you read)."
    )
    language: Language = strawberry.field(default=Language.ZH, description=PRINTED_IN)


@strawberry.input(description="Print a region's ranking of a cycle at one level.")
class PrintRankingReportInput:
    cycle_id: relay.GlobalID = strawberry.field(description="The Cycle ranked.")
    scope_id: relay.GlobalID = strawberry.field(description="The region ranked within.")
    level: TenantLevel = strawberry.field(description="The level of the units ranked.")
    language: Language = strawberry.field(default=Language.ZH, description=PRINTED_IN)
    compare_with_version: int | None = strawberry.field(
        default=None,
        description="The earlier version of the cycle's rankings whose changes the report shows "
        "(who moved, why, whose commendation is withdrawn or granted); null: the previous "
        "version whose rows are kept (none for the first version). See rankingVersions.",
    )


@strawberry.input(description="Print a cycle's consequences register for the units of a scope.")
class PrintConsequenceRegisterInput:
    cycle_id: relay.GlobalID = strawberry.field(description="The Cycle whose register it is.")
    scope_id: relay.GlobalID = strawberry.field(description="The region whose units are listed.")
    language: Language = strawberry.field(default=Language.ZH, description=PRINTED_IN)


@strawberry.input(description="Print a subtree's accident and hazard statistics, year on year.")
class PrintStatisticsReportInput:
    node_id: relay.GlobalID = strawberry.field(description="The unit whose subtree is counted.")
    period: PeriodInput = strawberry.field(
        description="The days counted (at most three years), compared with the same period of "
        "the previous year."
    )
    language: Language = strawberry.field(default=Language.ZH, description=PRINTED_IN)


@strawberry.type(description="What asking for a report answers: the report, or the refusal.")
class PrintReportPayload:
    report: Report | None = strawberry.field(
        default=None,
        description="The report asked for (the same one while it is still printing): follow "
        "report.jobRun, then fetch report.downloadUrl.",
    )
    errors: list[UserError] = errors_field()


@strawberry.input(description="A report label said the province's way.")
class ReportWordingInput:
    language: Language = strawberry.field(description="The language it is said in.")
    key: str = strawberry.field(description="The label's name (see reportLabels).")
    text: str = strawberry.field(
        description="What to print instead: not blank, up to 200 characters, with exactly the "
        "{names} the default text has; each language and key once."
    )


@strawberry.input(description="Save your province's letterhead as its next version.")
class SaveReportLetterheadInput:
    expected_version: int = strawberry.field(
        description="The version you read (0 before the first save)."
    )
    issuer: str = strawberry.field(description="The issuing office, printed above the title.")
    footer: str = strawberry.field(default="", description="A line at the foot of every page.")
    wording: list[ReportWordingInput] = strawberry.field(
        default_factory=list, description="Labels said otherwise; the rest print the default."
    )
    note: str = strawberry.field(default="", description="What changed, for the history.")
    logo: Upload | None = strawberry.field(
        default=None, description="A new logo: PNG or JPEG, at most 512 KiB (multipart upload)."
    )
    remove_logo: bool = strawberry.field(
        default=False, description="Print no logo from this version on (without a new one)."
    )


@strawberry.type(
    description="What saveReportLetterhead answers: the version saved, or the refusal."
)
class ReportLetterheadPayload:
    letterhead: ReportLetterhead | None = strawberry.field(
        default=None, description="The new version saved; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class ReportMutations:
    @strawberry.mutation(
        description="Print an assessment's scorecard as PDF in the background (anyone who "
        "reads the assessment)."
    )
    def print_scorecard(
        self,
        info: Info,
        input: Annotated[
            PrintScorecardInput, strawberry.argument(description="The assessment and the language.")
        ],
    ) -> PrintReportPayload:
        def action(session: Session, actor: Actor) -> archive.Report:
            assessment = get(session, Assessment, input.assessment_id, "assessmentId")
            return printing.request_scorecard(session, actor, assessment, input.language)

        return mutate(info, action, PrintReportPayload, report=Report.from_model)

    @strawberry.mutation(
        description="Print a region's ranking report as PDF in the background (whoever reads "
        "that ranking: the units ranked in it and the offices above), with what changed since "
        "an earlier version of the rankings."
    )
    def print_ranking_report(
        self,
        info: Info,
        input: Annotated[
            PrintRankingReportInput,
            strawberry.argument(
                description="The ranking, the language and the version to compare with."
            ),
        ],
    ) -> PrintReportPayload:
        def action(session: Session, actor: Actor) -> archive.Report:
            return printing.request_ranking(
                session,
                actor,
                database_id(input.cycle_id, "Cycle", "cycleId"),
                database_id(input.scope_id, "Tenant", "scopeId"),
                input.level,
                input.language,
                input.compare_with_version,
            )

        return mutate(info, action, PrintReportPayload, report=Report.from_model)

    @strawberry.mutation(
        description="Print a cycle's consequences register (奖惩登记) as PDF in the background "
        "(whoever reads consequenceRegister: the units ranked and the offices above); a preview "
        "until the cycle is closed."
    )
    def print_consequence_register(
        self,
        info: Info,
        input: Annotated[
            PrintConsequenceRegisterInput,
            strawberry.argument(description="The cycle, the scope and the language."),
        ],
    ) -> PrintReportPayload:
        def action(session: Session, actor: Actor) -> archive.Report:
            return printing.request_consequences(
                session,
                actor,
                database_id(input.cycle_id, "Cycle", "cycleId"),
                database_id(input.scope_id, "Tenant", "scopeId"),
                input.language,
            )

        return mutate(info, action, PrintReportPayload, report=Report.from_model)

    @strawberry.mutation(
        description="Print a subtree's accident and hazard statistics for a period, year on "
        "year, as PDF in the background (whoever reads the unit's ledgers)."
    )
    def print_statistics_report(
        self,
        info: Info,
        input: Annotated[
            PrintStatisticsReportInput,
            strawberry.argument(description="The subtree, the period and the language."),
        ],
    ) -> PrintReportPayload:
        def action(session: Session, actor: Actor) -> archive.Report:
            if input.period.start > input.period.end:
                raise fail("period.end", "the period ends before it starts")
            return printing.request_statistics(
                session,
                actor,
                database_id(input.node_id, "Tenant", "nodeId"),
                input.period.start,
                input.period.end,
                input.language,
            )

        return mutate(info, action, PrintReportPayload, report=Report.from_model)

    @strawberry.mutation(
        description="Save your province's letterhead (issuer, logo, footer, wording) as its "
        "next version (ADMIN on the province). Reports printed from then on use it."
    )
    def save_report_letterhead(
        self,
        info: Info,
        input: Annotated[
            SaveReportLetterheadInput,
            strawberry.argument(description="The letterhead's next version."),
        ],
    ) -> ReportLetterheadPayload:
        # One byte more than allowed is enough for the check to say it is too large.
        logo = input.logo.read(letterheads.LOGO_MAX_BYTES + 1) if input.logo is not None else None

        def action(session: Session, actor: Actor) -> letterheads.Letterhead:
            if input.logo is not None:
                require_clean(logo, input.logo.filename or "", "logo", info.context.settings)
            return letterheads.save_letterhead(
                session,
                actor,
                expected_version=input.expected_version,
                issuer=input.issuer,
                footer=input.footer,
                wording=[
                    letterheads.Wording(w.language.value, w.key, w.text) for w in input.wording
                ],
                note=input.note,
                logo=logo,
                keep_logo=not input.remove_logo,
                store=evidence_store(info),
            )

        return mutate(info, action, ReportLetterheadPayload, letterhead=ReportLetterhead.from_model)
