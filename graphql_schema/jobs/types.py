"""GraphQL types of the jobs area: job runs with their progress, and the reports they print."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from scoring.jobs import runs as job_runs
from scoring.jobs.runs import JobRun as JobRunModel
from scoring.reports import archive

from ..core.context import Info
from ..core.dataloaders import by_unique
from ..core.enums import JobKind, JobState, Language, ReportKind, TenantLevel
from ..core.nodes import ModelNode
from ..tenants.types import Tenant, User

# A REPORT run's report (the run's visibility is the report's here).
REPORT_OF_RUN = by_unique(archive.Report.job_run_id)


@strawberry.type(description="How far a job run got.")
class JobProgress:
    done: int = strawberry.field(description="Items done (assessments, for a recompute).")
    total: int | None = strawberry.field(description="Items to do; null until counted.")

    @strawberry.field(description="done / total in percent, rounded down; null until counted.")
    def percent(self) -> int | None:
        if self.total is None:
            return None
        return 100 if self.total == 0 else min(100, self.done * 100 // self.total)


@strawberry.type(
    name="JobRun",
    description="One run of a long job for your province: its state, progress and outcome.",
)
class JobRun(ModelNode):
    model = JobRunModel
    # Admins and assessors of the province see its every run, others those about their units.
    within = job_runs.runs_visible_to
    id: relay.NodeID[int]
    kind: JobKind = strawberry.field(description="Which long job it runs.")
    state: JobState = strawberry.field(
        description="QUEUED, RUNNING, SUCCEEDED or FAILED (a retry makes it RUNNING again)."
    )
    progress: JobProgress = strawberry.field(description="How far it got.")
    queued_at: datetime = strawberry.field(description="When it was asked for.")
    started_at: datetime | None = strawberry.field(description="When its last attempt started.")
    finished_at: datetime | None = strawberry.field(
        description="When its last attempt succeeded or failed; null while queued or running."
    )
    attempts: int = strawberry.field(description="Attempts started (a retry after a crash: 2).")
    result: JSON = strawberry.field(  # type: ignore[valid-type]
        description='What it found, e.g. a recompute\'s {"assessments": 312, "drifted": 2, '
        '"first_scored": 40, "cycles": 2, "drift": {"self_total": 1, ...}} (first_scored: '
        "drafts nobody had scored yet, scored now: not drift); a sweep's counts."
    )
    error: str | None = strawberry.field(description="Why its last attempt failed.")
    node_id: strawberry.Private[int | None]
    requested_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: JobRunModel) -> JobRun:
        result: dict[str, Any] = dict(row.result or {})
        result.pop("resume_after", None)  # the retry's bookmark, not an outcome
        return cls(
            id=row.id,
            kind=row.kind,
            state=row.state,
            progress=JobProgress(done=row.progress_done, total=row.progress_total),
            queued_at=row.queued_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            attempts=row.attempts,
            result=result,
            error=row.error,
            node_id=row.node_id,
            requested_by_id=row.requested_by_id,
        )

    @strawberry.field(description="The unit it is about (the province for province-wide runs).")
    async def unit(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.node_id)

    @strawberry.field(description="Who started it; null for the schedule or out of your sight.")
    async def requested_by(self, info: Info) -> User | None:
        return await User.load(info, self.requested_by_id)

    @strawberry.field(description="A REPORT run's report: once it succeeded, its downloadUrl.")
    async def report(self, info: Info) -> Report | None:
        if self.kind is not JobKind.REPORT:
            return None
        row = await info.context.loaders.get(REPORT_OF_RUN).load(self.id)
        return None if row is None else Report.from_model(row)


@strawberry.type(
    name="Report",
    description="A report asked for: printed in the background by its job run, then kept "
    "(with its checksum) for its asker and for whoever reads its unit.",
)
class Report(ModelNode):
    model = archive.Report
    within = archive.reports_visible_to
    id: relay.NodeID[int]
    kind: ReportKind = strawberry.field(
        description="SCORECARD, RANKING, STATISTICS or CONSEQUENCES: what it reports."
    )
    language: Language = strawberry.field(description="The language it is printed in.")
    requested_at: datetime = strawberry.field(description="When it was asked for.")
    level: TenantLevel | None = strawberry.field(description="RANKING: the ranked level.")
    compare_with_version: int | None = strawberry.field(
        description="RANKING: the earlier version of the rankings it was asked to compare with "
        "(null: the previous one whose rows are kept)."
    )
    period_start: date | None = strawberry.field(description="STATISTICS: the first day.")
    period_end: date | None = strawberry.field(description="STATISTICS: the last day.")
    filename: str | None = strawberry.field(description="The file's name; null until printed.")
    sha256: str | None = strawberry.field(
        description="SHA-256 of the file (hex), checked again on every download; null until "
        "printed."
    )
    size: int | None = strawberry.field(description="Bytes; null until printed.")
    printed_at: datetime | None = strawberry.field(
        description="When the file was printed and kept; null while printing (or failed)."
    )
    letterhead_version: int | None = strawberry.field(
        description="The province's letterhead version it was printed with (null: the default)."
    )
    node_id: strawberry.Private[int]
    job_run_id: strawberry.Private[int]
    requested_by_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: archive.Report) -> Report:
        return cls(
            id=row.id,
            kind=row.kind,
            language=row.language,
            requested_at=row.requested_at,
            level=row.level,
            compare_with_version=row.compare_with_version,
            period_start=row.period_start,
            period_end=row.period_end,
            filename=row.filename,
            sha256=row.sha256,
            size=row.size,
            printed_at=row.printed_at,
            letterhead_version=row.letterhead_version,
            node_id=row.node_id,
            job_run_id=row.job_run_id,
            requested_by_id=row.requested_by_id,
        )

    @strawberry.field(description="Download it once printed (GET, same sign-in as /graphql).")
    def download_url(self) -> str | None:
        if self.sha256 is None:
            return None
        return f"/files/reports/{relay.to_base64('Report', self.id)}"

    @strawberry.field(
        description="The unit it is about: the assessed unit, ranked region or counted subtree."
    )
    async def unit(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.node_id)

    @strawberry.field(description="The job run printing it: its state, progress and error.")
    async def job_run(self, info: Info) -> JobRun | None:
        return await JobRun.load(info, self.job_run_id)

    @strawberry.field(description="Who asked for it; null when out of your sight.")
    async def requested_by(self, info: Info) -> User | None:
        return await User.load(info, self.requested_by_id)
