"""Reports printed by a job: asked for through the API (checked as the asker, at once), printed
by a worker as the asker (a REPORT job run, its progress in ``jobRuns``), kept with a checksum.

A request names what to print; asking again for the same report while it is being printed
gives the same run. The worker reads as the user who asked, with that user's grants as they
are when it prints: a report never shows what its asker may not read.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from redline.db import reading_bind, unit_of_work, utcnow
from redline.errors import DomainError, ErrorCode, fail
from scoring.assessments.models import Assessment
from scoring.evidence import EvidenceStore
from scoring.jobs import runs as job_runs
from scoring.jobs.runs import JobKind, JobRun, JobState
from scoring.ledgers.access import readable_unit
from scoring.rankings.access import check_level, readable_cycle, readable_scope
from scoring.reports import letterhead as letterheads
from scoring.reports.archive import Report, ReportKind
from scoring.reports.consequences import consequence_report, render_consequences
from scoring.reports.ranking import check_compare_with, ranking_report, render_ranking
from scoring.reports.scorecard import render_scorecard, scorecard_report
from scoring.reports.statistics import render_statistics, statistics_report
from scoring.reports.words import Language, said_as
from tenants.access import Actor, load_actor
from tenants.models import TenantLevel, TenantNode, User
from tenants.scope import scoped

log = logging.getLogger(__name__)

PRINT_REPORT_ACTOR = "reports.print"
# Steps a run's progress counts: read what the report says, print it, keep the file.
STEPS = 3
_UNSAFE_IN_NAME = re.compile(r"[^0-9A-Za-z_.-]")
PERIOD_MAX_DAYS = 3 * 366 + 1  # a statistics report covers at most three years


# --- asking ----------------------------------------------------------------------------------


def request_scorecard(
    session: Session, actor: Actor, assessment: Assessment, language: Language
) -> Report:
    """Print a unit's scorecard for its cycle (an assessment the actor sees)."""
    return _request(
        session,
        actor,
        ReportKind.SCORECARD,
        language,
        node_id=assessment.node_id,
        assessment_id=assessment.id,
    )


def request_ranking(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    language: Language,
    compare_with: int | None = None,
) -> Report:
    """Print a region's ranking of a cycle at ``level`` (refused as ``rankingPage`` refuses),
    with what changed since version ``compare_with`` (by default the previous one whose rows
    are kept; refused unless it is an earlier version with rows)."""
    cycle = readable_cycle(session, cycle_id, "cycleId")
    scope = readable_scope(session, actor, cycle, scope_id, "scopeId")
    check_level(scope, cycle, level)
    if compare_with is not None:
        check_compare_with(session, actor, cycle.id, compare_with)
    return _request(
        session,
        actor,
        ReportKind.RANKING,
        language,
        node_id=scope.id,
        cycle_id=cycle.id,
        level=level,
        compare_with_version=compare_with,
    )


def request_consequences(
    session: Session, actor: Actor, cycle_id: int, scope_id: int, language: Language
) -> Report:
    """Print a cycle's consequences register for the units under a scope (refused as
    ``consequenceRegister`` refuses)."""
    cycle = readable_cycle(session, cycle_id, "cycleId")
    scope = readable_scope(session, actor, cycle, scope_id, "scopeId")
    return _request(
        session, actor, ReportKind.CONSEQUENCES, language, node_id=scope.id, cycle_id=cycle.id
    )


def request_statistics(
    session: Session,
    actor: Actor,
    node_id: int,
    start: date,
    end: date,
    language: Language,
) -> Report:
    """Print a subtree's accident and hazard statistics for [start, end], year on year (a
    unit whose ledgers the actor reads)."""
    node = readable_unit(session, actor.scope, node_id)
    if node is None:
        raise fail("nodeId", "no unit with this id whose ledgers you can read", ErrorCode.NOT_FOUND)
    if (end - start).days >= PERIOD_MAX_DAYS:
        raise fail("period", "covers more than three years; print it year by year")
    return _request(
        session,
        actor,
        ReportKind.STATISTICS,
        language,
        node_id=node.id,
        period_start=start,
        period_end=end,
    )


def _request(
    session: Session,
    actor: Actor,
    kind: ReportKind,
    language: Language,
    *,
    node_id: int,
    **subject: Any,
) -> Report:
    same = _being_printed(session, actor, kind, language, node_id, subject)
    if same is not None:
        return same
    run = job_runs.start_run(
        session,
        JobKind.REPORT,
        PRINT_REPORT_ACTOR,
        customer_id=actor.customer_id,
        node_id=node_id,
        requested_by_id=actor.user_id,
    )
    report = Report(
        customer_id=actor.customer_id,
        node_id=node_id,
        kind=kind,
        language=language,
        job_run_id=run.id,
        requested_by_id=actor.user_id,
        requested_at=run.queued_at,
        **subject,
    )
    session.add(report)
    session.flush()
    return report


def _being_printed(
    session: Session,
    actor: Actor,
    kind: ReportKind,
    language: Language,
    node_id: int,
    subject: dict[str, Any],
) -> Report | None:
    """The actor's request of this very report still queued or printing, if any (a second
    click of the button)."""
    since = utcnow() - job_runs.STALE_AFTER
    query = (
        select(Report)
        .join(JobRun, JobRun.id == Report.job_run_id)
        .where(
            Report.customer_id == actor.customer_id,
            Report.requested_by_id == actor.user_id,
            Report.kind == kind,
            Report.language == language,
            Report.node_id == node_id,
            JobRun.state.in_((JobState.QUEUED, JobState.RUNNING)),
            JobRun.queued_at >= since,
        )
        .order_by(Report.id.desc())
        .limit(1)
    )
    for column in (
        "assessment_id",
        "cycle_id",
        "level",
        "compare_with_version",
        "period_start",
        "period_end",
    ):
        query = query.where(getattr(Report, column) == subject.get(column))
    return session.scalar(query)


# --- printing --------------------------------------------------------------------------------


class Refused(Exception):
    """The report cannot be printed for its asker (no longer allowed, or gone): the run fails
    with the reason and is not retried."""


def run_report(
    sessions: sessionmaker[Session],
    run_id: int,
    store: EvidenceStore,
    *,
    now: datetime | None = None,
) -> Report | None:
    """Print the report of REPORT run ``run_id`` and keep it: RUNNING, three steps of progress,
    then SUCCEEDED with the file's checksum and size. A refusal (the asker may no longer read
    it) fails the run for good; any other error fails it and is raised for the broker's retry.
    A run already SUCCEEDED is not printed again: returns None."""
    with sessions() as session:
        run = session.get(JobRun, run_id)
        if run is None or run.state is JobState.SUCCEEDED:
            return None
    job_runs.mark_running(sessions, run_id, now=now)
    job_runs.set_progress(sessions, run_id, 0, STEPS)
    try:
        report_id, filename, data, version = _print(sessions, run_id, store)
        sha256 = store.put(data)
        with sessions() as session, unit_of_work(session):
            report = session.scalars(select(Report).where(Report.id == report_id)).one()
            report.filename = filename
            report.sha256 = sha256
            report.size = len(data)
            report.printed_at = now or utcnow()
            report.letterhead_version = version
            job_runs.progress_in(session, run_id, STEPS)
        result = {"sha256": sha256, "bytes": len(data), "filename": filename}
        job_runs.succeed(sessions, run_id, result, now=now or utcnow())
    except Refused as refused:
        job_runs.fail_run(sessions, run_id, str(refused), now=now)
        log.info("report run %s refused: %s", run_id, refused)
        return None
    except Exception as exc:
        job_runs.fail_run(sessions, run_id, exc, now=now)
        raise
    with sessions() as session:
        return session.get(Report, report_id)


def _print(
    sessions: sessionmaker[Session], run_id: int, store: EvidenceStore
) -> tuple[int, str, bytes, int | None]:
    """Read and print the run's report as its asker: its id, file name, bytes and the
    letterhead version it was printed with."""
    with sessions() as system:
        report = system.scalars(select(Report).where(Report.job_run_id == run_id)).one()
        user = system.get(User, report.requested_by_id)
        if user is None or not user.is_active:
            raise Refused("the user who asked for the report is disabled; ask again")
        actor = load_actor(system, user)
        head = letterheads.current(system, report.customer_id)
        printed = letterheads.printed(head, store)
        system.expunge(report)
    lang = report.language.value
    # Read as the asker, in a reading transaction: it takes no write lock (SQLite), so the
    # run's progress is written beside it.
    reader = Session(reading_bind(sessions.kw["bind"]), expire_on_commit=False)
    with said_as(printed.wording if printed else {}):
        with scoped(reader, actor.scope) as session:
            try:
                content, render, name = _content(session, actor, report, lang)
            except DomainError as refused:
                raise Refused(str(refused)) from None
        job_runs.set_progress(sessions, run_id, 1)
        data = render(content, lang, printed)
    job_runs.set_progress(sessions, run_id, 2)
    return report.id, f"{name}-{lang}.pdf", data, printed.version if printed else None


def _content(session: Session, actor: Actor, report: Report, lang: str) -> tuple[Any, Any, str]:
    """What the report says, the function printing it, and the start of its file name."""
    if report.kind is ReportKind.SCORECARD:
        assessment = session.get(Assessment, report.assessment_id)
        if assessment is None:
            raise fail("assessmentId", "the assessment is no longer yours to read")
        unit = session.get(TenantNode, assessment.node_id)
        code = unit.code if unit is not None else str(assessment.id)
        return (
            scorecard_report(session, assessment, lang),
            render_scorecard,
            f"scorecard-{assessment.cycle_id}-{_safe(code)}",
        )
    if report.kind is ReportKind.RANKING:
        assert report.cycle_id is not None and report.level is not None
        compared = report.compare_with_version
        content = ranking_report(
            session, actor, report.cycle_id, report.node_id, report.level, lang, compared
        )
        name = f"ranking-report-{report.cycle_id}-{_safe(content.scope_code)}-{report.level.value}"
        return (
            content,
            render_ranking,
            name + (f"-since-v{compared}" if compared is not None else ""),
        )
    if report.kind is ReportKind.CONSEQUENCES:
        assert report.cycle_id is not None
        register = consequence_report(session, actor, report.cycle_id, report.node_id, lang)
        return (
            register,
            render_consequences,
            f"consequences-{report.cycle_id}-{_safe(register.scope_code)}",
        )
    assert report.period_start is not None and report.period_end is not None
    node = readable_unit(session, actor.scope, report.node_id)
    if node is None:
        raise fail("nodeId", "the unit's ledgers are no longer yours to read")
    return (
        statistics_report(session, node, report.period_start, report.period_end, lang),
        render_statistics,
        f"statistics-{_safe(node.code)}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}",
    )


def _safe(text: str) -> str:
    return _UNSAFE_IN_NAME.sub("_", text)
